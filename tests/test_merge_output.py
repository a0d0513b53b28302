"""Merge's output (tajsec.merge.output): the rule that no output is written over an input, by any
name, and the merged dataset read back and written as sorted TriG, atomically."""
from __future__ import annotations

import io
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest

from tajsec.merge.output import (MergeResult, OverwritesInput, refuse_overwriting_inputs, trig_bytes,
                                 write_outputs, write_trig)

NQUADS = (b'<https://example.org/a> <https://example.org/p> "1" <https://example.org/g1> .\n'
          b'<https://example.org/b> <https://example.org/p> "2" <https://example.org/g2> .\n')  # sorted, as merge makes it


def inputs(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text("a", encoding="utf-8")
    b.write_text("b", encoding="utf-8")
    return a, b


@pytest.mark.parametrize("how", ["same", "symlink", "hardlink", "relative"])
def test_output_that_is_an_input_is_refused(tmp_path, how, monkeypatch):
    a, b = inputs(tmp_path)
    out = {"same": b, "symlink": tmp_path / "link.ttl", "hardlink": tmp_path / "hard.ttl", "relative": Path("b.ttl")}[how]
    if how == "symlink":
        out.symlink_to(b)
    if how == "hardlink":
        os.link(b, out)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OverwritesInput) as e:
        refuse_overwriting_inputs([a, b], {"--report": None, "-o": out})
    assert str(e.value) == f"-o {out} is the input {b}; refusing to write over it"


def test_other_outputs_are_allowed(tmp_path):
    a, b = inputs(tmp_path)
    copy = tmp_path / "copy.ttl"
    copy.write_text("b", encoding="utf-8")  # same content, another file
    refuse_overwriting_inputs([a, b], {"-o": copy, "--report": tmp_path / "new.json", "--x": None})
    refuse_overwriting_inputs([Path("-"), tmp_path / "missing.ttl"], {"-o": copy})


def result(tmp_path: Path) -> MergeResult:
    report = SimpleNamespace(inputs=[SimpleNamespace(path="in.ttl", graph="https://example.org/g1")],
                             as_json=lambda: json.dumps({"ok": True}))
    return MergeResult(report, io.BytesIO(NQUADS), {"ex": "https://example.org/"}, {}, {"https://example.org/g2": 1,
                                                                                       "https://example.org/g1": 1})


def test_merge_result_reads_back(tmp_path):
    r = result(tmp_path)
    assert r.graphs == ["https://example.org/g1", "https://example.org/g2"]
    assert r.quad_count() == 2 and r.input_graph("in.ttl") == "https://example.org/g1"
    with pytest.raises(KeyError):
        r.input_graph("other.ttl")
    assert r.nquads() == NQUADS and r.nquads() == NQUADS  # read from the start each time
    assert len(r.dataset()) == 2 and len(r.dataset()) == 2
    assert r.warnings == []


def test_trig_is_sorted_with_prefixes_and_written_atomically(tmp_path):
    r = result(tmp_path)
    data = trig_bytes(r)
    text = data.decode()
    assert "@prefix ex: <https://example.org/> ." in text
    assert text.index("ex:g1") < text.index("ex:g2") and text.count("ex:p") == 2
    assert trig_bytes(r) == data
    write_trig(r, tmp_path / "out.trig")
    assert (tmp_path / "out.trig").read_bytes() == data
    assert ox.Dataset(ox.parse(data, format=ox.RdfFormat.TRIG)) == r.dataset()


def test_write_outputs_writes_both_or_neither(tmp_path):
    r = result(tmp_path)
    write_outputs(r, tmp_path / "out.trig", tmp_path / "report.json")
    assert (tmp_path / "out.trig").read_bytes() == trig_bytes(r)
    assert json.loads((tmp_path / "report.json").read_text()) == {"ok": True}
    write_outputs(r, tmp_path / "only.trig", None)
    assert (tmp_path / "only.trig").is_file()
    (tmp_path / "old.json").write_text("old", encoding="utf-8")
    broken = result(tmp_path)
    broken._nquads = io.BytesIO(b"not n-quads")
    with pytest.raises(SyntaxError):
        write_outputs(broken, tmp_path / "new.trig", tmp_path / "old.json")
    assert not (tmp_path / "new.trig").exists() and (tmp_path / "old.json").read_text() == "old"


def test_close_releases_the_file(tmp_path):
    with result(tmp_path) as r:
        f = r._nquads
    assert f.closed
