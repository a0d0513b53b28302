"""Work shared by this process and one child forked from it, for the stages of a large run that
only read what the process holds (a pyoxigraph store, files kept open): the child sees it
copy-on-write, without copying or reloading anything.

Each process takes the next task not yet taken from a pipe holding their numbers (a read of 2
bytes from a pipe is atomic), until none is left, so neither waits while there is work; the
child's answers come back pickled through a second pipe. Answers are returned in the order of
the tasks, whoever ran them: the result is the same as running them in turn here.
"""
from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: At most this many tasks (numbers written as 2 bytes, all into the pipe before the fork: the
#: pipe holds 64 KB, so writing never blocks).
MAX_TASKS = 30_000


def can_share() -> bool:
    """Whether there is a second core and a fork to use it."""
    return (os.cpu_count() or 1) > 1 and hasattr(os, "fork")


def shared(n: int, work: Callable[[int], T], what: str = "work") -> list[T]:
    """`[work(i) for i in range(n)]`, computed by this process and a forked child at the same
    time (`work` must only read what it shares, and its answers must pickle). A failure in the
    child is a RuntimeError naming `what`; one here is raised as it is."""
    if n > MAX_TASKS:
        raise ValueError(f"at most {MAX_TASKS} tasks, not {n}")
    tasks_read, tasks_write = os.pipe()
    os.write(tasks_write, b"".join(i.to_bytes(2, "big") for i in range(n)))
    os.close(tasks_write)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:   # the child: never returns
        code = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                out.write(pickle.dumps(_take(tasks_read, work)))
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:
        mine = _take(tasks_read, work)
    finally:
        os.close(tasks_read)
        with os.fdopen(read, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"the {what} process failed (exit {os.waitstatus_to_exitcode(status)})")
    mine |= pickle.loads(data)
    return [mine[i] for i in range(n)]


def _take(tasks: int, work: Callable[[int], T]) -> dict[int, T]:
    """`work` on each task number this process takes from the pipe `tasks`, until it is empty."""
    done = {}
    while len(task := os.read(tasks, 2)) == 2:
        i = int.from_bytes(task, "big")
        done[i] = work(i)
    return done
