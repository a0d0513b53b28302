"""Graphs that outgrow one process: push the built graph to any SPARQL 1.1 Graph Store Protocol
endpoint, and run queries on a remote SPARQL 1.1 Protocol endpoint.

Loading is idempotent: the first chunk replaces the target graph (HTTP PUT), the following
chunks are added to it (HTTP POST), so loading twice leaves the same triples, not twice as many.

With credentials, a body-less HEAD first learns how the endpoint wants them (HTTP Basic or
Digest, from its challenge); every chunk then carries them from the start. Sending a large body
unauthenticated and being refused half-way (Virtuoso closes the connection) looked like a
"Broken pipe". The password never appears in a message, a URL or a log.
"""
from __future__ import annotations

import base64
import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from tajsec.core.errors import TajsecError
from tajsec.sparql.results import Result

RETRIES = 3  # attempts in all for an answer 5xx, with BACKOFF seconds doubling in between
BACKOFF = 0.5


class RemoteError(TajsecError):
    pass


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)


def _with_graph(url: str, graph: str | None) -> str:
    sep = "&" if "?" in url else "?"
    if graph:
        return f"{url}{sep}{urllib.parse.urlencode({'graph': graph})}"
    return f"{url}{sep}default"


def check_url(url: str) -> None:
    """RemoteError for an endpoint URL we cannot or should not use (no http(s), a password in it)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{url}: not an http:// or https:// URL")
    if parts.username or parts.password:
        raise RemoteError(f"{parts.scheme}://{parts.hostname}{parts.path}: put the user name in --user and the "
                          "password in TAJSEC_PASSWORD, .netrc or the prompt, not in the URL")


class _Authorizer:
    """Authorization headers for one endpoint, in the scheme its challenge asked for."""

    def __init__(self, endpoint: str, credentials: Credentials) -> None:
        self.credentials = credentials
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, endpoint, credentials.user, credentials.password)
        self._digest = urllib.request.HTTPDigestAuthHandler(passwords)
        self._challenge: dict | None = None
        self.scheme: str | None = None

    def learn(self, header: str | None) -> bool:
        """Take a WWW-Authenticate header; False when it asks for nothing we can answer."""
        scheme, _, rest = (header or "").strip().partition(" ")
        if scheme.lower() == "digest":
            self.scheme = "digest"
            self._challenge = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest))
            return True
        if scheme.lower() == "basic":
            self.scheme = "basic"
            return True
        return False

    def header(self, req: urllib.request.Request) -> str | None:
        if self.scheme == "basic":
            pair = f"{self.credentials.user}:{self.credentials.password}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        if self.scheme == "digest":
            # None when the challenge lacks what Digest needs (a realm, a nonce): no header, and the 401 stands
            answer = self._digest.get_authorization(req, self._challenge or {})
            return "Digest " + answer if answer else None
        return None


def _failure(what: str, e: BaseException, timeout: float) -> RemoteError:
    """An exception from urllib as one clear sentence naming `what` (method and endpoint)."""
    reason = getattr(e, "reason", e)
    if isinstance(reason, ConnectionRefusedError):
        return RemoteError(f"{what}: connection refused (is the server running, and on that port?)")
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return RemoteError(f"{what}: no answer within the time-out of {timeout:g} s")
    if isinstance(reason, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
                           http.client.IncompleteRead)):
        return RemoteError(f"{what}: the server closed the connection before answering")
    if isinstance(reason, socket.gaierror):
        return RemoteError(f"{what}: unknown host ({reason.strerror})")
    return RemoteError(f"{what}: {reason}")


def _http_failure(what: str, e: urllib.error.HTTPError, authorizer: _Authorizer | None) -> RemoteError:
    lines = e.read(2000).decode("utf-8", "replace").strip().splitlines()
    detail = f": {lines[0][:300]}" if lines else ""
    if e.code == 401:
        if authorizer is None:
            return RemoteError(f"{what}: HTTP 401, the endpoint wants credentials: give --user (the password from "
                               "TAJSEC_PASSWORD, .netrc or the prompt)")
        return RemoteError(f"{what}: HTTP 401, the endpoint refused the credentials of user "
                           f"{authorizer.credentials.user!r}")
    if e.code == 403:
        return RemoteError(f"{what}: HTTP 403, not allowed (may this user write there?){detail}")
    return RemoteError(f"{what}: HTTP {e.code}{detail}")


def _open(method: str, url: str, body: bytes | None, headers: dict, timeout: float,
          authorizer: _Authorizer | None, max_bytes: int, retries: int = RETRIES) -> tuple[int, bytes]:
    """One request, retried on 5xx (bounded, with backoff) and once on a fresh auth challenge
    (a stale Digest nonce); the status and body, or RemoteError."""
    what = f"{method} {url}"
    opener = urllib.request.build_opener()
    fresh_challenge = True
    for attempt in range(retries):
        req = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
        if authorizer is not None and (auth := authorizer.header(req)):
            req.add_unredirected_header("Authorization", auth)
        deadline = time.monotonic() + timeout
        try:
            with opener.open(req, timeout=timeout) as r:
                return r.status, _read_bounded(r, deadline, max_bytes, what)
        except urllib.error.HTTPError as e:
            if e.code == 401 and authorizer is not None and fresh_challenge and \
                    authorizer.learn(e.headers.get("WWW-Authenticate")):
                fresh_challenge = False
                continue
            if e.code >= 500 and attempt + 1 < retries:
                e.close()
                time.sleep(BACKOFF * 2 ** attempt)
                continue
            raise _http_failure(what, e, authorizer) from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            raise _failure(what, e, timeout) from None
    raise RemoteError(f"{what}: the endpoint asked for credentials again after they were given")


def _send(method: str, url: str, body: bytes, ctype: str, timeout: float,
          authorizer: _Authorizer | None = None) -> int:
    return _open(method, url, body, {"Content-Type": ctype}, timeout, authorizer, 1 << 20)[0]


def _authorizer(url: str, credentials: Credentials | None, timeout: float) -> _Authorizer | None:
    """Ask the endpoint (HEAD, no body) whether it wants credentials and in which scheme, and try
    them: a refusal is then a clear error before any data is sent (Virtuoso answers a refused PUT
    by closing the connection while the body is still being sent)."""
    authorizer = _Authorizer(url, credentials) if credentials else None
    try:
        _open("HEAD", url, None, {}, timeout, authorizer, 1 << 20)
    except RemoteError as e:
        if "HTTP 401" in str(e):
            raise
        # any other answer to HEAD (405, 404 for a graph not there yet) says nothing about credentials
    return authorizer


def triples_of(store: ox.Store) -> list[str]:
    """Every distinct triple of the union of the store's graphs, as sorted N-Triples lines."""
    seen = {f"{ox.Triple(q.subject, q.predicate, q.object)} .\n"
            for q in store.quads_for_pattern(None, None, None, None)}
    return sorted(seen)


def load(store: ox.Store, endpoint: str, graph: str | None = None, chunk: int = 50000,
         progress: Callable[[int, int], object] | None = None, timeout: float = 300.0,
         credentials: Credentials | None = None) -> int:
    """Push the union of the store's graphs to a Graph Store Protocol `endpoint` (Oxigraph:
    http://host:port/store; Virtuoso: http://host:port/sparql-graph-crud-auth), into `graph` or the
    default graph, with `credentials` if the endpoint asks for them. Returns the triples sent."""
    check_url(endpoint)
    target = _with_graph(endpoint, graph)
    authorizer = _authorizer(target, credentials, timeout)
    lines = triples_of(store)
    if not lines:
        _send("PUT", target, b"", "application/n-triples", timeout, authorizer)
        return 0
    for start in range(0, len(lines), chunk):
        body = "".join(lines[start:start + chunk]).encode("utf-8")
        method = "PUT" if start == 0 else "POST"
        _send(method, target, body, "application/n-triples", timeout, authorizer)
        if progress:
            progress(min(start + chunk, len(lines)), len(lines))
    return len(lines)


def load_files(paths: list[Path], endpoint: str, graph: str | None = None, chunk: int = 50000,
               progress: Callable[[int, int], object] | None = None, timeout: float = 300.0,
               credentials: Credentials | None = None, warnings: list | None = None) -> int:
    """Push the triples of data files (any RDF format the loader reads) to a Graph Store Protocol
    `endpoint`, into `graph` or the default graph, as `load` pushes a store: the first chunk
    replaces the graph, the others are added. Each file goes through the one loader
    (tajsec.io.load.InputFile: opened once, size limit, byte-order mark rule, entity and JSON-LD
    screens), is parsed as a stream and sent `chunk` triples at a time, so memory stays bounded
    whatever the size of the files; a dataset's named graphs are folded into the target graph.
    Other people's files are read leniently: ill-typed literals are sent as written and reported
    in `warnings` with their line. A file that does not parse stops the load with a LoadError
    naming it and its line (the chunks sent before it stay loaded: run again once it is fixed).
    `progress(triples sent, 0)` after each chunk. Returns the triples sent."""
    check_url(endpoint)
    target = _with_graph(endpoint, graph)
    authorizer = _authorizer(target, credentials, timeout)
    sent, batch = 0, cast(list[ox.Triple], [])   # the batch is filled in place, emptied by flush
    # one request at a time, in order, sent by a thread while the next chunk is parsed
    sender = ThreadPoolExecutor(1)
    pending: list[tuple[Future, int]] = []

    def wait() -> None:
        while pending:
            future, n = pending.pop(0)
            future.result()
            if progress:
                progress(n, 0)

    def flush() -> None:
        nonlocal sent
        body = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) or b""
        wait()
        pending.append((sender.submit(_send, "PUT" if sent == 0 else "POST", target, body, "application/n-triples",
                                      timeout, authorizer), sent + len(batch)))
        sent += len(batch)
        batch.clear()

    try:
        _read_and_send(paths, batch, flush, chunk, warnings)
        if batch or sent == 0:
            flush()
        wait()
    finally:
        sender.shutdown(wait=True, cancel_futures=True)
    return sent


def _read_and_send(paths: list[Path], batch: list[ox.Triple], flush: Callable[[], None], chunk: int,
                   warnings: list | None) -> None:
    """Each file through the loader into the current batch, `flush()` whenever it holds `chunk`."""
    from tajsec.io.load import InputFile, ill_typed, parse_error, refuse_triple_terms, report_ill_typed

    for path in paths:
        with InputFile(path, strict=False, warnings=warnings) as source:
            source.screen()
            bad: list[str] = []
            try:
                # a binary file pyoxigraph reads with read(), though not an IO[bytes] to the stubs
                for q in ox.parse(source.stream(), format=source.format, rename_blank_nodes=True):  # type: ignore[arg-type]
                    if isinstance(q.object, ox.Triple) or isinstance(q.subject, ox.Triple):
                        refuse_triple_terms(path, True, b"".join(source.chunks()))
                    if isinstance(q.object, ox.Literal):
                        why = ill_typed(q.object)
                        if why:
                            bad.append(why)
                    batch.append(ox.Triple(q.subject, q.predicate, q.object))
                    if len(batch) >= chunk:
                        flush()
            except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
                raise parse_error(path, e) from None
            report_ill_typed(path, source.lines, bad, False, warnings)


MAX_ANSWER_BYTES = 256 << 20


def _read_bounded(resp: http.client.HTTPResponse, deadline: float, max_bytes: int, what: str) -> bytes:
    """The whole body, or RemoteError once the overall deadline passes or the size cap is hit
    (a slow-drip server cannot stretch the time-out read by read)."""
    chunks: list[bytes] = []
    size = 0
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
    """Run a SELECT on a SPARQL 1.1 Protocol endpoint (tajsec serve: http://host:port/sparql;
    Oxigraph: http://host:port/query), within an overall `timeout` and reading at most `max_bytes`."""
    check_url(endpoint)
    form = {"query": text}
    if default_graph:
        form["default-graph-uri"] = default_graph
    _, raw = _open("POST", endpoint, urllib.parse.urlencode(form).encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"},
        timeout, None, max_bytes, retries=1)  # a query's 503 is usually its own time-out: not retried
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
