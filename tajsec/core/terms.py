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


def solutions(answer: QueryAnswer) -> ox.QuerySolutions:
    """The rows of a SELECT's answer. Our own queries are SELECTs where this is called: anything
    else is a bug, said at once rather than as a failure to iterate later."""
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError(f"expected the solutions of a SELECT, not {type(answer).__name__}")
    return answer


def triples(answer: QueryAnswer) -> ox.QueryTriples:
    """The triples of a CONSTRUCT's answer (a TypeError for any other form, as `solutions`)."""
    if not isinstance(answer, ox.QueryTriples):
        raise TypeError(f"expected the triples of a CONSTRUCT, not {type(answer).__name__}")
    return answer
