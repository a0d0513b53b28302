"""The graph as the rest of the package reads it: an in-memory index of the built store
(`index`), the one reader of a node's dates (`time`), the one reader of a statement's evidence
(`evidence`) and typed models of entities, statements and quantities (`models`)."""
