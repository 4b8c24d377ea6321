"""Charts drawn on the server as SVG: pure functions from numbers and labels to markup (no script, no CDN)."""
