"""Query workers for the server: sandboxed processes that hold the graph, ready to answer.

At start (before the HTTP server starts any thread) the server forks one *zygote*, which walls
itself in (no network: a private network namespace) and from then on only forks workers on
request. Each worker inherits the graph (copy-on-write), caps its own memory, and answers one
query at a time over a socket pair; the server hands it the query and waits, with a deadline.
When time is up the server kills the worker (SIGKILL: the computation really stops) and asks the
zygote for a new one. No worker listens on any port, so nothing but the server can query them.
"""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import threading
import time
from collections import deque
from typing import cast

from tajsec.core.terms import StoreQuery
from tajsec.sparql import worker as qworker


class PoolBusy(Exception):
    pass


class _Turn:
    """A request waiting for a worker: `handed` is set once `worker` is its."""

    def __init__(self) -> None:
        self.handed = threading.Event()
        self.worker: _Worker | None = None


class _Worker:
    def __init__(self, pid: int, sock: socket.socket):
        self.pid, self.sock = pid, sock

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self.sock.close()


def _zygote(control: socket.socket, store_query: StoreQuery, memory: int, allow_network: bool,
            trace: qworker.Trace | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when we stop
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # workers are reaped by the kernel
    isolated = False if allow_network else qworker.sandbox.isolate_network()
    control.sendall(b"1" if isolated else b"0")
    while True:
        try:
            cmd = control.recv(1)
        except OSError:
            cmd = b""
        if not cmd:  # the server has gone: so do we (workers see their sockets close)
            os._exit(0)
        mine, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            control.close()
            theirs.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            qworker.enter_sandbox(memory, allow_network=True)  # network already cut by the zygote
            qworker.serve_requests(mine, store_query, trace)
            os._exit(0)
        mine.close()
        socket.send_fds(control, [pid.to_bytes(4, "big")], [theirs.fileno()])
        theirs.close()


class WorkerPool:
    """`size` workers; `run(request, timeout)` borrows one, waiting at most `wait` seconds.
    `trace(query, variables, rows)`, if given, answers evidence requests inside the workers."""

    def __init__(self, store_query: StoreQuery, size: int = 2, memory: int = qworker.DEFAULT_MEMORY,
                 allow_network: bool = False, wait: float = 5.0, max_bytes: int = 64 << 20,
                 trace: qworker.Trace | None = None) -> None:
        self.memory, self.wait, self.max_bytes = memory, wait, max_bytes
        self.traces = trace is not None
        self._control, child = socket.socketpair()
        self._zygote_pid = os.fork()
        if self._zygote_pid == 0:
            self._control.close()
            try:
                _zygote(child, store_query, memory, allow_network, trace)
            finally:
                os._exit(0)
        child.close()
        self.isolated = self._control.recv(1) == b"1"
        self._spawn_lock = threading.Lock()
        self._lock = threading.Lock()  # guards _idle and _waiting
        self._idle: deque[_Worker] = deque()
        self._waiting: deque[_Turn] = deque()  # requests waiting for a worker, oldest first
        self._all: set[int] = set()
        for _ in range(size):
            self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        with self._spawn_lock:
            self._control.sendall(b"s")
            data, fds, _, _ = socket.recv_fds(self._control, 4, 1)
            w = _Worker(int.from_bytes(data, "big"), socket.socket(fileno=fds[0]))
            self._all.add(w.pid)
            return w

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self._all.discard(w.pid)
        self._give_back(self._spawn())

    def _borrow(self) -> _Worker:
        """A free worker; requests that wait are served first come, first served (a request
        arriving while others wait queues behind them), at most `wait` seconds, then PoolBusy."""
        with self._lock:
            if self._idle and not self._waiting:
                return self._idle.pop()
            turn = _Turn()
            self._waiting.append(turn)
        if not turn.handed.wait(self.wait):
            with self._lock:
                if turn.worker is None:  # still not served: leave the line
                    self._waiting.remove(turn)
                    raise PoolBusy(f"all {len(self._all)} query workers are busy; try again shortly")
        return cast(_Worker, turn.worker)  # handed over, perhaps just as time ran out

    def _give_back(self, w: _Worker) -> None:
        """`w` to the request that has waited longest, or to the free ones."""
        with self._lock:
            if self._waiting:
                turn = self._waiting.popleft()
                turn.worker = w
                turn.handed.set()
            else:
                self._idle.append(w)

    def run(self, req: qworker.Request, timeout: float) -> dict:
        w = self._borrow()
        deadline = time.monotonic() + timeout
        try:
            qworker.send_message(w.sock, vars(req))  # its fields are plain data: no deep copy (asdict) needed
            msg = qworker.recv_message(w.sock, deadline, self.max_bytes)
        except TimeoutError:
            self._replace(w)
            raise qworker.QueryError(f"the query did not finish within {timeout:g} s and was stopped",
                                     "timeout") from None
        except qworker.QueryError:
            self._replace(w)  # the answer is still being written: drop the worker
            raise
        except (EOFError, OSError, ValueError):
            self._replace(w)
            raise qworker.QueryError(qworker.stopped_message(None, self.memory), "memory") from None
        self._give_back(w)
        if "error" in msg:
            raise qworker.QueryError(msg["error"], msg["kind"])
        return msg["ok"]

    def close(self) -> None:
        with self._lock:
            idle, self._idle = list(self._idle), deque()
        for w in idle:
            w.kill()
        for pid in list(self._all):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._control.close()
        try:
            os.kill(self._zygote_pid, signal.SIGKILL)
            os.waitpid(self._zygote_pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
