"""`tajsec merge` on the command line: its inputs are read once through the one loader, it never
writes over an input, and its exit code says what happened (0 clean, 1 findings, 2 nothing
written, 130 interrupted, nothing written)."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import tajsec.merge
from conftest import ROOT
from tajsec.cli import main
from tajsec.merge import MergeReport, MergeResult, merge
from tajsec.merge import output as merge_output
from test_loader import ILL_TYPED, must_not_hang, write_ill_typed

EXTRACT = ROOT / "tests" / "data" / "wikidata-extract.ttl"
TURTLE = b'<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> "a" .\n'


def run(args: list[str], tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TAJSEC_ROOT", str(ROOT))
    result = CliRunner().invoke(main, ["merge", *args])
    return result, result.output  # standard output and standard error, interleaved


@pytest.fixture
def no_merge(monkeypatch):
    """Fails the test if the merge starts (anything read, the build run)."""
    def refuse(*a, **kw):
        raise AssertionError("merge started")

    monkeypatch.setattr(tajsec.merge, "merge", refuse)


def tiny_result() -> MergeResult:
    nquads = tempfile.TemporaryFile("w+b")
    nquads.write(b'<http://example.org/a> <http://example.org/p> "x" <http://example.org/g> .\n')
    return MergeResult(MergeReport(), nquads, {}, {}, {"http://example.org/g": 1})


# ---- Never over an input ----

@pytest.mark.parametrize("alias", ["same", "dot-slash", "symlink", "hard link"])
@pytest.mark.parametrize("option", ["-o", "--report"])
def test_output_naming_an_input_is_refused_before_anything_is_read(tmp_path, monkeypatch, no_merge, alias, option):
    data = tmp_path / "data.ttl"
    data.write_bytes(TURTLE)
    target = {"same": "data.ttl", "dot-slash": "./data.ttl", "symlink": "link.trig", "hard link": "hard.trig"}[alias]
    if alias == "symlink":
        (tmp_path / target).symlink_to(data)
    elif alias == "hard link":
        os.link(data, tmp_path / target)
    args = ["data.ttl", option, target] + (["-o", "out.trig"] if option == "--report" else [])
    result, output = run(args, tmp_path, monkeypatch)
    assert result.exit_code == 2, output
    assert output == f"error: {option} {Path(target)} is the input data.ttl; refusing to write over it\n"
    assert data.read_bytes() == TURTLE
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({"data.ttl", Path(target).name})


def test_output_that_is_not_an_input_is_not_refused(tmp_path):
    other = tmp_path / "other.trig"
    other.write_bytes(b"old")
    merge_output.refuse_overwriting_inputs([EXTRACT, Path("-")], {"-o": other, "--report": None})


# ---- Exit codes ----

def test_interrupted_merge_exits_130_and_writes_nothing(tmp_path, monkeypatch):
    (tmp_path / "data.ttl").write_bytes(TURTLE)

    def interrupted(*a, **kw):
        raise KeyboardInterrupt

    monkeypatch.setattr(tajsec.merge, "merge", interrupted)
    result, output = run(["data.ttl", "-o", "out.trig"], tmp_path, monkeypatch)
    assert result.exit_code == 130, output
    assert "interrupted; nothing written" in output
    assert [p.name for p in tmp_path.iterdir()] == ["data.ttl"]


def test_interrupted_while_writing_leaves_no_partial_output(tmp_path, monkeypatch):
    (tmp_path / "data.ttl").write_bytes(TURTLE)
    (tmp_path / "out.trig").write_bytes(b"previous")

    def half_written(result, f):
        f.write(b"partial")
        raise KeyboardInterrupt

    monkeypatch.setattr(tajsec.merge, "merge", lambda *a, **kw: tiny_result())
    monkeypatch.setattr(merge_output, "_write", half_written)
    result, output = run(["data.ttl", "-o", "out.trig", "--report", "report.json"], tmp_path, monkeypatch)
    assert result.exit_code == 130, output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.ttl", "out.trig"]
    assert (tmp_path / "out.trig").read_bytes() == b"previous"


def test_report_that_cannot_be_written_leaves_no_output_and_exits_2(tmp_path, monkeypatch):
    (tmp_path / "data.ttl").write_bytes(TURTLE)
    (tmp_path / "file").write_bytes(b"")
    monkeypatch.setattr(tajsec.merge, "merge", lambda *a, **kw: tiny_result())
    result, output = run(["data.ttl", "-o", "out.trig", "--report", "file/report.json"], tmp_path, monkeypatch)
    assert result.exit_code == 2, output
    assert output.startswith("error: cannot write file")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.ttl", "file"]


def test_written_output_exits_0(tmp_path, monkeypatch):
    (tmp_path / "data.ttl").write_bytes(TURTLE)
    monkeypatch.setattr(tajsec.merge, "merge", lambda *a, **kw: tiny_result())
    result, output = run(["data.ttl", "-o", "out.trig", "--report", "report.json"], tmp_path, monkeypatch)
    assert result.exit_code == 0, output
    assert b'"x"' in (tmp_path / "out.trig").read_bytes()
    assert (tmp_path / "report.json").read_text().startswith("{")


# ---- Inputs through the one loader (real merges) ----

def test_dev_zero_stops_with_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "zero.ttl").symlink_to("/dev/zero")
    with must_not_hang(120):
        result, output = run(["zero.ttl"], tmp_path, monkeypatch)
    assert result.exit_code == 2, output
    assert "zero.ttl: cannot read file: it is a character device, not a regular file" in output
    with must_not_hang(120):
        result, output = run(["/dev/zero"], tmp_path, monkeypatch)
    assert result.exit_code == 2 and "/dev/zero: unknown RDF file extension" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["zero.ttl"]


def test_fifo_input_is_refused_not_waited_on(tmp_path, monkeypatch):
    os.mkfifo(tmp_path / "pipe.nt")
    with must_not_hang(120):
        result, output = run(["pipe.nt"], tmp_path, monkeypatch)
    assert result.exit_code == 2, output
    assert "pipe.nt: cannot read file: it is a named pipe (FIFO), not a regular file" in output


def test_every_input_opened_once_with_the_loader_rules(project, tmp_path, opened):
    """Five formats, each with a byte-order mark and an ill-typed literal: each file is opened
    exactly once, and merge warns about both with file and line, as validate does."""
    inputs = write_ill_typed(tmp_path, bom=True)
    opened.clear()
    with merge(project, list(inputs)) as result:
        assert {p: opened.get(str(p)) for p in inputs} == {p: 1 for p in inputs}
        warned = [(w.path, w.line, "byte-order mark" in w.message) for w in result.warnings]
        expected = []
        for path, line in inputs.items():
            expected += [(str(path), 1, True), (str(path), line, False)]
        assert warned == expected
        assert all(i.triples_parsed for i in result.report.inputs)
    assert len(inputs) == len(ILL_TYPED)


def test_ctrl_c_during_a_real_merge_exits_130_and_writes_nothing(tmp_path):
    """A real SIGINT to a real process, sent while it reads its input from a pipe (known from the
    kernel's wait channel, so the signal never races the merge)."""
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "tajsec", "merge", "-", "-o", "out.trig", "--report", "r.json"],
                            cwd=tmp_path, env={**os.environ, "TAJSEC_ROOT": str(ROOT)},
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        proc.stdin.write(TURTLE)
        proc.stdin.flush()
        wchan = Path(f"/proc/{proc.pid}/wchan")
        deadline = time.monotonic() + 120
        while "pipe" not in (wchan.read_text() if wchan.exists() else "") and proc.poll() is None:
            if time.monotonic() > deadline:
                pytest.skip("cannot tell from /proc when the merge waits on its input")
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 130, err.decode()
    assert err.decode().endswith("tajsec merge: interrupted; nothing written\n")
    assert list(tmp_path.iterdir()) == []
