"""tajsec.graph: the one reader of dates (`time`) and of provenance (`evidence`), checked on
small hand-made graphs whose right answers are worked out by hand here."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from tajsec.graph.evidence import evidence_quotes, provenance
from tajsec.graph.index import GraphIndex, StoreView
from tajsec.graph.models import read_entity, read_statement
from tajsec.graph.time import TimeSpan, node_span, parse_date, pretty_date, time_text

PREFIXES = """
@prefix ts: <https://w3id.org/tajsec/onto/> .
@prefix tsd: <https://w3id.org/tajsec/id/> .
@prefix schema: <https://schema.org/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

DATA = PREFIXES + """
tsd:event schema:startDate "2004-01"^^xsd:gYearMonth ; schema:endDate "2004-08"^^xsd:gYearMonth ;
    ts:validDuring tsd:i1 .
tsd:tenure org:memberDuring tsd:i2 ; ts:reportedOn "2003"^^xsd:gYear .
tsd:i1 time:hasBeginning tsd:y1990 .
tsd:y1990 time:inXSDgYear "1990"^^xsd:gYear .
tsd:i2 a ts:Interval ; time:hasEnd tsd:end2 ; ts:timeText "until early 2004" .
tsd:end2 a ts:Instant ; time:inXSDDate "2004-01-15"^^xsd:date .
tsd:count ts:quantity tsd:q ; ts:reportedOn "2002"^^xsd:gYear .
tsd:q ts:valueText "up to 30,000" ; schema:maxValue 30000 ; ts:hedge ts:hedge-up-to ; ts:referencePeriod tsd:i3 .
tsd:i3 time:hasBeginning tsd:y1999 ; time:hasEnd tsd:y2001 .
tsd:y1999 time:inXSDgYear "1999"^^xsd:gYear .
tsd:y2001 time:inXSDgYear "2001"^^xsd:gYear .
tsd:report ts:reportedOn "2004-10"^^xsd:gYearMonth ; schema:datePublished "2005"^^xsd:gYear .
tsd:book schema:datePublished "2005"^^xsd:gYear .
tsd:undated rdfs:label "no date" .

tsd:claim rdfs:label "A claim"@en, "Утверждение"@ru ; ts:negated true ; ts:claimHolder tsd:author ;
    ts:evidenceQuote "the second quote", "a first quote" ;
    ts:inSection tsd:section-drugs ; ts:footnote tsd:fn-12, tsd:fn-x ; ts:page "7" ;
    prov:wasDerivedFrom tsd:paper, tsd:report ; skos:editorialNote "checked twice" .
tsd:fn-12 ts:footnoteNumber 12 .
tsd:person rdfs:label "Gaffur Mirzoev" ; skos:altLabel "Mirzoev", "G. Mirzoev" ; a ts:Person .
"""

TSD = "https://w3id.org/tajsec/id/"


@pytest.fixture(scope="module", params=["index", "store"])
def view(request):
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE)
    return GraphIndex(store) if request.param == "index" else StoreView(store)


def test_parse_date_precision():
    assert parse_date("2004").precision == "year"
    assert parse_date("2004-01").precision == "month"
    assert (parse_date("2004-01-15").year, parse_date("2004-01-15").month, parse_date("2004-01-15").day) \
        == (2004, 1, 15)
    assert parse_date("2004-01-15T10:00:00").day == 15
    assert parse_date("early 2004") is None


def test_pretty_date():
    assert pretty_date("2004-01-05") == "5 January 2004"
    assert pretty_date("2004-01") == "January 2004"
    assert pretty_date("2004-01", short_months=True) == "Jan 2004"
    assert pretty_date("2004") == "2004"
    assert pretty_date("2004-13") == "2004"  # no such month: the year alone
    assert pretty_date("around 2004") == "around 2004"


def test_span_pretty():
    assert TimeSpan("2004-01", "2004-08").pretty() == "January 2004 – August 2004"
    assert TimeSpan("2004-01", "2004-01").pretty() == "January 2004"
    assert TimeSpan(None, "2004", interval=True).pretty() == "… – 2004"


def test_schema_dates_come_before_intervals(view):
    assert node_span(view, TSD + "event") == TimeSpan("2004-01", "2004-08")


def test_interval_comes_before_reported_on(view):
    assert node_span(view, TSD + "tenure") == TimeSpan(None, "2004-01-15", interval=True)


def test_quantity_reference_period_comes_before_reported_on(view):
    assert node_span(view, TSD + "count") == TimeSpan("1999", "2001", interval=True)


def test_reported_on_then_date_published(view):
    assert node_span(view, TSD + "report") == TimeSpan("2004-10", None)
    assert node_span(view, TSD + "book") == TimeSpan("2005", None)
    assert node_span(view, TSD + "undated") is None


def test_time_text(view):
    assert time_text(view, TSD + "i2", is_instant=False) == "… – 15 January 2004 (until early 2004)"
    assert time_text(view, TSD + "end2", is_instant=True) == "15 January 2004"


def test_provenance(view):
    p = provenance(view, TSD + "claim")
    assert p.quote == "a first quote"  # the first in lexical order, whichever reader asks
    assert p.quotes == ("a first quote", "the second quote")
    assert p.sections == (TSD + "section-drugs",)
    assert [(f.iri, f.number) for f in p.footnotes] == [(TSD + "fn-12", "12"), (TSD + "fn-x", None)]
    assert p.pages == ("7",)
    assert p.sources == (TSD + "paper", TSD + "report")
    assert p.notes == ("checked twice",)


def test_statement_and_entity_models(view):
    st = read_statement(view, TSD + "claim")
    assert st.label == "A claim" and st.negated and st.claim_holders == (TSD + "author",)
    assert st.span is None
    count = read_statement(view, TSD + "count")
    assert [(q.text, q.max_value, q.hedges) for q in count.quantities] == \
        [("up to 30,000", "30000", ("https://w3id.org/tajsec/onto/hedge-up-to",))]
    e = read_entity(view, TSD + "person")
    assert (e.label, e.alt_labels, e.types) == ("Gaffur Mirzoev", ("G. Mirzoev", "Mirzoev"),
                                                ("https://w3id.org/tajsec/onto/Person",))


def test_evidence_quotes():
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE)
    assert evidence_quotes(store) == [(TSD + "claim", "a first quote"), (TSD + "claim", "the second quote")]
