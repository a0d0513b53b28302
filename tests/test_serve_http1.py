"""The request head of `tajsec serve` (tajsec/web/http1.py) is read as the standard library reads
it: every header the server looks at has the value `http.client.parse_headers` gives, for plain
blocks (the fast reading) and odd ones (the standard library's reading), with its limits."""
from __future__ import annotations

import http.client
import io
import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tajsec.web.http1 import MAX_HEADERS, Headers, read_headers

NAMES = ["Host", "Accept", "Content-Type", "Content-Length", "Connection", "Expect", "X-Other",
         "Access-Control-Request-Private-Network"]


def _same_as_the_standard_library(block: bytes) -> None:
    ours = read_headers(io.BytesIO(block))
    theirs = http.client.parse_headers(io.BytesIO(block))
    for name in NAMES + [n.lower() for n in NAMES] + [n.upper() for n in NAMES]:
        assert ours.get(name) == theirs.get(name), (name, block)
        assert ours.get(name, "absent") == theirs.get(name, "absent"), (name, block)
        assert ours[name] == theirs[name] and (name in ours) == (name in theirs)


@pytest.mark.parametrize("block", [
    b"Host: 127.0.0.1:7878\r\nAccept: application/sparql-results+json\r\n\r\n",
    b"host:x\r\nACCEPT:\t  text/csv  \r\nContent-Length: 12\r\n\r\nbody",     # case, tabs, trailing spaces kept
    b"Host: a\r\nHost: b\r\nX-Other:\r\n\r\n",                                # the first of repeated names; empty
    b"Host: a\nAccept: text/csv\n\n",                                        # bare LF
    b"Host: caf\xe9\r\n\r\n",                                                # Latin-1 bytes
    b"\r\n",                                                                 # no headers
    b"Host: a\r\nAccept: text/csv,\r\n text/tab-separated-values\r\n\r\n",   # folded: the standard reading
    b"Host: a\r\nnot a header\r\nAccept: text/csv\r\n\r\n",                  # no colon: the standard reading
    b"Host : a\r\nAccept: b\r\n\r\n",                                        # space before the colon
    b"Host: a\r\r\nAccept: b\r\n\r\n",                                       # a stray CR
    b"Host: a\r\nAccept: b",                                                 # cut off before the empty line
])
def test_plain_and_odd_header_blocks_read_as_the_standard_library_reads_them(block):
    _same_as_the_standard_library(block)


def test_the_plain_reading_is_the_fast_one_and_odd_blocks_fall_back():
    assert isinstance(read_headers(io.BytesIO(b"Host: a\r\nAccept: b\r\n\r\n")), Headers)
    folded = read_headers(io.BytesIO(b"Host: a\r\nAccept: b,\r\n c\r\n\r\n"))
    assert isinstance(folded, http.client.HTTPMessage)
    plain = read_headers(io.BytesIO(b"Host: a\r\nX-Other:  b \r\n\r\n"))
    assert plain.items() == [("Host", "a"), ("X-Other", "b ")]
    assert 42 not in plain


header_line = st.tuples(st.sampled_from(NAMES + ["x-y", "A"]),
                        st.text(st.characters(min_codepoint=9, max_codepoint=255, blacklist_characters="\r\n"),
                                max_size=12))


@settings(max_examples=200, deadline=None)
@given(st.lists(header_line, max_size=8), st.sampled_from([b"\r\n", b"\n"]), st.booleans())
def test_random_header_blocks_read_as_the_standard_library_reads_them(lines, eol, spaced):
    sep = b": " if spaced else b":"
    block = b"".join(n.encode() + sep + v.encode("latin-1") + eol for n, v in lines) + eol
    _same_as_the_standard_library(block)


def test_the_limits_are_the_standard_librarys():
    with pytest.raises(http.client.LineTooLong):
        read_headers(io.BytesIO(b"X-Other: " + b"a" * 70000 + b"\r\n\r\n"))
    read_headers(io.BytesIO(b"X-Other: " + b"a" * (65536 - 11) + b"\r\n\r\n"))   # 65,536 bytes with CRLF: taken
    many = b"".join(b"X-%d: a\r\n" % i for i in range(MAX_HEADERS)) + b"\r\n"
    with pytest.raises(http.client.HTTPException, match="more than 100 headers"):
        read_headers(io.BytesIO(many))
    read_headers(io.BytesIO(many[-(len(many) - len(b"X-0: a\r\n")):]))   # 99 headers and the empty line: taken


def _status(port: int, request: bytes) -> bytes:
    """The status line of the answer to `request`, without the protocol version."""
    return _exchange(port, request).split(b"\r\n")[0].split(b" ", 1)[1]


def _exchange(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.fixture(scope="module")
def port():
    import threading

    import pyoxigraph as ox

    from tajsec.sparql.worker import union_by_default
    from tajsec.web.server import make_server

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p"), ox.Literal("o"),
                      ox.NamedNode("https://e.org/g")))
    httpd, pool = make_server(union_by_default(store), port=0, workers=1)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    pool.close()


def test_the_server_answers_as_before_on_odd_request_heads(port):
    host = b"Host: 127.0.0.1:%d\r\n" % port
    ok = _exchange(port, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n")
    assert ok.startswith(b"HTTP/1.1 200 ") and b"true" in ok
    folded = _exchange(port, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\n" + host
                       + b"Accept: text/csv,\r\n text/plain\r\nConnection: close\r\n\r\n")
    assert folded.startswith(b"HTTP/1.1 200 ") and folded.endswith(b"\r\n\r\ntrue\r\n")   # CSV, as asked
    many = b"".join(b"X-%d: a\r\n" % i for i in range(MAX_HEADERS + 1))
    assert _status(port, b"GET / HTTP/1.1\r\n" + host + many + b"\r\n").startswith(b"431 Too many headers")
    assert _status(port, b"GET / HTTP/1.1\r\nX-Other: " + b"a" * 70000 + b"\r\n\r\n").startswith(b"431 Line too long")
    # before the version is known the answer is HTTP/0.9's: the error page alone, as the standard library does
    assert b"Error code: 505" in _exchange(port, b"GET / HTTP/2.0\r\n" + host + b"\r\n")
    assert b"Bad request version" in _exchange(port, b"GET / HTTP/1.x\r\n" + host + b"\r\n")
    assert b"Bad HTTP/0.9 request type" in _exchange(port, b"POST /\r\n\r\n")
    assert b"Bad request syntax" in _exchange(port, b"GET / HTTP/1.1 extra\r\n\r\n")
    other_host = _exchange(port, b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: evil.example\r\n"
                           + b"Connection: close\r\n\r\n")
    assert other_host.startswith(b"HTTP/1.1 403 ")
    # Expect: 100-continue is answered before the body is sent
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"POST /sparql HTTP/1.1\r\n" + host + b"Content-Type: application/sparql-query\r\n"
                  b"Content-Length: 6\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n")
        assert s.recv(100).startswith(b"HTTP/1.1 100 Continue")
        s.sendall(b"ASK {}")
        rest = b""
        while chunk := s.recv(65536):
            rest += chunk
    assert b" 200 " in rest and b"true" in rest


def test_connection_threads_are_kept_and_bounded_by_max_connections():
    import threading
    import time

    import pyoxigraph as ox

    from tajsec.sparql.worker import union_by_default
    from tajsec.web.server import make_server

    httpd, pool = make_server(union_by_default(ox.Store()), port=0, workers=1, max_connections=2, idle_timeout=2)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    port = httpd.server_address[1]
    ask = (b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1:" + str(port).encode()
           + b"\r\nConnection: close\r\n\r\n")
    try:
        before = threading.active_count()
        others = {t.name for t in threading.enumerate()}   # other servers' threads
        names: set[str] = set()
        for _ in range(20):
            assert _exchange(port, ask).startswith(b"HTTP/1.1 200 ")
            names |= {t.name for t in threading.enumerate() if "_connection_thread" in t.name} - others
        assert 1 <= len(names) <= 2   # the same thread or two served all 20 connections
        time.sleep(0.2)
        assert threading.active_count() - before <= 2   # a thread or two, kept, for 20 connections (not 20)
        # two idle connections hold both slots: the third connection gets 503 at once
        held = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
        time.sleep(0.3)
        assert _exchange(port, ask).startswith(b"HTTP/1.1 503 ")
        assert threading.active_count() - before <= 2
        for s in held:
            s.close()
        time.sleep(0.5)
        assert _exchange(port, ask).startswith(b"HTTP/1.1 200 ")
        assert threading.active_count() - before <= 2
    finally:
        httpd.shutdown()
        httpd.server_close()
        pool.close()
    time.sleep(0.3)
    assert threading.active_count() <= before   # the kept threads end with the server
