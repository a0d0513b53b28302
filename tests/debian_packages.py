"""Installing a Debian package a test needs (Virtuoso, Jena's command-line client): done when we
run as root with apt-get (as in CI), else the test skips and says why. `apt-get update` runs at
most once per session."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

_updated = False


def ensure_package(package: str, purpose: str) -> None:
    """Install `package` unless it is installed; skip the calling test when that is not possible."""
    global _updated
    if subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True,
                      text=True).stdout.endswith("installed"):
        return
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip(f"{purpose} needs Debian's {package}, which is not installed; installing it needs root and apt-get")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    started = time.monotonic()
    commands = [] if _updated else [["apt-get", "update", "-qq"]]
    commands.append(["apt-get", "install", "-y", "-qq", "--no-install-recommends", package])
    for cmd in commands:
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        if r.returncode != 0:
            pytest.skip(f"could not install {package} for {purpose} ({' '.join(cmd)}): {r.stderr.strip()[-300:]}")
    _updated = True
    print(f"installed {package} in {time.monotonic() - started:.1f} s", file=sys.stderr)
