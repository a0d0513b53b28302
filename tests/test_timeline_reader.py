"""The time reader (tajsec.timeline.reader) on small graphs of its own, each read straight from a
store (no build): where a thing's time is read from, which nodes are instants, signings, the
paper's present, and the constraint pass. The rules are in the module's docstring."""
from __future__ import annotations

from datetime import datetime

import pyoxigraph as ox
import pytest

from tajsec.core.namespaces import PAPER_PRESENT, TSD
from tajsec.timeline.bounds import MAX, MIN, UNKNOWN, Bounds, span
from tajsec.timeline.reader import DEFAULT_PRESENT, propagate, read_timeline

PREFIXES = """@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix ts: <https://w3id.org/tajsec/onto/> .
@prefix tsd: <https://w3id.org/tajsec/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _timeline(ttl: str):
    store = ox.Store()
    store.load((PREFIXES + ttl).encode(), ox.RdfFormat.TURTLE, base_iri=TSD)
    return read_timeline(store)


def _year(y: str) -> Bounds:
    b = span(y)
    assert b is not None
    return b


def test_a_quantity_s_reference_period_is_the_time_of_its_statement():
    tl = _timeline("""
        tsd:st a ts:Statement ; ts:quantity tsd:q .
        tsd:q ts:referencePeriod tsd:period .
        tsd:period a ts:Interval ; time:hasBeginning tsd:p-b ; time:hasEnd tsd:p-e .
        tsd:p-b a ts:Instant ; time:inXSDgYear "2003"^^xsd:gYear .
        tsd:p-e a ts:Instant ; time:inXSDgYear "2004"^^xsd:gYear .
    """)
    t = tl.things[TSD + "st"]
    assert t.key == TSD + "period"
    assert tl.begin(t.key) == _year("2003") and tl.end(t.key) == _year("2004")
    assert tl.dated(TSD + "st")


def test_the_time_node_comes_before_the_quantity_s_period():
    tl = _timeline("""
        tsd:st a ts:Statement ; ts:validDuring tsd:own ; ts:quantity tsd:q .
        tsd:q ts:referencePeriod tsd:period .
        tsd:own a ts:Instant ; time:inXSDgYear "2001"^^xsd:gYear .
        tsd:period a ts:Instant ; time:inXSDgYear "2003"^^xsd:gYear .
    """)
    assert tl.things[TSD + "st"].key == TSD + "own"
    assert tl.begin(TSD + "own") == _year("2001")


def test_an_event_with_only_a_start_date_is_an_instant_a_statement_is_open():
    tl = _timeline("""
        tsd:ev a ts:Event ; schema:startDate "2004-06"^^xsd:gYearMonth .
        tsd:st a ts:Statement ; schema:startDate "2004-06"^^xsd:gYearMonth .
        tsd:both a ts:Event ; schema:startDate "2002"^^xsd:gYear ; schema:endDate "2003"^^xsd:gYear .
    """)
    june = span("2004-06")
    assert TSD + "ev" in tl.instants and tl.begin(TSD + "ev") == tl.end(TSD + "ev") == june
    assert TSD + "st" not in tl.instants
    assert tl.begin(TSD + "st") == june and tl.end(TSD + "st") == Bounds(june.lo, MAX)  # not before it began
    assert TSD + "both" not in tl.instants and tl.end(TSD + "both") == _year("2003")


def test_an_agreement_begins_at_its_signing_only_if_a_done_signing_event():
    tl = _timeline("""
        tsd:signing a ts:Event , ts:Signing ; schema:startDate "1993"^^xsd:gYear ; ts:agreement tsd:treaty .
        tsd:treaty a ts:Agreement .
        tsd:planned a ts:Event , ts:Signing ; schema:startDate "1995"^^xsd:gYear ;
            ts:status ts:status-planned ; ts:agreement tsd:treaty2 .
        tsd:treaty2 a ts:Agreement .
        tsd:no-signing a ts:Event ; schema:startDate "1996"^^xsd:gYear ; ts:agreement tsd:treaty3 .
        tsd:treaty3 a ts:Agreement .
        tsd:said a ts:Statement , ts:Signing ; schema:startDate "1997"^^xsd:gYear ; ts:agreement tsd:treaty4 .
        tsd:treaty4 a ts:Agreement .
        tsd:not-a-thing a ts:Signing ; schema:startDate "1998"^^xsd:gYear ; ts:agreement tsd:treaty5 .
        tsd:treaty5 a ts:Agreement .
    """)
    assert tl.begin(TSD + "treaty") == _year("1993")
    # a planned signing, an event that is no signing, a statement, a node that is no thing: none
    # of them says when the agreement began
    for other in ("treaty2", "treaty3", "treaty4", "treaty5"):
        assert tl.begin(TSD + other) == UNKNOWN, other


def test_the_paper_s_present_from_its_node_else_the_default():
    assert _timeline("tsd:st a ts:Statement .").present == DEFAULT_PRESENT
    low = _timeline("""tsd:time-paper-present a ts:Instant ;
        ts:notBefore "2005-03-01T00:00:00"^^xsd:dateTime .""")
    assert low.present == Bounds(datetime(2005, 3, 1), MAX)
    high = _timeline("""tsd:time-paper-present a ts:Instant ;
        ts:notAfter "2003-05-31T23:59:59"^^xsd:dateTime .""")
    assert high.present == Bounds(MIN, datetime(2003, 5, 31, 23, 59, 59))
    assert PAPER_PRESENT in high.instants


def test_a_moment_of_one_second_is_consistent():
    second = span("2004-11-03T10:20:30")
    assert second is not None and second.lo == second.hi
    points, bad = propagate({("a", "b"): second}, [(("a", "b"), ("a", "e"))])
    assert bad == [] and points[("a", "e")] == Bounds(second.lo, MAX)
    tl = _timeline("""tsd:ev a ts:Event ; time:hasTime tsd:t .
        tsd:t a ts:Instant ; time:inXSDDateTime "2004-11-03T10:20:30"^^xsd:dateTime .""")
    assert tl.inconsistencies == [] and tl.begin(TSD + "t") == second


@pytest.mark.parametrize("relation, x_end", [("before", "2001"), ("after", None)])
def test_a_relation_bounds_the_other_side(relation, x_end):
    tl = _timeline(f"""
        tsd:x a ts:Event ; time:{relation} tsd:y .
        tsd:y a ts:Event ; schema:startDate "2001"^^xsd:gYear .
    """)
    assert tl.relations == [(TSD + "x", f"http://www.w3.org/2006/time#{relation}", TSD + "y")]
    end = tl.end(TSD + "x")
    assert end.hi == (_year(x_end).hi if x_end else MAX)
    assert tl.begin(TSD + "x").lo == (MIN if x_end else _year("2001").lo)


def test_a_thing_is_dated_by_either_end():
    # one bound on one end only: begun by mid-2001 (its end open), or ended in 2003 or later
    tl = _timeline("""
        tsd:began a ts:Statement ; ts:validDuring tsd:began-time .
        tsd:began-time a ts:Interval ; time:hasBeginning tsd:began-b .
        tsd:began-b a ts:Instant ; ts:notAfter "2001-06-30T23:59:59"^^xsd:dateTime .
        tsd:ended a ts:Statement ; ts:validDuring tsd:ended-time .
        tsd:ended-time a ts:Interval ; time:hasEnd tsd:ended-e .
        tsd:ended-e a ts:Instant ; ts:notBefore "2003-01-01T00:00:00"^^xsd:dateTime .
        tsd:undated a ts:Statement .
    """)
    assert tl.end(TSD + "began-time") == UNKNOWN and tl.begin(TSD + "ended-time") == UNKNOWN
    assert tl.dated(TSD + "began") and tl.dated(TSD + "ended") and not tl.dated(TSD + "undated")


@pytest.mark.parametrize("part", ["hasBeginning", "hasEnd"])
def test_a_node_with_a_beginning_or_an_end_is_an_interval_whatever_else_it_has(part):
    # an untyped node with one end and an instant's value of its own is read as an interval: the
    # value is not taken as both its beginning and its end
    tl = _timeline(f"""
        tsd:st a ts:Statement ; ts:validDuring tsd:period .
        tsd:period time:{part} tsd:i ; time:inXSDgYear "1999"^^xsd:gYear .
        tsd:i a ts:Instant ; time:inXSDgYear "2001"^^xsd:gYear .
    """)
    assert TSD + "period" not in tl.instants
    if part == "hasBeginning":
        assert tl.begin(TSD + "period") == _year("2001") and tl.end(TSD + "period").hi == MAX
    else:
        assert tl.end(TSD + "period") == _year("2001") and tl.begin(TSD + "period").lo == MIN


def test_relations_to_literals_are_skipped_the_others_kept():
    # one literal among the objects of the same relation: the named ones are all read
    objects = ", ".join(['"2001"'] + [f"tsd:y{i}" for i in range(6)] + ['"1999"'])
    tl = _timeline(f"tsd:x a ts:Event ; time:after {objects} .\n" + "".join(
        f'tsd:y{i} a ts:Event ; schema:startDate "{2001 + i}"^^xsd:gYear .\n' for i in range(6)))
    assert sorted(y for _, _, y in tl.relations) == [TSD + f"y{i}" for i in range(6)]
    assert tl.begin(TSD + "x").lo == _year("2006").lo  # after the latest of them


def test_propagation_runs_until_nothing_changes():
    # the constraints listed against the chain's order: one round moves a bound one step
    chain = [(f"p{i}", "b") for i in range(5)]
    constraints = [(chain[i], chain[i + 1]) for i in reversed(range(4))]
    out, bad = propagate({chain[0]: _year("2001"), chain[4]: _year("2004")}, constraints)
    assert bad == []
    assert [out[p] for p in chain[1:4]] == [Bounds(_year("2001").lo, _year("2004").hi)] * 3
    assert out[chain[0]] == _year("2001") and out[chain[4]] == _year("2004")


def test_a_blank_time_node_is_not_taken_for_the_named_one():
    # time is read from named nodes only: a blank node beside the named interval (other people's
    # data may have one) neither hides it nor lends it its value
    tl = _timeline("""
        tsd:st a ts:Statement ; ts:validDuring [ a ts:Instant ; time:inXSDgYear "1990"^^xsd:gYear ] ,
            [ a ts:Instant ; time:inXSDgYear "1991"^^xsd:gYear ] , tsd:period .
        tsd:period a ts:Instant ; time:inXSDgYear "2001"^^xsd:gYear .
    """)
    assert tl.things[TSD + "st"].key == TSD + "period"
    assert tl.begin(TSD + "period") == tl.end(TSD + "period") == _year("2001")


def test_relations_of_blank_nodes_are_not_read():
    tl = _timeline("""
        [ a ts:Event ; schema:startDate "2003"^^xsd:gYear ] time:before tsd:y .
        tsd:y a ts:Event ; time:after [ schema:startDate "2004"^^xsd:gYear ] .
    """)
    assert tl.relations == [] and tl.begin(TSD + "y") == UNKNOWN
