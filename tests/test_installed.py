"""The installed copy: a wheel built from this checkout and installed into a fresh virtual
environment works outside any checkout, with everything it needs shipped under
<prefix>/share/tajsec (the expected answers once lived in tests/ and were not shipped, so an
installed `tajsec check` compared 0/0 questions and said OK)."""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import without_network
from tajsec.sparql import queries

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = sorted((ROOT / "queries" / "questions").glob("*.rq"))
CHECKS = sorted((ROOT / "queries" / "checks").glob("*.rq"))
# Not part of the package: left out of the copy the wheel is built from, so that the build
# writes nothing into the checkout and cannot pick up a stale build/ or egg-info.
NOT_SHIPPED = {".git", ".venv", "build", "site", "tests", ".pytest_cache", "tajsec.egg-info"}

pytestmark = pytest.mark.slow


def _run(cmd: list, **kw) -> subprocess.CompletedProcess:
    res = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=900, **kw)
    assert res.returncode == 0, f"{cmd} failed:\n{res.stdout[-3000:]}\n{res.stderr[-3000:]}"
    return res


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    """A fresh virtual environment holding only the wheel built from this checkout (and its
    dependencies, resolved by pip as `make test` resolves them); built once per module."""
    work = tmp_path_factory.mktemp("installed")
    src = work / "src"
    shutil.copytree(ROOT, src, ignore=lambda folder, names: [
        n for n in names if n == "__pycache__" or (Path(folder) == ROOT and n in NOT_SHIPPED)])
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", work / "dist", src])
    [wheel] = (work / "dist").glob("tajsec-*.whl")
    _run([sys.executable, "-m", "venv", work / "venv"])
    _run([work / "venv" / "bin" / "python", "-m", "pip", "install", "--quiet", wheel])
    return work / "venv"


@pytest.fixture
def elsewhere(tmp_path) -> Path:
    """A working directory outside the checkout."""
    assert ROOT not in tmp_path.resolve().parents
    return tmp_path


def tajsec(venv: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """The installed `tajsec`, run in `cwd` with no TAJSEC_ROOT, no path into the checkout and no
    network; its user's cache folder beside the environment (never the real home's)."""
    env = {k: v for k, v in os.environ.items() if k not in ("TAJSEC_ROOT", "PYTHONPATH", "VIRTUAL_ENV")}
    env["XDG_CACHE_HOME"] = str(venv.parent / "xdg-cache")
    cmd, env = without_network([str(venv / "bin" / "tajsec"), *args], env, cwd)
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_installed_copy_ships_all_of_queries(venv):
    shipped = venv / "share" / "tajsec" / "queries"
    ours = {p.relative_to(ROOT / "queries") for p in (ROOT / "queries").rglob("*") if p.suffix in (".rq", ".csv")}
    theirs = {p.relative_to(shipped) for p in shipped.rglob("*") if p.suffix in (".rq", ".csv")}
    assert ours == theirs
    assert len(QUESTIONS) > 60 and len(CHECKS) > 10


def test_installed_check_runs_every_check_and_question(venv, elsewhere):
    res = tajsec(venv, elsewhere, "check")
    assert res.returncode == 0, res.stdout + res.stderr
    lines = res.stdout.splitlines()
    assert lines[0] == f"tajsec check: {(venv / 'share' / 'tajsec').resolve()}"
    assert f"{len(CHECKS)}/{len(CHECKS)} pass" in res.stdout
    n = len(QUESTIONS)
    assert f"{n}/{n} competency questions match their expected answers" in res.stdout
    assert lines[-1] == "result: OK"
    # HermiT's answer is cached in the user's cache folder, not inside the environment
    assert list((venv.parent / "xdg-cache" / "tajsec").glob("*/hermit-*.json"))
    assert not (venv / "share" / "tajsec" / "build").exists()


def test_installed_questions_lists_every_question(venv, elsewhere):
    res = tajsec(venv, elsewhere, "questions")
    assert res.returncode == 0, res.stderr
    listed = [line.split()[0] for line in res.stdout.splitlines()[:-1]]
    assert listed == [q.stem for q in QUESTIONS]
    assert res.stdout.splitlines()[-1].startswith(f"({len(QUESTIONS)} questions;")


def test_installed_query_by_name_answers_the_expected_row(venv, elsewhere):
    res = tajsec(venv, elsewhere, "query", "drugs-dca-head-mid-2004", "--format", "csv")
    assert res.returncode == 0, res.stderr
    rows = list(csv.reader(io.StringIO(res.stdout)))
    header, expected = queries.read_expected(ROOT / "queries" / "questions" / "drugs-dca-head-mid-2004.csv")
    assert rows == [header, *expected]
    # the paper: Mirzoev, whom the President moved to dismiss from the Presidential Guard in
    # January 2004, was given the DCA at an undated moment: no stated start, bounds from January
    assert rows[1][:3] == ["https://w3id.org/tajsec/id/gaffur-mirzoev", "", "2004-01-01T00:00:00"]
