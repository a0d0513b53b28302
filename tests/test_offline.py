"""`tajsec check` needs no network: it passes with network access taken away (see
conftest.without_network)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import without_network

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_check_passes_without_network(tmp_path):
    cmd, env = without_network([sys.executable, "-m", "tajsec", "check", "--format", "json", "--no-cache"],
                               dict(os.environ, TAJSEC_ROOT=str(ROOT)), tmp_path)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, [s for s in report["stages"] if not s["ok"]]
    assert report["status"] == "ok"
