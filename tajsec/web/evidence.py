"""The served evidence request: `/sparql/evidence`, an extension beside the standard `/sparql`.

It takes a SELECT query as `/sparql` does (GET `?query=`, or POST as application/sparql-query or
a form) and answers in SPARQL 1.1 JSON results with one more top-level member, `evidence`: one
entry per binding, in the shape `tajsec query --why --format json` writes (documented in
`tajsec.evidence.trace`). Ordinary SPARQL JSON readers skip the member. The tracer runs inside the
pool's sandboxed workers, after the query, under the same time-out, memory cap and row limit.

Evidence is traced over the dataset the query names: the union of all graphs, or its FROM and
FROM NAMED graphs (the tracer follows them). The protocol's dataset parameters (which would
replace them) are refused here rather than answered with evidence from other graphs; so are other
results formats than JSON, and every query form but SELECT.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tajsec.web.server import Guard
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tajsec.graph.build import Built
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tajsec.core import formats
from tajsec.sparql import offline
from tajsec.sparql.worker import Request

PATH = "/sparql/evidence"
PARAMETERS = ("query",)
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
WHOLE_GRAPH = ("evidence is traced over the query's own dataset (FROM, FROM NAMED) or the whole graph; "
               "name graphs in the query, or ask /sparql")
JSON_ONLY = {"json": formats.RESULTS["json"]}

Trace = Callable[[str, list, list], dict]


def tracing(built: Built, root: Path | None = None) -> Trace:
    """The tracer the workers use: `trace(query, variables, rows)` -> the evidence member. Made
    before the pool forks, so each worker inherits it (and fills its own caches)."""
    from tajsec.evidence.trace import Tracer

    return Tracer(built, root).trace


def answer(handler: Guard, params: dict[str, list[str]]) -> None:
    """Answer one evidence request on `handler` (a `tajsec.web.server.Guard`)."""
    if not handler.pool.traces:
        return handler._error(404, f"this server was started without evidence; {PATH} is not available")
    if "update" in params:
        return handler._error(403, "this endpoint is read-only: updates are refused")
    dataset = [p for p in DATASET_PARAMETERS if p in params]
    if dataset:
        return handler._error(400, f"{dataset[0]} is not taken on {PATH}: {WHOLE_GRAPH}")
    unknown = sorted(set(params) - set(PARAMETERS))
    if unknown:
        return handler._error(400, f"unknown parameter {unknown[0][:60]!r}; {PATH} takes {', '.join(PARAMETERS)}")
    queries = params.get("query", [])
    if len(queries) != 1:
        return handler._error(400, "give exactly one 'query' parameter (a SELECT query)")
    query = queries[0]
    refused = handler._refusal(query)
    if refused:
        return handler._error(refused.status, str(refused))
    if formats.negotiate(handler.headers.get("Accept"), JSON_ONLY) is None:
        return handler._error(406, f"{PATH} answers in {formats.content_type('json')} only")
    return handler._run(Request(query, output="json", graph_output=None, max_rows=handler.max_rows,
                                forms=("SELECT",), evidence=True, query_dataset=offline.declares_dataset(query)))
