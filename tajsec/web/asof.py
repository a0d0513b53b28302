"""The endpoint's `as-of` extension: a store_query that takes `as_of=DATE` and then answers over
the view of the graph as of that date (`tajsec.timeline.asof`). The view is made inside the query
worker (its time-out and memory cap hold), in the worker's own copy of the working store, and
kept until a request asks for another date."""
from __future__ import annotations

from typing import Any

from tajsec.core.terms import QueryAnswer, StoreQuery
from tajsec.sparql.worker import union_by_default
from tajsec.timeline.asof import AsOf


def as_of_query(as_of: AsOf, store_query: StoreQuery) -> StoreQuery:
    """`store_query` for requests without `as_of`; with it, the same over the view as of that date
    (the union of its graphs by default, as for the whole graph)."""
    current: list[str] = []
    view_query = union_by_default(as_of.store)

    def query(text: str, **kw: Any) -> QueryAnswer:
        date = kw.pop("as_of", None)
        if date is None:
            return store_query(text, **kw)
        if current != [date]:
            current[:] = []
            as_of.view(date)
            current.append(date)
        return view_query(text, **kw)

    return query
