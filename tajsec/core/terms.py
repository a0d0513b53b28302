"""The types of RDF terms and query answers that cross module boundaries, named once so that
signatures say what they take (pyoxigraph's own classes, combined)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import pyoxigraph as ox

#: A subject: something with an identity in the graph.
Resource = ox.NamedNode | ox.BlankNode
#: A value in a solution or in the object position.
Term = ox.NamedNode | ox.BlankNode | ox.Literal
#: Any term a parser can hand back, RDF 1.2 triple terms included.
AnyTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: What `Store.query` answers: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).
QueryAnswer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples
#: A bound `query` method (`Built.query`, `Store.query`, a view of one graph).
StoreQuery = Callable[..., QueryAnswer]


class Queryable(Protocol):
    """Anything with a `query` method like `Store.query`."""

    def query(self, sparql: str, **kw: Any) -> QueryAnswer: ...
