"""What `tajsec check`, `validate` and `coverage` report: the graph measured against its contract."""
