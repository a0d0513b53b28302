"""The worker pool of `tajsec serve` (tajsec/web/pool.py): requests that wait for a worker are
served first come, first served, a late arrival never takes a worker from one that waits, and a
request that waited its `wait` out leaves the line with PoolBusy."""
from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from tajsec.sparql.worker import Request, union_by_default
from tajsec.web.pool import PoolBusy, WorkerPool


@pytest.fixture()
def pool():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://e.org/s"), ox.NamedNode("https://e.org/p"), ox.Literal("o"),
                      ox.NamedNode("https://e.org/g")))
    for i in range(300):
        store.add(ox.Quad(ox.NamedNode(f"https://e.org/n{i}"), ox.NamedNode("https://e.org/q"), ox.Literal(str(i)),
                          ox.NamedNode("https://e.org/g")))
    p = WorkerPool(union_by_default(store), size=1, wait=2.0)
    yield p
    p.close()


def _until(condition, seconds: float = 5.0) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.005)


def test_waiting_requests_get_the_worker_in_arrival_order(pool):
    held = pool._borrow()
    order: list[int] = []

    def wait_and_return(i: int) -> None:
        w = pool._borrow()
        order.append(i)
        pool._give_back(w)

    threads = []
    for i in range(4):
        t = threading.Thread(target=wait_and_return, args=(i,))
        t.start()
        threads.append(t)
        _until(lambda i=i: len(pool._waiting) == i + 1)   # each in line before the next arrives
    pool._give_back(held)
    for t in threads:
        t.join(5)
    assert order == [0, 1, 2, 3]
    assert len(pool._idle) == 1 and not pool._waiting


def test_a_returned_worker_goes_to_the_waiting_request_not_to_a_late_arrival(pool):
    held = pool._borrow()
    got: list[object] = []
    t = threading.Thread(target=lambda: got.append(pool._borrow()))
    t.start()
    _until(lambda: len(pool._waiting) == 1)
    pool._give_back(held)
    assert not pool._idle   # handed over directly: nothing free for anyone else
    t.join(5)
    assert got == [held]
    pool._give_back(held)
    assert pool._borrow() is held   # with nobody waiting, a free worker is taken at once


def test_a_request_that_waited_too_long_leaves_the_line(pool):
    pool.wait = 0.2
    held = pool._borrow()
    t0 = time.monotonic()
    with pytest.raises(PoolBusy, match="busy"):
        pool._borrow()
    assert 0.2 <= time.monotonic() - t0 < 2
    assert not pool._waiting
    pool._give_back(held)
    assert list(pool._idle) == [held]   # nobody waits: the worker is free again


def test_answers_still_flow_after_a_worker_is_replaced(pool):
    slow = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . FILTER(STR(?c) = CONCAT(STR(?f), STR(?i), 'x')) }"
    fast = Request("SELECT ?o WHERE { ?s <https://e.org/p> ?o }", output="json")
    assert b'"o"' in pool.run(fast, 5.0)["body"].encode()
    with pytest.raises(Exception, match="did not finish"):
        pool.run(Request(slow, output="json"), 0.01)
    assert len(pool._idle) == 1
    assert '"value": "o"' in pool.run(fast, 5.0)["body"]


def test_the_row_cap_holds_and_an_oversized_answer_is_refused_not_cut(pool):
    from tajsec.sparql.worker import QueryError

    many = Request("SELECT ?s ?o WHERE { ?s <https://e.org/q> ?o }", output="json", max_rows=299)
    with pytest.raises(QueryError) as e:
        pool.run(many, 10.0)
    assert e.value.kind == "rows"
    assert pool.run(Request(many.query, output="json", max_rows=300), 10.0)["body"].count('"type": "uri"') == 300
    pool.max_bytes = 1000   # the answer is larger: refused whole (413), the worker replaced
    with pytest.raises(QueryError) as e:
        pool.run(Request(many.query, output="json", max_rows=300), 10.0)
    assert e.value.kind == "bytes"
    pool.max_bytes = 64 << 20
    assert len(pool.run(Request(many.query, output="csv", max_rows=300), 10.0)["body"].splitlines()) == 301


def test_a_frame_cut_short_is_an_error_never_an_answer():
    import socket
    import struct

    from tajsec.sparql.worker import recv_message

    a, b = socket.socketpair()
    a.sendall(struct.pack(">Q", 100) + b'{"ok": {"body": "par')
    a.close()
    with pytest.raises(EOFError):
        recv_message(b, time.monotonic() + 5)
    a, b = socket.socketpair()
    a.sendall(struct.pack(">Q", 100) + b'{"ok": {"body": "par')
    with pytest.raises(TimeoutError):
        recv_message(b, time.monotonic() + 0.2)   # the rest never comes: the deadline, not an answer
    a.close()


def test_a_worker_that_stops_mid_answer_is_a_503_and_replaced(pool, monkeypatch):
    from tajsec.sparql import worker as qworker
    from tajsec.web.server import ERROR_STATUS

    real = qworker.recv_message

    def cut(sock, deadline=None, max_bytes=None):
        real(sock, deadline, max_bytes)   # the answer is read, then treated as if the frame had been cut
        raise EOFError

    first = pool._idle[0]
    monkeypatch.setattr(qworker, "recv_message", cut)
    with pytest.raises(qworker.QueryError) as e:
        pool.run(Request("SELECT ?o WHERE { ?s <https://e.org/p> ?o }", output="json"), 5.0)
    assert ERROR_STATUS[e.value.kind] == 503
    monkeypatch.setattr(qworker, "recv_message", real)
    assert pool._idle[0] is not first   # that worker is gone; a fresh one answers
    assert '"value": "o"' in pool.run(Request("SELECT ?o WHERE { ?s <https://e.org/p> ?o }", output="json"), 5.0)["body"]


def test_every_competency_question_is_answered_byte_for_byte_as_before(built, project):
    """The JSON the workers write (tajsec.sparql.results, laid out directly) is the bytes the
    writer gave before, json.dumps with indent 2, for every competency question; CSV, TSV and
    XML are written as before (the same writers)."""
    import json

    from tajsec.sparql import results
    from tajsec.sparql.worker import decode_term, execute

    store_query = union_by_default(built.store)
    questions = sorted((project.root / "queries" / "questions").glob("*.rq"))
    assert len(questions) > 50
    for path in questions:
        text = path.read_text(encoding="utf-8")
        rows = execute(store_query, Request(text, output="rows"))
        terms = [[decode_term(t) for t in row] for row in rows["rows"]]
        bindings = [{v: results.json_term(t) for v, t in zip(rows["variables"], row) if t is not None}
                    for row in terms]
        before = json.dumps({"head": {"vars": rows["variables"]}, "results": {"bindings": bindings}},
                            ensure_ascii=False, indent=2) + "\n"
        assert execute(store_query, Request(text, output="json", max_rows=10000))["body"] == before, path.name
