"""A catalogue of hostile and malformed inputs (tests/hostile/manifest.csv), each with its
expected outcome: a clean result or a clean error naming the file, never a traceback."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tajsec.cli import main

HERE = Path(__file__).parent / "hostile"
ROOT = HERE.parent.parent
CASES = list(csv.DictReader((HERE / "manifest.csv").open(encoding="utf-8")))


def test_catalogue_size_and_files():
    assert len(CASES) == 30
    listed = {name for c in CASES for name in c["file"].split() if not name.startswith("GENERATED:")}
    on_disk = {p.name for p in HERE.iterdir()
               if p.name != "manifest.csv" and p.suffix != ".py" and p.name != "__pycache__"}  # test modules live here too
    assert on_disk <= listed, f"unlisted hostile files: {on_disk - listed}"
    assert listed - on_disk == {"does-not-exist.ttl"}


def _generate(name: str, tmp: Path) -> Path:
    path = tmp / name
    if name == "deep-blank-nodes.ttl":
        depth = 3000
        path.write_text("@prefix ts: <https://w3id.org/tajsec/onto/> .\n<https://example.org/a> a ts:Person ; ts:about "
                        + "[ ts:about " * depth + "<https://example.org/b>" + " ]" * depth + " .\n")
    elif name == "deep-json.jsonld":
        path.write_text('{"@context": {}, "@id": "https://example.org/a", "https://example.org/p": '
                        + "[" * 200000 + "]" * 200000 + "}")
    elif name == "oversized-literal.ttl":
        path.write_text('<https://example.org/a> <https://example.org/p> "' + "x" * (17 << 20) + '" .\n')
    elif name == "directory.ttl":
        path.mkdir()
    return path


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_hostile_input(case, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TAJSEC_ROOT", raising=False)
    files = []
    for name in case["file"].split():
        if name.startswith("GENERATED:"):
            files.append(str(_generate(name.split(":", 1)[1], tmp_path)))
        else:
            src = HERE / name
            if src.exists():
                shutil.copy(src, tmp_path / name)
            files.append(str(tmp_path / name))
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    result = CliRunner().invoke(main, [case["command"], *files])
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == int(case["exit"]), output[-2000:]
    assert case["expect"] in output, output[-2000:]
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    assert after == before, "an input file was modified"
