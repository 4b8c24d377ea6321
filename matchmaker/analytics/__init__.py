"""Analytics over projections the graph layer reads: pure functions, no I/O."""
