"""The pre-commit hook (.pre-commit-hooks.yaml) works in another repository: pre-commit
installs tajsec from this checkout into its own environment and runs `tajsec validate` on the
staged RDF files. Slow: pre-commit builds a virtual environment with our dependencies."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

VALID = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ts: <https://w3id.org/tajsec/onto/> .

<https://example.org/kg/minister> a ts:Person ;
    rdfs:label "A minister"@en .
"""
INVALID = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ts: <https://w3id.org/tajsec/onto/> .

<https://example.org/kg/minister> a ts:Person .
"""


def _pre_commit() -> list[str]:
    exe = Path(sys.executable).parent / "pre-commit"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pre_commit"]


@pytest.mark.slow
def test_hook_passes_valid_and_fails_invalid(tmp_path):
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    repo = tmp_path / "their-repo"
    repo.mkdir()
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"), GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("TAJSEC_ROOT", None)
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True, env=env)
    (repo / "good.ttl").write_text(VALID)
    (repo / "bad.ttl").write_text(INVALID)
    subprocess.run(["git", "add", "good.ttl", "bad.ttl"], cwd=repo, check=True, env=env)
    base = [*_pre_commit(), "try-repo", str(ROOT), "tajsec-validate", "--verbose"]
    good = subprocess.run([*base, "--files", "good.ttl"], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert good.returncode == 0, good.stdout[-3000:] + good.stderr[-2000:]
    bad = subprocess.run([*base, "--files", "bad.ttl"], cwd=repo, env=env, capture_output=True, text=True, timeout=900)
    assert bad.returncode == 1, bad.stdout[-3000:]
    assert "bad.ttl:4: violation: Every actor, place, event, document and agreement needs a language-tagged rdfs:label" in bad.stdout
