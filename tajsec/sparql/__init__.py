"""SPARQL: the one query runner (sandboxed worker processes), result formats, and the checks
that keep a query off the network."""
