"""Graphs that outgrow one process: push the built graph to any SPARQL 1.1 Graph Store Protocol
endpoint, and run queries on a remote SPARQL 1.1 Protocol endpoint.

Loading is idempotent: the first chunk replaces the target graph (HTTP PUT), the following
chunks are added to it (HTTP POST), so loading twice leaves the same triples, not twice as many.
"""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from tajsec import queries


class RemoteError(Exception):
    pass


def _with_graph(url: str, graph: str | None) -> str:
    sep = "&" if "?" in url else "?"
    if graph:
        return f"{url}{sep}{urllib.parse.urlencode({'graph': graph})}"
    return f"{url}{sep}default"


def _send(method: str, url: str, body: bytes, ctype: str, timeout: float) -> int:
    req = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": ctype})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
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


def query(endpoint: str, text: str, default_graph: str | None = None, timeout: float = 60.0) -> queries.Result:
    """Run a SELECT on a SPARQL 1.1 Protocol endpoint (for Oxigraph: http://host:port/query)."""
    form = {"query": text}
    if default_graph:
        form["default-graph-uri"] = default_graph
    req = urllib.request.Request(endpoint, data=urllib.parse.urlencode(form).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
    except urllib.error.HTTPError as e:
        raise RemoteError(f"{endpoint}: HTTP {e.code}: {e.read().decode('utf-8', 'replace')[:300]}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        raise RemoteError(f"{endpoint}: {getattr(e, 'reason', e)}") from None
    try:
        doc = json.loads(raw)
    except ValueError:
        raise RemoteError(f"{endpoint}: the answer is not complete SPARQL JSON (cut off by a time-out?)") from None
    variables = doc["head"]["vars"]
    rows = [[_term(b.get(v)) for v in variables] for b in doc["results"]["bindings"]]
    return queries.Result(variables, rows)


def _term(t):
    if t is None:
        return None
    if t["type"] == "uri":
        return ox.NamedNode(t["value"])
    if t["type"] == "bnode":
        return ox.BlankNode(t["value"])
    if "xml:lang" in t:
        return ox.Literal(t["value"], language=t["xml:lang"])
    return ox.Literal(t["value"], datatype=ox.NamedNode(t.get("datatype", "http://www.w3.org/2001/XMLSchema#string")))
