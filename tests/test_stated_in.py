"""`tajsec dev stated-in` (tajsec/quality/stated_in.py): every statement's ts:statedIn is the
section or footnote whose text holds its evidence quote; the rewrite is line-local, idempotent and
reports what it cannot place."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCE_TEXT, select

from tajsec.cli import main
from tajsec.quality import stated_in
from tajsec.quality.stated_in import _choose, place_statements, rewrite_turtle, write_stated_in

ROOT = Path(__file__).resolve().parent.parent

BLOCKS = """@prefix ts: <https://w3id.org/tajsec/onto/> .
@prefix tsd: <https://w3id.org/tajsec/id/> .

tsd:st-a a ts:Statement ;
    ts:inSection tsd:section-drugs ;
    ts:evidenceQuote "a" .

tsd:st-b a ts:Statement ;
    ts:statedIn tsd:section-customs ;
    ts:evidenceQuote "b" ;
    ts:inSection tsd:section-drugs .

tsd:not-placed a ts:Statement ;
    ts:inSection tsd:section-drugs .
"""


def test_rewrite_adds_after_in_section_and_replaces_an_old_value():
    new, missing = rewrite_turtle(BLOCKS, {"st-a": "section-drugs", "st-b": "footnote-36"})
    assert missing == set()
    assert ("    ts:inSection tsd:section-drugs ;\n    ts:statedIn tsd:section-drugs ;\n"
            "    ts:evidenceQuote \"a\" .") in new
    # an existing value is replaced, and when ts:inSection ends the block the new line goes before it
    assert "tsd:section-customs" not in new
    assert ("    ts:evidenceQuote \"b\" ;\n    ts:statedIn tsd:footnote-36 ;\n"
            "    ts:inSection tsd:section-drugs .") in new
    # a statement not placed is left alone
    assert new.count("ts:statedIn") == 2
    assert new.endswith("tsd:not-placed a ts:Statement ;\n    ts:inSection tsd:section-drugs .\n")


def test_rewrite_is_idempotent_and_reports_blocks_without_in_section():
    placed = {"st-a": "section-drugs", "st-b": "footnote-36", "elsewhere": "section-customs"}
    once, missing = rewrite_turtle(BLOCKS, placed)
    twice, _ = rewrite_turtle(once, placed)
    assert once == twice
    assert missing == {"elsewhere"}


@pytest.mark.parametrize("places,sections,footnotes,expected", [
    (["section-drugs", "footnote-36"], {"section-drugs"}, set(), "section-drugs"),  # main text wins
    (["footnote-36"], {"section-drugs"}, {"footnote-36"}, "footnote-36"),
    (["section-customs", "footnote-36"], {"section-drugs"}, {"footnote-36"}, "footnote-36"),  # cited footnote
    (["section-customs", "section-corruption"], {"section-drugs"}, set(), None),  # ambiguous
    (["section-customs"], {"section-drugs"}, set(), "section-customs"),
    ([], {"section-drugs"}, set(), None),
])
def test_choose(places, sections, footnotes, expected):
    assert _choose(places, sections, footnotes) == expected


def test_every_statement_of_the_graph_is_placed_as_asserted(built, source_text):
    """The checked-in ts:statedIn values are what the command computes: no statement unplaced,
    none placed differently (re-run `tajsec dev stated-in` after adding statements)."""
    placed = place_statements(source_text, built)
    assert placed.problems == []
    asserted = {s.rsplit("/", 1)[1]: p.rsplit("/", 1)[1]
                for s, p in select(built, "SELECT ?s ?p WHERE { ?s <https://w3id.org/tajsec/onto/statedIn> ?p }")}
    assert asserted == placed.statements
    # the figures of the report: most statements are stated in the main text, some in footnotes
    in_footnotes = {s for s, p in placed.statements.items() if p.startswith("footnote-")}
    assert "tenure-ministry-of-justice-senior-inspector" in in_footnotes
    assert placed.statements["claim-information-exchange-not-effective"] == "section-crime-prevention"


def test_command_writes_only_when_something_changes(tmp_path, monkeypatch):
    if not SOURCE_TEXT.is_file():
        pytest.skip("source text not found")
    checkout = tmp_path / "checkout"
    for part in ("ontology", "instances", "shapes", "queries"):
        shutil.copytree(ROOT / part, checkout / part)
    shutil.copy(ROOT / "pyproject.toml", checkout / "pyproject.toml")
    drugs = checkout / "instances" / "drugs.ttl"
    text = drugs.read_text(encoding="utf-8")
    drugs.write_text(text.replace("    ts:statedIn tsd:section-drugs ;\n", "", 1), encoding="utf-8")
    monkeypatch.setenv("TAJSEC_ROOT", str(checkout))
    runner = CliRunner()
    res = runner.invoke(main, ["dev", "stated-in", "--source", str(SOURCE_TEXT)])
    assert res.exit_code == 0, res.output
    assert f"wrote {drugs}" in res.output
    assert drugs.read_text(encoding="utf-8") == text
    again = runner.invoke(main, ["dev", "stated-in", "--source", str(SOURCE_TEXT)])
    assert again.exit_code == 0 and "wrote" not in again.output, again.output


def test_write_skips_files_without_placed_statements(tmp_path):
    f = tmp_path / "x.ttl"
    f.write_text(BLOCKS, encoding="utf-8")
    changed, missing = write_stated_in([f], {"st-zzz": "section-drugs"})
    assert changed == [] and missing == {"st-zzz"}
    assert stated_in.OVERRIDES == {}
