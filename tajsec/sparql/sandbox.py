"""The walls around a process that runs a user's query: no network and a memory cap.

Called in a freshly forked child (one thread), before it touches the query:

- `isolate_network()` moves the process into a new network namespace (with a user namespace
  when not root), where the only interface is a loopback that is down: no socket can reach any
  host, whatever the query engine's HTTP client does. This is the guarantee; refusing SERVICE
  by parsing the query (`offline.py`) is the clear error message in front of it.
- `cap_memory(n)` limits the process's address space to what it has now plus `n` bytes, so a
  runaway query fails inside the worker instead of taking the machine.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import resource

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def _unshare(flags: int) -> bool:
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.unshare(flags) == 0


def _map_own_ids() -> None:
    """Inside a new user namespace, keep our own uid and gid so file access is unchanged."""
    uid, gid = os.getuid(), os.getgid()
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write(f"{uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as f:
        f.write(f"{gid} {gid} 1")


def isolate_network() -> bool:
    """Enter a private network namespace. True when done; False when the OS refuses (then the
    parser check is the only protection, and callers say so)."""
    if os.getuid() == 0 and _unshare(CLONE_NEWNET):
        return True
    if _unshare(CLONE_NEWUSER | CLONE_NEWNET):
        with contextlib.suppress(OSError):  # ids unmapped: the process runs as "nobody" but still has no network
            _map_own_ids()
        return True
    return False


def network_isolation_available() -> bool:
    """Whether `isolate_network` works here (tried in a short-lived child)."""
    pid = os.fork()
    if pid == 0:
        os._exit(0 if isolate_network() else 1)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def _address_space() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def cap_memory(extra_bytes: int) -> None:
    """At most `extra_bytes` more address space than the process has now; no core files."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if extra_bytes <= 0:
        return
    limit = _address_space() + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
