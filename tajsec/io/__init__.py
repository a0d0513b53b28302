"""Reading and writing RDF files: the one loader and the one writer."""
