"""`tajsec dev time-bounds` (tajsec/quality/time_bounds.py): every stated instant carries the
bounds and precision of its value, every single-dated event points to its instant; the rewrite is
line-local, idempotent, and the files in the repository are up to date with it."""
from __future__ import annotations

from pathlib import Path

import pytest

from tajsec.quality.time_bounds import Normalised, Plan, normalise, plan_time_bounds, rewrite_turtle

BLOCKS = """@prefix schema: <https://schema.org/> .
@prefix ts: <https://w3id.org/tajsec/onto/> .
@prefix tsd: <https://w3id.org/tajsec/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

tsd:time-2004-02 a ts:Instant ;
    ts:notBefore "1999-01-01T00:00:00"^^xsd:dateTime ;
    time:inXSDgYearMonth "2004-02"^^xsd:gYearMonth .

tsd:ev-a a ts:Event ;
    schema:startDate "2004-02"^^xsd:gYearMonth ;
    ts:inSection tsd:section-drugs .

tsd:time-inferred a ts:Instant ;
    ts:notBefore "2004-01-01T00:00:00"^^xsd:dateTime .
"""


@pytest.mark.parametrize("value, expected", [
    ("2004", Normalised("2004-01-01T00:00:00", "2004-12-31T23:59:59", "year")),
    ("2004-02", Normalised("2004-02-01T00:00:00", "2004-02-29T23:59:59", "month")),  # leap year
    ("2003-02", Normalised("2003-02-01T00:00:00", "2003-02-28T23:59:59", "month")),
    ("2004-09", Normalised("2004-09-01T00:00:00", "2004-09-30T23:59:59", "month")),
    ("2004-10-14", Normalised("2004-10-14T00:00:00", "2004-10-14T23:59:59", "day")),
])
def test_normalise(value, expected):
    assert normalise(value) == expected


@pytest.mark.parametrize("bad", ["04", "2004-13", "2003-02-29", "2004-1", "late 2004"])
def test_normalise_refuses(bad):
    with pytest.raises(ValueError):
        normalise(bad)


def test_rewrite_replaces_old_bounds_links_events_and_is_idempotent():
    plan = Plan(instants={"time-2004-02": normalise("2004-02")}, events={"ev-a": "time-2004-02"})
    new, done = rewrite_turtle(BLOCKS, plan)
    assert done == {"time-2004-02", "ev-a"}
    assert "1999-01-01" not in new
    assert ('    ts:notBefore "2004-02-01T00:00:00"^^xsd:dateTime ;\n'
            '    ts:notAfter "2004-02-29T23:59:59"^^xsd:dateTime ;\n'
            '    ts:precision time:unitMonth ;\n'
            '    time:inXSDgYearMonth "2004-02"^^xsd:gYearMonth .') in new
    assert ('    schema:startDate "2004-02"^^xsd:gYearMonth ;\n'
            '    time:hasTime tsd:time-2004-02 ;\n') in new
    assert "@prefix time: <http://www.w3.org/2006/time#> .\n@prefix ts:" in new
    # the inferred instant is not touched
    assert 'tsd:time-inferred a ts:Instant ;\n    ts:notBefore "2004-01-01T00:00:00"' in new
    again, _ = rewrite_turtle(new, Plan(instants=plan.instants))
    assert again == new


def test_repository_is_up_to_date(built):
    plan = plan_time_bounds(built)
    assert plan.problems == []
    assert plan.events == {}, "run `tajsec dev time-bounds` and `make format`"
    assert len(plan.instants) >= 48
    root = Path(__file__).resolve().parent.parent
    for f in sorted((root / "instances").glob("*.ttl")):
        text = f.read_text(encoding="utf-8")
        assert rewrite_turtle(text, plan)[0] == text, f"{f.name}: run `tajsec dev time-bounds`"
