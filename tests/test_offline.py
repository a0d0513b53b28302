"""`tajsec check` needs no network: it passes with network access taken away.

The run happens in a new network namespace (`unshare -rn`: only a loopback that is down), so
any attempt to reach a host fails. Where namespaces are not allowed, a Python audit hook that
refuses every socket connection is installed in the process and its children instead."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BLOCKER = """
import socket, sys
def _hook(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname"):
        raise OSError("network blocked by tajsec's offline test: " + event)
sys.addaudithook(_hook)
"""


def _can_unshare() -> bool:
    exe = shutil.which("unshare")
    return bool(exe) and subprocess.run([exe, "-rn", "true"], capture_output=True).returncode == 0


@pytest.mark.slow
def test_check_passes_without_network(tmp_path):
    cmd = [sys.executable, "-m", "tajsec", "check", "--format", "json", "--no-cache"]
    env = dict(os.environ, TAJSEC_ROOT=str(ROOT))
    if _can_unshare():
        cmd = ["unshare", "-rn", *cmd]
    else:
        (tmp_path / "sitecustomize.py").write_text(BLOCKER)
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), env.get("PYTHONPATH", "")])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, [s for s in report["stages"] if not s["ok"]]
    assert report["status"] == "ok"
