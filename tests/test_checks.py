"""The quality checks in queries/checks/ gate: our graph passes each, and each catches the defect
it names on a small broken dataset."""
from __future__ import annotations

from pathlib import Path

import pytest

from tajsec.sparql import queries
from tajsec.graph.build import build

BROKEN = Path(__file__).parent / "data" / "broken-for-checks.ttl"
BROKEN_TIME = Path(__file__).parent / "data" / "timeline" / "broken-time.ttl"  # the time-*.rq checks

# check name -> an entity of broken-for-checks.ttl it must report
CAUGHT = {
    "blank-node-in-instances": None,
    "duplicate-footnote-number": "https://w3id.org/tajsec/id/footnote-a",
    "entity-without-label-or-type": "https://w3id.org/tajsec/id/nameless",
    "label-not-language-tagged": "https://w3id.org/tajsec/id/untagged",
    "more-than-one-english-label": "https://w3id.org/tajsec/id/twice-labelled",
    "own-iri-not-declared": "https://w3id.org/tajsec/onto/evidenceQoute",
    "own-term-missing-annotation": "https://w3id.org/tajsec/onto/UndefinedThing",
    "shortcut-without-statement": "https://w3id.org/tajsec/id/unbacked",
    "statement-without-source": "https://w3id.org/tajsec/id/st-sourceless",
    "subclass-cycle": "https://w3id.org/tajsec/onto/CycleA",
    "inverse-properties-disagree": "https://w3id.org/tajsec/onto/propA",
    "domain-or-range-misuse": "https://w3id.org/tajsec/id/old-style",
    "property-kind-misuse": "https://w3id.org/tajsec/id/old-style",
    "equivalent-own-classes": "https://w3id.org/tajsec/onto/CycleA",
    "deprecated-term-in-use": "https://w3id.org/tajsec/id/old-style",
    "negative-claim-unmarked": "https://w3id.org/tajsec/id/claim-unmarked-denial",
    "hedged-claim-without-modality": "https://w3id.org/tajsec/id/claim-unmarked-hedge",
    "change-without-direction": "https://w3id.org/tajsec/id/q-unsigned-change",
    "state-body-without-state": "https://w3id.org/tajsec/id/stateless-ministry",
    "note-names-unlinked-node": "https://w3id.org/tajsec/id/noted-agency",
    "count-without-counted-kind": "https://w3id.org/tajsec/id/q-uncounted",
    "route-without-ends": "https://w3id.org/tajsec/id/ev-routeless",
    "movement-event-without-ends": "https://w3id.org/tajsec/id/ev-unplaced-move",
    "tenure-without-time-or-status": "https://w3id.org/tajsec/id/tenure-timeless",
    "date-more-precise-than-evidence": "https://w3id.org/tajsec/id/ev-overdated",
    "iri-dated-but-time-inferred": "https://w3id.org/tajsec/id/ev-misnamed-2004-01",
    "time-text-without-time": "https://w3id.org/tajsec/id/st-timeless-words",
    "instant-bounds-disagree-with-value": "https://w3id.org/tajsec/id/time-bounds-off",
    "time-bounds-inverted": "https://w3id.org/tajsec/id/bt-inverted",
    "time-interval-ends-before-it-begins": "https://w3id.org/tajsec/id/bt-interval",
    "time-order-contradicted": "https://w3id.org/tajsec/id/bt-later",
}


def test_every_check_has_a_broken_case(project):
    names = sorted(p.stem for p in project.check_queries)
    assert len(names) == len(CAUGHT)
    assert names == sorted(CAUGHT)


@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_check_passes_on_our_graph(project, built, name):
    qf = queries.QueryFile.read(project.root / "queries" / "checks" / f"{name}.rq")
    rows = queries.run(built.query, qf.text).lexical_rows()
    assert rows == [], f"{name} reports {rows[:5]}"


@pytest.fixture(scope="module")
def broken(project):
    return build(project, project.ontology_files + [BROKEN, BROKEN_TIME])


@pytest.mark.parametrize("name", sorted(CAUGHT))
def test_check_catches_its_defect(project, broken, name):
    qf = queries.QueryFile.read(project.root / "queries" / "checks" / f"{name}.rq")
    rows = queries.run(broken.query, qf.text).lexical_rows()
    assert rows, f"{name} found nothing in {BROKEN.name}"
    if CAUGHT[name]:
        assert any(CAUGHT[name] in row for row in rows), rows
