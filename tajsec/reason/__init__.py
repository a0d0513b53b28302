"""OWL reasoning: HermiT for the ontology, OWL 2 RL rules for the data."""
