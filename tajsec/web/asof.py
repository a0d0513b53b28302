"""The endpoint's `as-of` extension: a store_query that takes `as_of=DATE` and then answers over
the view of the graph as of that date (`tajsec.timeline.asof`), built inside the query worker
(its time-out and memory cap hold) and kept there for the next request of the same date."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

from tajsec.core.terms import QueryAnswer, StoreQuery
from tajsec.sparql.worker import union_by_default
from tajsec.timeline.asof import AsOf

KEPT_VIEWS = 8  # views a worker keeps (each a copy of the graph: a few MB)


def as_of_query(as_of: AsOf, store_query: StoreQuery) -> StoreQuery:
    """`store_query` for requests without `as_of`; with it, the same over the view as of that date
    (the union of its graphs by default, as for the whole graph)."""
    views: OrderedDict[str, StoreQuery] = OrderedDict()

    def query(text: str, **kw: Any) -> QueryAnswer:
        date = kw.pop("as_of", None)
        if date is None:
            return store_query(text, **kw)
        if date not in views:
            views[date] = union_by_default(as_of.view(date).built.store)
            if len(views) > KEPT_VIEWS:
                views.popitem(last=False)
        views.move_to_end(date)
        return views[date](text, **kw)

    return query
