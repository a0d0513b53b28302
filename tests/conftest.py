from __future__ import annotations

import builtins
import io
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tajsec.core.project import Project
from tajsec.graph.build import build

ROOT = Path(__file__).resolve().parent.parent

# Tests stop servers and merges with SIGINT, as Ctrl-C does. A shell without job control starts a
# background job with SIGINT ignored (POSIX), and every process the job starts inherits that: a
# suite launched as `make test &` would start servers that SIGINT cannot stop. A handled signal
# is reset to its default in a child at exec, an ignored one is not: so handle it here again.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
SOURCE_TEXT = ROOT.parent / "shared" / "source" / "matveeva-tajikistan-security-sector.txt"
VERIFIED_WIKIDATA = ROOT.parent / "shared" / "alignment" / "wikidata-verified.tsv"


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def built(project):
    """Ontology + instances with the shortcut layer and the interop profile materialised."""
    return build(project)


@pytest.fixture(scope="session")
def source_text() -> str:
    if not SOURCE_TEXT.is_file():
        pytest.skip(f"source text not found at {SOURCE_TEXT} (it lives in ../shared beside the checkout)")
    return SOURCE_TEXT.read_text(encoding="utf-8")


def select(built, sparql: str) -> list[tuple[str, ...]]:
    """Rows of a SELECT as tuples of lexical values (None for unbound)."""
    res = built.query(sparql)
    names = [v.value for v in res.variables]
    return [tuple(None if row[n] is None else row[n].value for n in names) for row in res]


_BLOCKER = """
import sys
def _hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        raise OSError("network blocked by tajsec's offline tests: " + event)
sys.addaudithook(_hook)
"""


def without_network(cmd: list[str], env: dict, tmp_path: Path) -> tuple[list[str], dict]:
    """`cmd` and `env` changed so that the process runs with no network: in a new network
    namespace (`unshare -rn`, only a loopback that is down) where that is allowed, otherwise
    with a Python audit hook, loaded through sitecustomize in it and its Python children, that
    refuses every socket connection."""
    import os
    import shutil
    import subprocess

    exe = shutil.which("unshare")
    if exe and subprocess.run([exe, "-rn", "true"], capture_output=True).returncode == 0:
        return ["unshare", "-rn", *cmd], env
    (tmp_path / "sitecustomize.py").write_text(_BLOCKER)
    return cmd, dict(env, PYTHONPATH=os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")]))


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite the golden files in tests/golden/ from the current output instead of "
                          "comparing with them (then review the diff)")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(*options: str) -> tuple[str, int, subprocess.Popen[str]]:
    """`tajsec serve OPTIONS` on a free port of this checkout, once it has said its URL: the
    base URL, the port and the process (the caller stops it)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tajsec", "serve", "--port", str(port), *options],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, TAJSEC_ROOT=str(ROOT)), cwd=ROOT)
    line = proc.stdout.readline() if proc.stdout else ""
    assert f"http://127.0.0.1:{port}/sparql" in line, line + (proc.stderr.read() if proc.stderr else "")
    return f"http://127.0.0.1:{port}", port, proc


@pytest.fixture
def opened(monkeypatch) -> dict[str, int]:
    """How many times each path is opened (os.open and open), while the test runs."""
    counts: dict[str, int] = {}
    real_os_open, real_open = os.open, builtins.open

    def counting_os_open(path, *a, **kw):
        counts[os.fspath(path)] = counts.get(os.fspath(path), 0) + 1
        return real_os_open(path, *a, **kw)

    def counting_open(path, *a, **kw):
        if isinstance(path, (str, os.PathLike)):
            counts[os.fspath(path)] = counts.get(os.fspath(path), 0) + 1
        return real_open(path, *a, **kw)

    monkeypatch.setattr(os, "open", counting_os_open)
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    return counts
