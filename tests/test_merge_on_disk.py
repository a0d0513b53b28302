"""The merge's analysis in an on-disk store (inputs beyond IN_MEMORY_LIMIT bytes): the same merged
dataset and report as in memory, and nothing left behind."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from conftest import ROOT
from tajsec.merge import analysis_store, merge, trig_bytes
from tajsec.merge import pipeline

EXTRACT = ROOT / "tests" / "data" / "wikidata-extract.ttl"


def _folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("tajsec-merge-analysis-*"))


def _merged(project, inputs, **kw) -> tuple[bytes, str]:
    with merge(project, inputs, **kw) as r:
        return trig_bytes(r), r.report.as_json()


@pytest.fixture(scope="module")
def in_memory(project):
    return _merged(project, [EXTRACT], analysis_on_disk=False)


def test_on_disk_gives_the_in_memory_dataset_and_report(project, in_memory, monkeypatch):
    opened = []
    real = analysis_store.ox.Store
    monkeypatch.setattr(analysis_store.ox, "Store", lambda *a: opened.append(a) or real(*a))
    before = _folders()
    assert _merged(project, [EXTRACT], analysis_on_disk=True) == in_memory
    assert len([a for a in opened if a]) == 1  # one store opened on a folder: on disk (the build's is in memory)
    assert _folders() == before  # its folder removed


def test_inputs_over_the_limit_go_on_disk_by_themselves(project, in_memory, monkeypatch, tmp_path):
    seen = []
    real = pipeline.analysis_store
    monkeypatch.setattr(pipeline, "analysis_store", lambda store, on_disk: seen.append(on_disk) or real(store, on_disk))
    size = EXTRACT.stat().st_size
    monkeypatch.setattr(analysis_store, "IN_MEMORY_LIMIT", size)  # the limit itself stays in memory
    assert _merged(project, [EXTRACT]) == in_memory
    copy = tmp_path / "copy.ttl"
    copy.write_bytes(EXTRACT.read_bytes() + b"\n")  # one byte more in all: on disk
    _merged(project, [copy])
    assert seen == [False, True]
    assert analysis_store.on_disk_for([tmp_path / "missing.ttl"]) is False  # not sized: read (and refused) later


def test_a_failing_input_leaves_no_folder_behind(project, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://e/a> <http://e/p> .\n", encoding="utf-8")
    before = _folders()
    with pytest.raises(Exception, match="bad.ttl"):
        _merged(project, [EXTRACT, bad], analysis_on_disk=True)
    assert _folders() == before


@pytest.mark.parametrize("choice, expected", [("auto", None), ("memory", False), ("disk", True)])
def test_cli_analysis_store_option(tmp_path, monkeypatch, choice, expected):
    from click.testing import CliRunner

    from tajsec.cli import main
    seen = []
    real = pipeline.merge
    monkeypatch.setattr("tajsec.merge.merge", lambda *a, **kw: seen.append(kw.get("analysis_on_disk")) or real(*a, **kw))
    monkeypatch.chdir(ROOT)
    out = tmp_path / f"{choice}.trig"
    res = CliRunner().invoke(main, ["merge", str(EXTRACT), "-o", str(out), "--analysis-store", choice])
    assert res.exit_code == 1, res.output  # the extract's planted conflicts are findings
    assert seen == [expected] and out.read_bytes().startswith(b"@prefix")
