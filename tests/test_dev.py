"""`tajsec dev`: the maintenance commands (Wikidata alignment, JSON-LD context)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import VERIFIED_WIKIDATA
from tajsec.cli import main

ROOT = Path(__file__).resolve().parent.parent
SSSOM = ROOT / "mappings" / "wikidata.sssom.tsv"


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TAJSEC_ROOT", raising=False)
    return CliRunner()


def _sssom_agreeing_with_the_graph(tmp_path: Path) -> Path:
    """A copy of our SSSOM file, which agrees with the graph exactly (the Uzbeks row, whose
    wording in the paper is "ethnic Uzbeks", is found through the graph's own link)."""
    path = tmp_path / "agreeing.sssom.tsv"
    path.write_bytes(SSSOM.read_bytes())
    assert "tsd:ethnic-uzbeks\tethnic Uzbeks\tskos:exactMatch\twikidata:Q483047\t" in SSSOM.read_text(encoding="utf-8")
    return path


def test_alignment_check_passes_when_file_and_graph_agree(runner, tmp_path):
    res = runner.invoke(main, ["dev", "alignment-check", "--sssom", str(_sssom_agreeing_with_the_graph(tmp_path))])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-1] == \
        "0 difference(s) between agreeing.sssom.tsv and the skos:exactMatch triples of the graph"


def test_alignment_check_lists_disagreements_and_exits_1(runner, tmp_path):
    wrong = _sssom_agreeing_with_the_graph(tmp_path)
    wrong.write_text(wrong.read_text(encoding="utf-8").replace("\twikidata:Q863\t", "\twikidata:Q1\t"),
                     encoding="utf-8")
    res = runner.invoke(main, ["dev", "alignment-check", "--sssom", str(wrong)])
    assert res.exit_code == 1
    assert "only in the SSSOM file: tsd:tajikistan skos:exactMatch wikidata:Q1" in res.output
    assert "only in the graph: tsd:tajikistan skos:exactMatch wikidata:Q863" in res.output
    assert res.output.splitlines()[-1].startswith("2 difference(s)")


def test_alignment_regenerates_the_checked_in_file(runner, tmp_path):
    if not VERIFIED_WIKIDATA.is_file():
        pytest.skip(f"verified list not found at {VERIFIED_WIKIDATA}")
    out = tmp_path / "wikidata.sssom.tsv"
    res = runner.invoke(main, ["dev", "alignment", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes() == SSSOM.read_bytes()
    assert res.output.startswith(f"{out}: ")


def test_alignment_without_the_verified_list_is_a_usage_error(runner, tmp_path):
    out = tmp_path / "x.tsv"
    res = runner.invoke(main, ["dev", "alignment", "--verified", str(tmp_path / "nothere.tsv"), "-o", str(out)])
    assert res.exit_code == 2
    assert "nothere.tsv: no such file" in res.output
    assert not out.exists()


def test_context_regenerates_the_jsonld_context(runner, tmp_path, monkeypatch):
    for d in ("ontology", "instances", "contexts"):
        shutil.copytree(ROOT / d, tmp_path / d)
    (tmp_path / "contexts" / "tajsec.jsonld").unlink()
    monkeypatch.setenv("TAJSEC_ROOT", str(tmp_path))
    res = runner.invoke(main, ["dev", "context"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "contexts" / "tajsec.jsonld").read_bytes() == (ROOT / "contexts" / "tajsec.jsonld").read_bytes()
    assert res.output == f"wrote {tmp_path / 'contexts' / 'tajsec.jsonld'}\n"
