"""The graph for others: exports, the VoID/DCAT description, the Wikidata alignment."""
