"""Every answer with its evidence: which triples each result row matched (`trace`), which
statements of the paper back those triples (`cards`), and how to show and cite them (`render`)."""
