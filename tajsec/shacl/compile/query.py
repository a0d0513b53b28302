"""A compiled query, and the batching of constraints that share focus nodes and value pattern."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from tajsec.shacl.shapes import Node


@dataclass
class Query:
    """One SPARQL query and how to turn its rows into results."""
    sparql: str
    shape: Node | None           # the shape term reported as sh:sourceShape (None: a batch)
    component: str               # full IRI of the constraint component
    severity: str                # full IRI of the severity
    message: str | None          # the shape's sh:message (None: a generic one is made)
    generic: str                 # generic message
    path: ox.NamedNode | ox.BlankNode | None   # sh:resultPath
    value: str | None = "value"  # "value": ?value column; "this": the focus node; None: no value
    kind: str = "core"           # "core", "closed" or "sparql" (rows may carry ?path, messages)
    # batchable constraints: the focus sub-select, the pattern binding ?value ("" for none) and
    # the failure expression; queries with the same focus and pattern run as one (see batch)
    focus: str | None = None
    pattern: str | None = None
    expr: str | None = None
    parts: list | None = None    # a batch: row ?mask bit i means parts[i] failed
    # a nested property shape's focus select: a focus node reached along n chains of outer
    # focus nodes is reported n times (engine.fan_out)
    fanout: str | None = None


def batch(queries: list[Query], limit: int = 60) -> list[Query]:
    """Run the constraints that share a focus set and a value pattern as one query: each row
    carries a bit mask saying which of them failed. One pass over the focus nodes instead of
    one per constraint."""
    groups: dict[tuple, list[Query]] = {}
    out = []
    for q in queries:
        if q.expr is None:
            out.append(q)
        else:
            groups.setdefault((q.focus, q.pattern), []).append(q)
    for (focus, pattern), qs in groups.items():
        for i in range(0, len(qs), limit):
            chunk = qs[i:i + limit]
            if len(chunk) == 1:
                out.append(chunk[0])
                continue
            bits = " + ".join(f"IF(COALESCE({q.expr}, false), {1 << k}, 0)" for k, q in enumerate(chunk))
            cols = "?this ?value" if pattern else "?this"
            sparql = (f"SELECT DISTINCT {cols} ?mask WHERE {{ {focus} {pattern} "
                      f"BIND(({bits}) AS ?mask) FILTER(?mask != 0) }}")
            out.append(Query(sparql, None, "", "", None, "", None, parts=chunk, fanout=chunk[0].fanout))
    return out
