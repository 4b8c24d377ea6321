"""Pure analytics over projections that graph/ reads in one query: no I/O, unit-tested on hand-made data."""
