"""Graphs that outgrow one process: push the built graph to any SPARQL 1.1 Graph Store Protocol
endpoint, and run queries on a remote SPARQL 1.1 Protocol endpoint.

Loading is idempotent: the first chunk replaces the target graph (HTTP PUT), the following
chunks are added to it (HTTP POST), so loading twice leaves the same triples, not twice as many.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from tajsec.core.errors import TajsecError
from tajsec.sparql.results import Result


class RemoteError(TajsecError):
    pass


def _with_graph(url: str, graph: str | None) -> str:
    sep = "&" if "?" in url else "?"
    if graph:
        return f"{url}{sep}{urllib.parse.urlencode({'graph': graph})}"
    return f"{url}{sep}default"


def _send(method: str, url: str, body: bytes, ctype: str, timeout: float) -> int:
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": ctype})
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            _read_bounded(r, deadline, 1 << 20, f"{method} {url}")
            return r.status
    except urllib.error.HTTPError as e:
        raise RemoteError(f"{method} {url}: HTTP {e.code}: {e.read().decode('utf-8', 'replace')[:300]}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        raise RemoteError(f"{method} {url}: {getattr(e, 'reason', e)}") from None


def triples_of(store: ox.Store) -> list[str]:
    """Every distinct triple of the union of the store's graphs, as sorted N-Triples lines."""
    seen = {f"{ox.Triple(q.subject, q.predicate, q.object)} .\n"
            for q in store.quads_for_pattern(None, None, None, None)}
    return sorted(seen)


def load(store: ox.Store, endpoint: str, graph: str | None = None, chunk: int = 50000,
         progress=None, timeout: float = 300.0) -> int:
    """Push the union of the store's graphs to a Graph Store Protocol `endpoint` (for Oxigraph:
    http://host:port/store), into `graph` or the default graph. Returns the triples sent."""
    lines = triples_of(store)
    if not lines:
        _send("PUT", _with_graph(endpoint, graph), b"", "application/n-triples", timeout)
        return 0
    for start in range(0, len(lines), chunk):
        body = "".join(lines[start:start + chunk]).encode("utf-8")
        method = "PUT" if start == 0 else "POST"
        _send(method, _with_graph(endpoint, graph), body, "application/n-triples", timeout)
        if progress:
            progress(min(start + chunk, len(lines)), len(lines))
    return len(lines)


MAX_ANSWER_BYTES = 256 << 20


def _read_bounded(resp, deadline: float, max_bytes: int, what: str) -> bytes:
    """The whole body, or RemoteError once the overall deadline passes or the size cap is hit
    (a slow-drip server cannot stretch the time-out read by read)."""
    chunks, size = [], 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise RemoteError(f"{what}: no complete answer within the time-out")
        sock = getattr(getattr(resp.fp, "raw", None), "_sock", None)  # http.client keeps it here
        if sock is not None:
            sock.settimeout(left)
        try:
            chunk = resp.read1(1 << 16)
        except (TimeoutError, OSError) as e:
            raise RemoteError(f"{what}: no complete answer within the time-out ({e})") from None
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise RemoteError(f"{what}: the answer is larger than {max_bytes >> 20} MiB; add a LIMIT")
        chunks.append(chunk)


def query(endpoint: str, text: str, default_graph: str | None = None, timeout: float = 60.0,
          max_bytes: int = MAX_ANSWER_BYTES) -> Result:
    """Run a SELECT on a SPARQL 1.1 Protocol endpoint (for Oxigraph: http://host:port/query),
    within an overall `timeout` and reading at most `max_bytes`."""
    form = {"query": text}
    if default_graph:
        form["default-graph-uri"] = default_graph
    req = urllib.request.Request(endpoint, data=urllib.parse.urlencode(form).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = _read_bounded(r, deadline, max_bytes, endpoint)
    except urllib.error.HTTPError as e:
        raise RemoteError(f"{endpoint}: HTTP {e.code}: {e.read(2000).decode('utf-8', 'replace')[:300]}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        raise RemoteError(f"{endpoint}: {getattr(e, 'reason', e)}") from None
    try:
        solutions = ox.parse_query_results(raw, format=ox.QueryResultsFormat.JSON)
        if isinstance(solutions, ox.QueryBoolean):
            raise RemoteError(f"{endpoint}: the answer is a boolean (ASK), not a table of rows")
        variables = [v.value for v in solutions.variables]
        rows = [[sol[v] for v in variables] for sol in solutions]
    except (SyntaxError, ValueError) as e:
        raise RemoteError(f"{endpoint}: the answer is not valid SPARQL JSON results "
                          f"(cut off by a time-out?): {str(e).splitlines()[0][:200]}") from None
    return Result(variables, rows)
