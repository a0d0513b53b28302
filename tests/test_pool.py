"""The server's query workers (tajsec.web.pool): sandboxed processes forked from a zygote, one
query at a time each, killed and replaced when a query runs out of time, is too big or the
worker dies. Run in-process on a graph of a few triples (no build, no HTTP)."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from tajsec.sparql.worker import QueryError, Request, union_by_default
from tajsec.web.pool import PoolBusy, WorkerPool

EX = "http://example.org/"
#: ten subjects in two graphs: a cross product of eight patterns (10^8 rows) runs for minutes
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?q ?y . ?c ?r ?z . ?d ?s ?w . "
        "?e ?t ?v . ?f ?u ?k . ?g ?m ?l . ?h ?o ?j }")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def tiny_store() -> ox.Store:
    """Ten triples: five in each of two named graphs (ex:g1, ex:g2)."""
    store = ox.Store()
    for i in range(10):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(f"v{i}"),
                          ox.NamedNode(f"{EX}g{1 + i % 2}")))
    return store


def alive(pid: int) -> bool:
    """Whether `pid` is a process that has not died (a zombie counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # gone, or reaped between the open and the read
        return False


def gone(pid: int, within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.02)
    return False


def csv_request(query: str = COUNT, **kw) -> Request:
    return Request(query, output="csv", forms=("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"), **kw)


def test_the_caller_stays_the_caller():
    """The process that makes the pool goes on as itself; the zygote is its child. Run in a
    process of its own, and first: were the roles swapped, the forked copy of the test run would
    go on testing while the original became the zygote (whose exit status says nothing)."""
    import subprocess
    import sys

    script = ("import os, pyoxigraph as ox\n"
              "from tajsec.sparql.worker import union_by_default\n"
              "from tajsec.web.pool import WorkerPool\n"
              "p = WorkerPool(union_by_default(ox.Store()), size=1)\n"
              "parent = open(f'/proc/{p._zygote_pid}/stat').read().rsplit(')', 1)[1].split()[1]\n"
              "print(os.getpid(), p._zygote_pid, parent, flush=True)\n"
              "p.close()\n")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=root, start_new_session=True)  # a broken pool may signal its whole process group
    try:
        out, err = proc.communicate(timeout=60)
    finally:  # whatever happened, nothing of it outlives the test (its zygote and workers: the same group)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    pid, zygote, parent = (int(x) for x in out.split())
    assert proc.returncode == 0, err
    assert pid == proc.pid and zygote not in (0, pid) and parent == pid


@pytest.fixture
def pool():
    p = WorkerPool(union_by_default(tiny_store()), size=2, memory=512 << 20, wait=0.3)
    yield p
    p.close()


def test_a_query_is_answered_by_a_worker(pool):
    out = pool.run(csv_request(), 10)
    assert (out["format"], out["body"]) == ("csv", "n\r\n10\r\n")
    assert len(pool._all) == 2 and len(pool._idle) == 2  # the worker is back


def _private_network_namespace() -> bool:
    """Whether an unprivileged process may have a network namespace of its own here. Not
    os.system: glibc's system() ignores SIGINT and SIGQUIT in this whole process while it runs,
    and a process another thread starts meanwhile inherits that (a `tajsec serve` that SIGINT
    cannot stop)."""
    try:
        return subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


def test_workers_are_processes_of_their_own_walled_in(pool):
    pids = set(pool._all)
    assert len(pids) == 2 and os.getpid() not in pids and all(alive(p) for p in pids)
    assert pool.isolated is _private_network_namespace()


def test_the_network_is_left_only_when_asked(tmp_path):
    p = WorkerPool(union_by_default(tiny_store()), size=1, allow_network=True)
    try:
        assert p.isolated is False
        assert p.run(csv_request(), 10)["body"] == "n\r\n10\r\n"
    finally:
        p.close()


def test_an_error_of_the_query_keeps_the_worker(pool):
    pids = set(pool._all)
    with pytest.raises(QueryError) as e:
        pool.run(csv_request("SELEKT"), 10)
    assert e.value.kind == "syntax"
    with pytest.raises(QueryError) as e:
        pool.run(csv_request("SELECT * WHERE { ?s ?p ?o }", max_rows=3), 10)
    assert e.value.kind == "rows" and "more than 3 rows" in str(e.value)
    assert set(pool._all) == pids and len(pool._idle) == 2
    assert pool.run(csv_request(), 10)["body"] == "n\r\n10\r\n"


def test_time_out_kills_the_worker_and_a_new_one_takes_its_place(pool):
    before = set(pool._all)
    started = time.monotonic()
    with pytest.raises(QueryError) as e:
        pool.run(csv_request(SLOW), 0.5)
    assert time.monotonic() - started < 5
    assert e.value.kind == "timeout" and str(e.value) == "the query did not finish within 0.5 s and was stopped"
    killed = before - set(pool._all)
    assert len(killed) == 1 and gone(next(iter(killed)))  # SIGKILL: the computation really stops
    assert len(pool._all) == 2 and len(pool._idle) == 2
    assert pool.run(csv_request(), 10)["body"] == "n\r\n10\r\n"


def test_an_answer_over_the_byte_limit_is_refused_and_its_worker_replaced():
    p = WorkerPool(union_by_default(tiny_store()), size=1, max_bytes=100)
    try:
        [before] = p._all
        assert p.run(csv_request(), 10)["body"] == "n\r\n10\r\n"  # a small answer passes
        with pytest.raises(QueryError) as e:
            p.run(csv_request("SELECT * WHERE { ?s ?p ?o }"), 10)
        assert e.value.kind == "bytes"
        assert before not in p._all and gone(before) and len(p._all) == 1
        assert p.run(csv_request(), 10)["body"] == "n\r\n10\r\n"
    finally:
        p.close()


def test_a_worker_that_dies_is_reported_and_replaced(pool):
    victim = pool._idle[-1].pid  # the idle worker the next query gets
    os.kill(victim, signal.SIGKILL)
    assert gone(victim)
    errors = []
    for _ in range(2):
        try:
            pool.run(csv_request(), 10)
        except QueryError as e:
            errors.append(e)
    assert [(e.kind, str(e)) for e in errors] == [("memory", "the query worker stopped without an answer")]
    assert victim not in pool._all and len(pool._all) == 2
    assert pool.run(csv_request(), 10)["body"] == "n\r\n10\r\n"


def test_busy_when_every_worker_is_taken():
    p = WorkerPool(union_by_default(tiny_store()), size=1, wait=0.2)
    try:
        def hold() -> None:
            with pytest.raises(QueryError):
                p.run(csv_request(SLOW), 1)

        slow = threading.Thread(target=hold)
        slow.start()
        time.sleep(0.3)
        started = time.monotonic()
        with pytest.raises(PoolBusy) as e:
            p.run(csv_request(), 10)
        assert 0.15 < time.monotonic() - started < 2.5  # waited `wait` seconds for a worker, no more
        assert str(e.value) == "all 1 query workers are busy; try again shortly"
        slow.join()
    finally:
        p.close()


def test_close_stops_every_process(pool):
    pids = set(pool._all) | {pool._zygote_pid}
    pool.run(csv_request(), 10)
    pool.close()
    assert not os.path.exists(f"/proc/{pool._zygote_pid}")  # stopped and reaped: no zombie left
    assert all(gone(p) for p in pids)


def test_close_stops_a_worker_in_the_middle_of_a_query():
    p = WorkerPool(union_by_default(tiny_store()), size=1)
    [busy] = p._all
    errors: list[Exception] = []

    def hold() -> None:
        try:
            p.run(csv_request(SLOW), 30)
        except Exception as e:  # noqa: BLE001 - the query's end, whatever it is
            errors.append(e)

    slow = threading.Thread(target=hold)
    slow.start()
    time.sleep(0.3)
    p.close()
    assert gone(busy)
    slow.join(10)
    assert not slow.is_alive() and errors


def test_the_zygote_leaves_when_the_server_goes():
    """The zygote exits when its control socket closes (the server process died)."""
    p = WorkerPool(union_by_default(tiny_store()), size=1)
    try:
        zygote = p._zygote_pid
        p._control.close()
        assert gone(zygote)
    finally:
        with pytest.raises(OSError):
            p._control.sendall(b"s")
        p.close()


def test_a_tracer_is_known_to_the_pool():
    def trace(query, variables, rows):
        return {"rows": [{"traced": True} for _ in rows], "statements": {}}

    p = WorkerPool(union_by_default(tiny_store()), size=1, trace=trace)
    q = WorkerPool(union_by_default(tiny_store()), size=1)
    try:
        assert p.traces is True and q.traces is False
        body = p.run(csv_request("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", evidence=True), 10)["body"]
        assert body.startswith("s")
        with pytest.raises(QueryError) as e:
            q.run(csv_request("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", evidence=True), 10)
        assert (e.value.kind, str(e.value)) == ("form", "this server traces no evidence")
    finally:
        p.close()
        q.close()


def reaching(port: int):
    """A store_query that first connects to 127.0.0.1:`port` (an engine that would go out)."""
    import socket

    union = union_by_default(tiny_store())

    def query(text: str, **kw):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except OSError as e:
            raise ValueError(f"no network: {e}") from None
        return union(text, **kw)
    return query


@pytest.mark.skipif(not _private_network_namespace(), reason="no private network namespace here")
def test_workers_have_no_network_unless_allowed():
    import socket

    with socket.create_server(("127.0.0.1", 0)) as listening:
        port = listening.getsockname()[1]
        walled, open_ = WorkerPool(reaching(port), size=1), WorkerPool(reaching(port), size=1, allow_network=True)
        try:
            with pytest.raises(QueryError) as e:
                walled.run(csv_request(), 10)
            assert e.value.kind == "engine" and str(e.value).startswith("no network")
            assert open_.run(csv_request(), 10)["body"] == "n\r\n10\r\n"
        finally:
            walled.close()
            open_.close()


def test_a_worker_that_dies_while_answering():
    union = union_by_default(tiny_store())

    def query(text: str, **kw):
        if "die" in text:
            os._exit(3)
        return union(text, **kw)

    p = WorkerPool(query, size=1)
    try:
        [before] = p._all
        with pytest.raises(QueryError) as e:
            p.run(csv_request(COUNT + " # die"), 10)
        assert (e.value.kind, str(e.value)) == ("memory", "the query worker stopped without an answer")
        assert before not in p._all and len(p._all) == 1
        assert p.run(csv_request(), 10)["body"] == "n\r\n10\r\n"
    finally:
        p.close()


def test_a_worker_that_answers_garbage_is_replaced():
    """An answer that is not the JSON the worker should write (a broken engine): stopped, replaced."""
    import gc
    import socket
    import struct

    union = union_by_default(tiny_store())

    def query(text: str, **kw):
        if "garbage" in text:
            for s in [o for o in gc.get_objects() if isinstance(o, socket.socket)]:
                with contextlib.suppress(OSError):  # the worker's end of its socket pair is one of them
                    s.sendall(struct.pack(">Q", 2) + b"{x")
            os._exit(0)
        return union(text, **kw)

    p = WorkerPool(query, size=1)
    try:
        [before] = p._all
        with pytest.raises(QueryError) as e:
            p.run(csv_request(COUNT + " # garbage"), 10)
        assert e.value.kind == "memory" and before not in p._all and len(p._all) == 1
        assert p.run(csv_request(), 10)["body"] == "n\r\n10\r\n"
    finally:
        p.close()


def test_close_twice_and_after_a_worker_died(pool):
    victim = next(iter(pool._all))
    os.kill(victim, signal.SIGKILL)
    assert gone(victim)
    pool.close()
    pool.close()


def test_close_leaves_no_descriptor_open():
    before = len(os.listdir("/proc/self/fd"))
    p = WorkerPool(union_by_default(tiny_store()), size=2)
    p.run(csv_request(), 10)
    p.close()
    assert len(os.listdir("/proc/self/fd")) == before


def test_by_default_two_workers_and_a_wait_of_5_seconds():
    """What `tajsec serve` documents: further requests wait up to 5 s for a free worker."""
    p = WorkerPool(union_by_default(tiny_store()))
    slow: list[threading.Thread] = []
    try:
        children = [int(x) for x in Path(f"/proc/{p._zygote_pid}/task/{p._zygote_pid}/children").read_text().split()]
        assert sorted(children) == sorted(p._all) and len(children) == 2

        def hold() -> None:
            with pytest.raises(QueryError):
                p.run(csv_request(SLOW), 6)

        slow = [threading.Thread(target=hold) for _ in range(2)]
        for t in slow:
            t.start()
        time.sleep(0.3)
        started = time.monotonic()
        with pytest.raises(PoolBusy):
            p.run(csv_request(), 10)
        assert 4.9 <= time.monotonic() - started < 5.9
        for t in slow:
            t.join()
    finally:
        p.close()


def announcing_worker_query(store: ox.Store):
    """A store_query whose worker, asked `# announce N`, writes the header of an N-byte answer
    and stops (an engine's answer too big to send, or cut short)."""
    import gc
    import socket
    import struct

    union = union_by_default(store)

    def query(text: str, **kw):
        if "# announce " in text:
            size = int(text.rsplit(" ", 1)[1])
            for s in [o for o in gc.get_objects() if isinstance(o, socket.socket)]:
                with contextlib.suppress(OSError):
                    s.sendall(struct.pack(">Q", size))
            os._exit(0)
        return union(text, **kw)
    return query


def test_answers_over_64_mib_are_refused_from_their_header():
    """The default limit of an answer (the server's): 64 MiB. An answer announced as larger is
    refused before its body is read; one of 64 MiB is read (and here it never comes)."""
    p = WorkerPool(announcing_worker_query(tiny_store()), size=1)
    try:
        with pytest.raises(QueryError) as e:
            p.run(csv_request(f"{COUNT} # announce {(64 << 20) + 1}"), 10)
        assert (e.value.kind, str(e.value)) == (
            "bytes", "the answer is larger than 64 MiB; add a LIMIT or narrow the query")
        with pytest.raises(QueryError) as e:
            p.run(csv_request(f"{COUNT} # announce {64 << 20}"), 10)
        assert (e.value.kind, str(e.value)) == ("memory", "the query worker stopped without an answer")
        assert p.run(csv_request(), 10)["body"] == "n\r\n10\r\n"
    finally:
        p.close()
