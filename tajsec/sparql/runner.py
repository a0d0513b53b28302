"""The one query runner for users' queries: parameters bound as RDF terms (never spliced into
the text), SERVICE refused by parsing, and evaluation in a sandboxed worker (`worker.py`) with a
time-out, a memory cap and no network."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import expand
from tajsec.sparql import offline, sandbox
from tajsec.sparql.results import Result
from tajsec.sparql.worker import (
    DEFAULT_MEMORY,
    QueryError,
    Request,
    RowTracer,
    decode_term,
    encode_term,
    run_isolated,
    union_by_default,
)

if TYPE_CHECKING:
    from tajsec.graph.build import Built

__all__ = ["DEFAULT_MEMORY", "QueryError", "network_isolation", "parse_binding", "run_select"]


@lru_cache(maxsize=1)
def network_isolation() -> bool:
    """Whether this system lets query workers run in a private network namespace."""
    return sandbox.network_isolation_available()


def parse_binding(spec: str) -> tuple[str, ox.NamedNode | ox.Literal]:
    """`var=<iri>`, `var=prefix:name` or `var=text` (a plain string literal). The value becomes
    an RDF term and is never spliced into the query text."""
    if "=" not in spec:
        raise QueryError(f"--bind {spec!r}: expected VAR=VALUE")
    var, value = spec.split("=", 1)
    var = var.lstrip("?$")
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", var):
        raise QueryError(f"--bind {spec!r}: {var!r} is not a SPARQL variable name")
    if value.startswith("<") and value.endswith(">"):
        try:
            return var, ox.NamedNode(value[1:-1])
        except ValueError as e:
            raise QueryError(f"--bind {spec!r}: {e}") from None
    iri = expand(value) if re.fullmatch(r"[A-Za-z][\w-]*:[^\s]*", value) else None
    if iri:
        return var, ox.NamedNode(iri)
    return var, ox.Literal(value)


def check_offline(text: str, allow_network: bool) -> None:
    """Refuse a query that would reach the network (unless allowed): QueryError."""
    if allow_network:
        return
    reason = offline.refusal(text, network_isolation())
    if reason:
        raise QueryError(reason, "network")


def run_select(built: Built, text: str, bindings: dict | None = None, limit: int | None = None,
               timeout: float | None = None, allow_network: bool = False,
               memory: int = DEFAULT_MEMORY, prefixes: dict | None = None,
               tracer: RowTracer | None = None) -> Result:
    """A SELECT query's answer, evaluated in a sandboxed worker. `prefixes` are declared for the
    query (its own PREFIX lines take precedence). `tracer(variables, rows)`, if given, runs in the
    worker too and its evidence comes back as `Result.evidence`. A query with FROM or FROM NAMED
    runs over the dataset it names (as the served endpoint runs it); any other over the union of
    all graphs."""
    check_offline(text, allow_network)
    req = Request(text, {k: encode_term(v) for k, v in (bindings or {}).items()}, output="rows", limit=limit,
                  prefixes=prefixes, query_dataset=offline.declares_dataset(text))
    out = run_isolated(union_by_default(built.store), req, timeout, memory, allow_network, tracer)
    return Result(out["variables"], [[decode_term(t) for t in row] for row in out["rows"]], out.get("evidence"))
