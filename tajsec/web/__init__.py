"""The SPARQL endpoint and query page of `tajsec serve`."""
