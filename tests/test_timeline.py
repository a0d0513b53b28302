"""Time as data (tajsec.timeline): dates at any precision as comparable bounds, relative order
propagated, and the graph as of a date with "certainly" / "possibly" (the rules in
ontology/README.md, "As of a date"), on synthetic fixtures and on the paper's graph."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyoxigraph as ox
import pytest

from tajsec.core.namespaces import AS_OF_GRAPH, TS, TSD
from tajsec.core.project import Project
from tajsec.graph.build import build
from tajsec.timeline.asof import AsOf, effective_bounds, happened, in_effect
from tajsec.timeline.bounds import MAX, MIN, BadDate, Bounds, parse_as_of, precision, span
from tajsec.timeline.reader import propagate, read_timeline

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "timeline"


@pytest.mark.parametrize("text, lo, hi", [
    ("2004", "2004-01-01T00:00:00", "2004-12-31T23:59:59"),
    ("2004-02", "2004-02-01T00:00:00", "2004-02-29T23:59:59"),
    ("2003-02", "2003-02-01T00:00:00", "2003-02-28T23:59:59"),
    ("2004-11-03", "2004-11-03T00:00:00", "2004-11-03T23:59:59"),
    ("2004-11-03T10:20:30", "2004-11-03T10:20:30", "2004-11-03T10:20:30"),
    ("2004Z", "2004-01-01T00:00:00", "2004-12-31T23:59:59"),
    ("2004-12+05:00", "2004-12-01T00:00:00", "2004-12-31T23:59:59"),
])
def test_a_date_spans_its_precision(text, lo, hi):
    b = span(text)
    assert (b.lo.isoformat(), b.hi.isoformat()) == (lo, hi)


@pytest.mark.parametrize("text", ["", "04", "2004-13", "2003-02-29", "soon after", "2004-1", "0000"])
def test_not_a_date(text):
    assert span(text) is None


def test_precision():
    assert [precision(t) for t in ("2004", "2004-01", "2004-01-02", "2004-01-02T00:00:00", "x")] == [
        "year", "month", "day", "second", None]


@pytest.mark.parametrize("text", ["2004-13", "June 2004", "2004/06", "04-06", "", "2004-06-31", "-2004"])
def test_as_of_refuses_what_is_not_a_date(text):
    with pytest.raises(BadDate, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_as_of(text)


def test_as_of_date_and_span():
    date, b = parse_as_of(" 2003-06 ")
    assert date == "2003-06" and b == Bounds(datetime(2003, 6, 1), datetime(2003, 6, 30, 23, 59, 59))


def _b(lo: str | None, hi: str | None) -> Bounds:
    return Bounds(span(lo).lo if lo else MIN, span(hi).hi if hi else MAX)


@pytest.mark.parametrize("begin, end, date, expected", [
    (_b("2003", "2003"), _b("2005", "2005"), "2004-06", "certainly"),
    (_b("2004-06", "2004-06"), _b("2005", "2005"), "2004-06", "possibly"),  # began during the month
    (_b("2003", "2003"), _b("2004-06", "2004-06"), "2004-06", "possibly"),  # ended during it
    (_b("2003", "2003"), _b("2004-05", "2004-05"), "2004-06", None),
    (_b("2004-07", "2004-07"), _b("2005", "2005"), "2004-06", None),
    (_b(None, None), _b(None, None), "1066", "possibly"),  # nothing known: never certainly
    (_b(None, "2003"), _b("2005", None), "2004", "certainly"),
])
def test_the_as_of_rule(begin, end, date, expected):
    assert in_effect(begin, end, parse_as_of(date)[1]) == expected


@pytest.mark.parametrize("begin, date, expected", [
    (_b("2004-05", "2004-05"), "2004-06", "certainly"),
    (_b("2004-06", "2004-06"), "2004-06", "certainly"),  # surely by the end of the month
    (_b("2004-06", "2004-07"), "2004-06", "possibly"),
    (Bounds(span("2004-06").hi, span("2004-07").hi), "2004-06", "possibly"),  # the last second at the earliest
    (Bounds(span("2004-07").lo, span("2004-07").hi), "2004-06", None),
    (_b(None, None), "1066", "possibly"),
])
def test_an_event_is_history_once_it_has_happened(begin, date, expected):
    assert happened(begin, parse_as_of(date)[1]) == expected


def test_propagation_tightens_to_a_fixed_point_and_finds_contradictions():
    a, b, c = ("a", "b"), ("b", "b"), ("c", "b")
    pts = {a: _b("2001", "2001"), c: _b("2003", "2003")}
    out, bad = propagate(pts, [(a, b), (b, c)])  # a <= b <= c
    assert out[b] == Bounds(span("2001").lo, span("2003").hi) and bad == []
    out, bad = propagate({a: _b("2004", "2004"), c: _b("2003", "2003")}, [(a, b), (b, c)])
    assert bad and {i.key for i in bad} <= {"a", "b", "c"}


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.find()


@pytest.fixture(scope="module")
def synthetic(project) -> AsOf:
    built = build(project, files=project.ontology_files + [DATA / "synthetic.ttl"])
    return AsOf(built, project)


def test_reader_bounds_on_synthetic_data(synthetic):
    tl = synthetic.timeline
    k = tl.things[TSD + "x-soon-after"].key
    assert k == TSD + "x-soon-after-time"
    # after the March 2001 anchor (relation) and no later than June 2001 (ts:notAfter)
    assert tl.begin(k) == Bounds(datetime(2001, 3, 1), datetime(2001, 6, 30, 23, 59, 59))
    # "earlier" than the anchor: no later than the anchor's latest moment, open below
    assert tl.end(TSD + "x-earlier") == Bounds(MIN, datetime(2001, 3, 31, 23, 59, 59))
    assert tl.begin(TSD + "x-interval-2003").lo == datetime(2003, 1, 1)
    assert tl.end(TSD + "x-interval-2003").hi == datetime(2003, 12, 31, 23, 59, 59)
    assert not tl.dated(TSD + "x-former") and tl.dated(TSD + "x-earlier")
    assert tl.inconsistencies == []


# Statements are in the view while in effect; a done event from when it has (surely or
# possibly) happened on: history stays in the view of any later date.
HISTORY = {"x-inferred": "certainly", "x-earlier": "certainly", "x-anchor": "certainly", "x-soon-after": "certainly"}


@pytest.mark.parametrize("date, expected", [
    ("1991", {"x-inferred": "certainly", "x-earlier": "possibly", "x-former": "possibly"}),
    ("2001-03", {"x-inferred": "certainly", "x-earlier": "certainly", "x-anchor": "certainly",
                 "x-soon-after": "possibly", "x-former": "possibly"}),
    ("2001-07", {**HISTORY, "x-former": "possibly"}),
    ("2003-06", {**HISTORY, "x-dated": "certainly", "x-open": "certainly", "x-former": "possibly"}),
    ("2003-12", {**HISTORY, "x-dated": "possibly", "x-open": "certainly", "x-former": "possibly"}),
    ("2004-06", {**HISTORY, "x-open": "certainly", "x-former": "possibly"}),
    ("2004-10", {**HISTORY, "x-open": "certainly", "x-former": "possibly", "x-plan": "possibly"}),  # reported on the 28th
    ("2004-11", {**HISTORY, "x-open": "possibly", "x-former": "possibly", "x-plan": "certainly"}),
    ("2004-12", {**HISTORY, "x-open": "possibly", "x-former": "possibly", "x-plan": "certainly"}),
    ("2005-06", {**HISTORY, "x-open": "possibly", "x-plan": "possibly"}),
    ("2006", {**HISTORY, "x-open": "possibly"}),
])
def test_as_of_on_synthetic_data(synthetic, date, expected):
    got = {iri[len(TSD):]: m for iri, m in synthetic.view(date).effects.items()}
    assert got == expected


def test_the_view_holds_only_what_is_in_effect_with_its_marks_and_shortcuts(synthetic):
    v = synthetic.view("2003-06")
    q = v.built.query
    assert bool(q(f"ASK {{ <{TSD}x-dated> ?p ?o }}"))
    assert not bool(q(f"ASK {{ <{TSD}x-plan> ?p ?o }}"))  # not yet reported
    assert bool(q(f"ASK {{ GRAPH <{AS_OF_GRAPH}> {{ <{TSD}x-dated> <{TS}inEffect> <{TS}in-effect-certainly> }} }}"))
    assert bool(q(f"ASK {{ <{AS_OF_GRAPH}> <{TS}asOfDate> \"2003-06\"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> }}"))
    # shortcuts are derived from the statements kept: the tenure's, and the former relation's (in
    # effect then, possibly), which the full graph's present-tense layer leaves out
    assert bool(q(f"ASK {{ <{TSD}x-person> <http://www.w3.org/ns/org#memberOf> <{TSD}x-agency> }}"))
    assert bool(q(f"ASK {{ <{TSD}x-agency> <http://www.w3.org/ns/org#subOrganizationOf> <{TSD}x-person> }}"))
    assert not bool(synthetic.built.query(
        f"ASK {{ <{TSD}x-agency> <http://www.w3.org/ns/org#subOrganizationOf> <{TSD}x-person> }}"))
    later = synthetic.view("2005-06").built.query
    assert not bool(later(f"ASK {{ <{TSD}x-person> <http://www.w3.org/ns/org#memberOf> <{TSD}x-agency> }}"))
    assert not bool(later(f"ASK {{ <{TSD}x-agency> <http://www.w3.org/ns/org#subOrganizationOf> ?o }}"))


def test_contradictory_order_is_found(project):
    built = build(project, files=project.ontology_files + [DATA / "inconsistent.ttl"])
    bad = read_timeline(built.store).inconsistencies
    assert bad and {i.key for i in bad} <= {TSD + "y-late", TSD + "y-early"}


# -- the paper's graph ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def paper(project) -> AsOf:
    return AsOf(build(project), project)


def _heads_of_dca(view) -> dict[str, str]:
    rows = view.built.query(f"""PREFIX org: <http://www.w3.org/ns/org#> PREFIX ts: <{TS}>
        SELECT ?p ?m WHERE {{ ?t org:organization <{TSD}drug-control-agency> ; org:role ts:role-head ;
                             org:member ?p ; ts:inEffect ?m }}""")
    return {r["p"].value[len(TSD):]: r["m"].value[len(TS):] for r in rows}


def test_head_of_the_dca_as_of_mid_2004_and_after_the_arrest(paper):
    # Drugs: Mirzoev was made head of the DCA after the President moved to dismiss him from the
    # Presidential Guard in January 2004 (the paper does not date the appointment: some time
    # between January and his detention in August 2004), and headed it until that detention; the
    # previous head was re-appointed after it. So in June 2004 he was possibly, not certainly,
    # head; the paper dates neither of the other head's tenures: always only possibly.
    june = _heads_of_dca(paper.view("2004-06"))
    assert june["gaffur-mirzoev"] == "in-effect-possibly"
    assert june.get("dca-previous-head", "in-effect-possibly") == "in-effect-possibly"
    assert _heads_of_dca(paper.view("2004-08")).get("gaffur-mirzoev") == "in-effect-possibly"
    october = _heads_of_dca(paper.view("2004-10"))
    assert "gaffur-mirzoev" not in october and "in-effect-certainly" not in october.values()
    assert "gaffur-mirzoev" not in _heads_of_dca(paper.view("2003-06"))


def test_border_sections_still_to_be_handed_over_in_mid_2005_per_the_plan(paper):
    # Border protection: the handover was "to begin in November 2004 from Khorogh section ... and
    # proceed to Ishkashim and Kalaikhumb sections"; "Moskovskii and Pianj detachments in the
    # Kulyab area will be put under Tajik control in 2005 and the handover is to be completed in
    # 2006". As of June 2005 the plan for the Kulyab detachments is possibly outstanding (some time
    # in 2005), the whole transfer certainly (until 2006), the Pamir stage no longer.
    v = paper.view("2005-06")
    handovers = {iri[len(TSD):]: m for iri, m in v.effects.items()
                 if iri.startswith(TSD + "ev-handover") or iri.startswith(TSD + "ev-withdrawal-russian")}
    assert handovers["ev-handover-kulyab-detachments"] == "possibly"
    assert handovers["ev-handover-border-to-tajikistan"] == "certainly"
    assert "ev-handover-pamir-sections" not in handovers
    assert "ev-withdrawal-russian-border-troops" not in handovers
    rows = v.built.query(f"""PREFIX ts: <{TS}> SELECT ?unit WHERE {{
        ?h a ts:Handover ; ts:status ts:status-planned ; ts:eventObject ?unit ; ts:inEffect ?m }}""")
    assert {r["unit"].value[len(TSD):] for r in rows} >= {"moskovskii-detachment", "pianj-detachment"}
    assert not {r["unit"].value[len(TSD):] for r in rows} & {"border-section-khorogh"}


def test_what_was_reported_happened_by_then(paper):
    # footnote 47's seizure was reported on 28 October 2004 and is not dated: possibly in 2003,
    # certainly by November 2004 (it had happened when it was reported), and from then on history
    assert paper.view("2003").effects[TSD + "ev-heroin-seizure-routine-patrol"] == "possibly"
    assert paper.view("2004-11").effects[TSD + "ev-heroin-seizure-routine-patrol"] == "certainly"


def test_every_thing_has_bounds_and_no_contradiction_on_the_paper(paper):
    tl = paper.timeline
    assert tl.inconsistencies == []
    for iri, t in tl.things.items():
        b, e = effective_bounds(tl, t)
        assert not b.empty and not e.empty, iri
    # the view of any date keeps the entities: only statements, events and agreements come and go
    v = paper.view("1993")
    assert bool(v.built.query(f"ASK {{ <{TSD}drug-control-agency> ?p ?o }}"))
    assert TSD + "ev-signing-treaty-joint-patrolling-1993" in v.effects
    assert TSD + "treaty-joint-patrolling-1993" in v.effects  # in force from its signing
    assert TSD + "treaty-joint-patrolling-1993" not in paper.view("1992").effects
    assert isinstance(v.built.store, ox.Store)


SUPER_PROPERTY_MISSING = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
ASK { ?s ?p ?o . ?p rdfs:subPropertyOf+ ?super . FILTER(isIRI(?super)) FILTER NOT EXISTS { ?s ?super ?o } }"""
SUPER_CLASS_MISSING = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
ASK { ?x a ?c . ?c rdfs:subClassOf+ ?super . FILTER(isIRI(?super)) FILTER NOT EXISTS { ?x a ?super } }"""


@pytest.mark.parametrize("date", ["1993", "2004-06"])
def test_a_view_s_derived_layer_covers_its_own_shortcuts(paper, date):
    # the interoperability rules hold in the view as in the full graph: super-properties of the
    # view's own shortcut triples, and the super-classes of every typed node
    q = paper.view(date).built.query
    assert not bool(q(SUPER_PROPERTY_MISSING)) and not bool(q(SUPER_CLASS_MISSING))
    assert bool(q(SUPER_CLASS_MISSING.replace("FILTER NOT EXISTS", "FILTER EXISTS")))


# -- the time checks (queries/checks/time-*.rq) -------------------------------------------

TIME_CHECKS = {
    "time-bounds-inverted": {"bt-inverted", "bt-outside"},
    "time-interval-ends-before-it-begins": {"bt-interval", "bt-event"},
    "time-order-contradicted": {"bt-later", "bt-after"},
}


def _check(built, name: str) -> set[str]:
    from tajsec.sparql import queries

    qf = queries.QueryFile.read(ROOT / "queries" / "checks" / f"{name}.rq")
    return {row[0][len(TSD):] for row in queries.run(built.query, qf.text).lexical_rows()}


@pytest.mark.parametrize("name", sorted(TIME_CHECKS))
def test_time_checks_fire_on_their_defects_only(project, synthetic, name):
    broken = build(project, files=project.ontology_files + [DATA / "broken-time.ttl"])
    assert _check(broken, name) == TIME_CHECKS[name]
    assert _check(synthetic.built, name) == set()  # valid bounds, open ends and orders


def test_the_constraint_pass_agrees_with_the_order_check(project):
    broken = build(project, files=project.ontology_files + [DATA / "broken-time.ttl"])
    keys = {i.key for i in read_timeline(broken.store).inconsistencies}
    assert TSD + "bt-later" in keys or TSD + "bt-earlier" in keys


def _quads(view) -> set:
    return {(q.subject, q.predicate, q.object, q.graph_name) for q in view.built.store.quads_for_pattern(None, None, None, None)}


def test_a_view_reached_through_others_is_the_view_made_afresh(project):
    """Views are changes to one working store: going 2004-06 -> 1993 -> 2005-06 -> 2004-06 must
    give exactly the store a new AsOf gives for 2004-06 (no triple left behind or lost)."""
    built = build(project)
    fresh = _quads(AsOf(built, project).view("2004-06"))
    walked = AsOf(built, project)
    for d in ("2004-06", "1993", "2005-06", "2004-06"):
        v = walked.view(d)
    assert _quads(v) == fresh
    # and the full graph's store is never touched
    assert sum(1 for _ in built.store.quads_for_pattern(None, None, None, None)) == (
        built.asserted_triples + built.derived_triples)
