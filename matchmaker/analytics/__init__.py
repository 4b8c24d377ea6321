"""Pure analytics over projections read by graph/: no I/O, unit-tested on hand-made data."""
