"""No fact lost in restructuring: every statement and evidence quote that the graph held before the
structure work (issue 13) is still in the built graph, unchanged.

tests/data/statements-before-structure.tsv was written from main before that work began. A
statement may gain properties or be linked to new structure, but its node and its quote stay. If a
quote is ever corrected against the paper, list it in tests/data/statements-corrected.tsv with the
reason, and the test checks the corrected form instead. A statement whose IRI was renamed (the
"Renamed identifiers" redirects of w3id/tajsec/.htaccess) is looked for under its new IRI.
"""

from __future__ import annotations

from pathlib import Path

from conftest import select
from test_w3id import W3ID_ID, renamed_identifiers

DATA = Path(__file__).parent / "data"


def _pairs(path: Path, columns: int) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            cells = line.split("\t")
            assert len(cells) == columns, f"{path.name}: expected {columns} tab-separated cells in {line!r}"
            rows.append(cells)
    return rows


def test_the_snapshot_is_the_pre_structure_graph():
    before = _pairs(DATA / "statements-before-structure.tsv", 2)
    assert len(before) == 530
    assert len({s for s, _ in before}) == 527


def test_every_statement_and_quote_survives(built):
    renamed = {W3ID_ID + old: W3ID_ID + new for old, new in renamed_identifiers().items()}
    before = [[renamed.get(s, s), q] for s, q in _pairs(DATA / "statements-before-structure.tsv", 2)]
    assert any(s in renamed for s, _ in _pairs(DATA / "statements-before-structure.tsv", 2))
    corrected_path = DATA / "statements-corrected.tsv"
    corrected = {}
    if corrected_path.exists():
        for statement, old, new, reason in _pairs(corrected_path, 4):
            assert reason.strip(), f"{statement}: a corrected quote needs a reason"
            corrected[(statement, old)] = new
    now = set(select(built, "PREFIX ts: <https://w3id.org/tajsec/onto/> SELECT ?s ?q WHERE { ?s ts:evidenceQuote ?q }"))
    lost = _lost(before, now, corrected)
    assert lost == [], f"{len(lost)} statement/quote pairs of the pre-structure graph are gone: {lost[:5]}"


def _lost(before: list[list[str]], now: set[tuple[str, str]], corrected: dict) -> list[tuple[str, str]]:
    return [(s, q) for s, q in before if (s, corrected.get((s, q), q)) not in now]


def test_a_lost_or_changed_quote_is_found():
    before = [["urn:s1", "a quote"], ["urn:s2", "another"]]
    assert _lost(before, {("urn:s1", "a quote"), ("urn:s2", "another")}, {}) == []
    assert _lost(before, {("urn:s1", "a quote")}, {}) == [("urn:s2", "another")]
    assert _lost(before, {("urn:s1", "a quote"), ("urn:s2", "another.")}, {}) == [("urn:s2", "another")]
    assert _lost(before, {("urn:s1", "a quote"), ("urn:s2", "another.")}, {("urn:s2", "another"): "another."}) == []
