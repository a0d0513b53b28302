"""Where every user query runs: a forked worker process with no network and a memory cap,
stopped for real (SIGKILL) when its time is up.

`execute` is the evaluation itself (in the worker); `run_isolated` runs one query in a
one-shot worker (`tajsec query`); `WorkerPool` (`pool.py`) keeps workers ready for the server.
Requests and answers cross the process boundary as length-prefixed JSON: plain data only.
"""
from __future__ import annotations

import functools
import json
import os
import select
import signal
import socket
import struct
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, cast

import pyoxigraph as ox

from tajsec.core import formats
from tajsec.core.errors import TajsecError, query_syntax_message
from tajsec.core.terms import QueryAnswer, StoreQuery, Term
from tajsec.sparql import results, sandbox

GRAPH_FORMATS = {  # name -> pyoxigraph serialiser
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
DEFAULT_MEMORY = 2 << 30


class QueryError(TajsecError):
    """A query that cannot run, or was stopped. `kind` says which (syntax, form, rows, bytes,
    memory, timeout, network, engine)."""

    def __init__(self, message: str, kind: str = "engine") -> None:
        super().__init__(message)
        self.kind = kind


#: `tracer(variables, rows)`: the evidence member of an answer (tajsec.evidence.trace)
RowTracer = Callable[[list[str], list[list]], dict]
#: `trace(query, variables, rows)`: the same, for any query a worker answers
Trace = Callable[[str, list[str], list[list]], dict]


@dataclass
class Request:
    query: str
    substitutions: dict = field(default_factory=dict)  # variable -> encoded term
    output: str | None = "rows"  # "rows" (terms back to the caller), a results format name, or None (none acceptable)
    graph_output: str | None = "turtle"  # the format for CONSTRUCT/DESCRIBE answers (None: none acceptable)
    max_rows: int | None = None  # more rows (or triples) than this: an error
    limit: int | None = None  # keep at most this many rows, silently (the CLI's --limit)
    forms: tuple = ("SELECT",)  # query forms allowed
    prefixes: dict | None = None  # prefixes declared for the query unless it declares its own
    # The dataset by the SPARQL 1.1 Protocol: graph IRIs from default-graph-uri / named-graph-uri
    # (None: the parameter was not given). Given either, they replace any FROM in the query.
    default_graphs: list | None = None
    named_graphs: list | None = None
    query_dataset: bool = False  # the query has FROM / FROM NAMED: its dataset, not the union
    evidence: bool = False  # a served evidence request: the worker's `trace` adds each row's evidence
    as_of: str | None = None  # a date: the query runs on the graph as of it (store_query takes `as_of=`)


def dataset_arguments(req: Request) -> dict:
    """The keyword arguments of `Store.query` for the request's dataset; none for the default
    (the union of all graphs, which the caller's `store_query` applies)."""
    if req.default_graphs is None and req.named_graphs is None:
        return {"use_default_graph_as_union": False} if req.query_dataset else {}
    return {"default_graph": [ox.NamedNode(g) for g in req.default_graphs or []],
            "named_graphs": [ox.NamedNode(g) for g in req.named_graphs or []]}


def union_by_default(store: ox.Store) -> StoreQuery:
    """`store.query` whose default graph is the union of all graphs unless the request names
    a dataset (`dataset_arguments`)."""
    def query(text: str, **kw: Any) -> QueryAnswer:
        if not {"default_graph", "named_graphs", "use_default_graph_as_union"} & kw.keys():
            kw["use_default_graph_as_union"] = True
        return store.query(text, **kw)
    return query


# -- terms across the process boundary ----------------------------------------------------

def encode_term(t: Term | None) -> list[Any] | None:  # JSON across the process boundary
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ["iri", t.value]
    if isinstance(t, ox.BlankNode):
        return ["bnode", t.value]
    return ["lit", t.value, t.language, t.datatype.value]


def decode_term(t: list[Any] | None) -> Term | None:
    if t is None:
        return None
    if t[0] == "iri":
        return ox.NamedNode(t[1])
    if t[0] == "bnode":
        return ox.BlankNode(t[1])
    _, value, lang, dt = t
    return ox.Literal(value, language=lang) if lang else ox.Literal(value, datatype=ox.NamedNode(dt))


# -- evaluation (inside the worker) -------------------------------------------------------

def _form(res: QueryAnswer) -> str:
    if isinstance(res, ox.QuerySolutions):
        return "SELECT"
    if isinstance(res, ox.QueryBoolean):
        return "ASK"
    return "CONSTRUCT"


def execute(store_query: StoreQuery, req: Request, tracer: RowTracer | None = None) -> dict:
    """Evaluate `req` with `store_query` (Built.query); the answer as plain data. `tracer`, if
    given, is called with the SELECT answer's variables and rows and its plain-data evidence is
    returned beside them (it runs here, in the worker, because it runs the user's WHERE clause
    again: the same time-out, memory cap and network wall must hold)."""
    kwargs: dict = {}
    if req.substitutions:
        kwargs["substitutions"] = {ox.Variable(k): decode_term(v) for k, v in req.substitutions.items()}
    if req.prefixes:
        kwargs["prefixes"] = req.prefixes
    kwargs.update(dataset_arguments(req))
    if req.as_of is not None:
        kwargs["as_of"] = req.as_of
    try:
        res = store_query(req.query, **kwargs)
    except SyntaxError as e:
        raise QueryError(query_syntax_message(e), "syntax") from None
    except (RuntimeError, OSError, ValueError) as e:
        if "projection" in str(e):
            raise QueryError(f"{e}: --bind works on variables the query SELECTs", "engine") from None
        raise QueryError(str(e), "engine") from None
    form = _form(res)
    if form not in req.forms and not (form == "CONSTRUCT" and "DESCRIBE" in req.forms):
        raise QueryError(f"only {' and '.join(req.forms)} queries are supported here", "form")
    if form == "ASK":
        value = bool(res)
        if req.output == "rows":
            return {"boolean": value}
        fmt = _acceptable(req.output, results.WRITERS, form)
        return {"body": results.boolean_to(fmt, value), "form": form, "format": fmt}
    cap = req.max_rows
    items: list = []  # solutions or triples
    for item in cast(ox.QuerySolutions | ox.QueryTriples, res):  # not ASK: answered above
        if req.limit is not None and len(items) >= req.limit:
            break
        items.append(item)
        if cap is not None and len(items) > cap:
            noun = "rows" if form == "SELECT" else "triples"
            raise QueryError(f"the answer has more than {cap} {noun}; add a LIMIT or narrow the query", "rows")
    if form == "SELECT":
        variables = [v.value for v in cast(ox.QuerySolutions, res).variables]
        rows = [[sol[v] for v in variables] for sol in items]
        if req.output == "rows":
            out = {"variables": variables, "rows": [[encode_term(t) for t in r] for r in rows]}
            if tracer is not None:
                out["evidence"] = _traced(tracer, variables, rows)
            return out
        fmt = _acceptable(req.output, results.WRITERS, form)
        evidence = _traced(tracer, variables, rows) if tracer is not None else None
        return {"body": results.WRITERS[fmt](results.Result(variables, rows, evidence)), "form": form,
                "format": fmt}
    fmt = _acceptable(req.graph_output, GRAPH_FORMATS, form)
    body = ox.serialize(items, format=GRAPH_FORMATS[fmt])
    return {"body": cast(bytes, body).decode("utf-8"), "form": form, "format": fmt}  # no output: bytes back


def _traced(tracer: RowTracer, variables: list[str], rows: list) -> dict:
    try:
        return tracer(variables, rows)
    except Exception as e:  # noqa: BLE001 - the rows stand without their evidence, never a traceback
        return {"rows": [{"traced": False, "reason": str(e) or type(e).__name__} for _ in rows],
                "statements": {}}


def _acceptable(fmt: str | None, known: Mapping[str, object], form: str) -> str:
    """`fmt` if `known` has it, else the not-acceptable QueryError."""
    if fmt is None or fmt not in known:
        table = formats.GRAPHS if known is GRAPH_FORMATS else formats.RESULTS
        raise QueryError(f"a {form} answer cannot be given in any of the requested formats; "
                         f"supported: {', '.join(formats.media_types(table))}", "not-acceptable")
    return fmt


# -- framing --------------------------------------------------------------------------------

def send_message(sock: socket.socket, obj: dict) -> None:
    data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
    sock.sendall(struct.pack(">Q", len(data)) + data)


def _recv_exact(sock: socket.socket, n: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([sock], [], [], left)[0]:
                raise TimeoutError
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def recv_message(sock: socket.socket, deadline: float | None = None, max_bytes: int | None = None) -> dict:
    (n,) = struct.unpack(">Q", _recv_exact(sock, 8, deadline))
    if max_bytes is not None and n > max_bytes:
        raise QueryError(f"the answer is larger than {max_bytes >> 20} MiB; add a LIMIT or narrow the query", "bytes")
    return json.loads(_recv_exact(sock, n, deadline))


def answer(store_query: StoreQuery, req: Request, tracer: RowTracer | None = None) -> dict:
    try:
        return {"ok": execute(store_query, req, tracer)}
    except QueryError as e:
        return {"error": str(e), "kind": e.kind}
    except MemoryError:
        return {"error": "the query needed more memory than the cap allows and was stopped", "kind": "memory"}
    except Exception as e:  # noqa: BLE001 - an engine failure while iterating is still a clean error
        return {"error": str(e) or type(e).__name__, "kind": "engine"}


def serve_requests(sock: socket.socket, store_query: StoreQuery, trace: Trace | None = None) -> None:
    """A worker's loop: one request at a time until the other end closes. `trace(query, variables,
    rows)`, if given, is the tracer for requests that ask for evidence (`Request.evidence`)."""
    while True:
        try:
            msg = recv_message(sock)
        except (EOFError, OSError):
            return
        req = Request(**msg)
        if req.evidence and trace is None:
            send_message(sock, {"error": "this server traces no evidence", "kind": "form"})
            continue
        tracer: RowTracer | None = None
        if req.evidence and trace is not None:
            tracer = functools.partial(trace, req.query)
        send_message(sock, answer(store_query, req, tracer))


def enter_sandbox(memory: int, allow_network: bool) -> bool:
    """In a fresh child: wall it in. Returns whether the network is cut off."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    isolated = False if allow_network else sandbox.isolate_network()
    sandbox.cap_memory(memory)
    return isolated


# -- one query, one worker ------------------------------------------------------------------

def stopped_message(status: int | None, memory: int) -> str:
    killed_by = (signal.SIGABRT, signal.SIGSEGV, signal.SIGKILL)
    if status is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) in killed_by:
        return (f"the query stopped: it needed more than the memory cap of {memory >> 20} MiB "
                "(--max-memory), or the engine failed")
    return "the query worker stopped without an answer"


def run_isolated(store_query: StoreQuery, req: Request, timeout: float | None, memory: int = DEFAULT_MEMORY,
                 allow_network: bool = False, tracer: RowTracer | None = None) -> dict:
    """Run one request in a forked, sandboxed worker; its answer, or QueryError."""
    parent, child = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the worker
        parent.close()
        try:
            enter_sandbox(memory, allow_network)
            send_message(child, answer(store_query, req, tracer))
        finally:
            os._exit(0)
    child.close()
    deadline = time.monotonic() + timeout if timeout else None
    try:
        msg = recv_message(parent, deadline)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise QueryError(f"the query ran past the time-out of {timeout:g} s and was stopped", "timeout") from None
    except (EOFError, OSError, ValueError):
        _, status = os.waitpid(pid, 0)
        raise QueryError(stopped_message(status, memory), "memory") from None
    except BaseException:  # Ctrl-C while waiting: the worker must not outlive us
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    finally:
        parent.close()
    os.waitpid(pid, 0)
    if "error" in msg:
        raise QueryError(msg["error"], msg["kind"])
    return msg["ok"]


__all__ = ["GRAPH_FORMATS", "RESULT_FORMATS", "QueryError", "Request", "asdict", "execute", "run_isolated"]
