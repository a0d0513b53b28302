"""Statement cards (tajsec.evidence.cards): what the evidence of an answer shows for one node, on
a small file of our own whose every card is worked out by hand below (lines included)."""
from __future__ import annotations

import pytest

from tajsec.core.namespaces import TS
from tajsec.evidence.cards import Cards
from tajsec.graph.build import DERIVED_GRAPH, build

EX = "http://example.org/"
CARDS = f"""@prefix ex: <{EX}> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ts: <{TS}> .

ex:claim a ts:Claim , foaf:Document ;
    rdfs:label "A claim"@en ;
    ts:claimHolder ex:holder ;
    ts:quantity ex:q ;
    ts:inSection ex:sec ;
    ts:footnote ex:fn , ex:fn-unnumbered ;
    prov:wasDerivedFrom ex:work ;
    ts:evidenceQuote "Second quote." , "First quote." .
ex:holder rdfs:label "The holder"@en .
ex:q ts:hedge ex:over , ex:about .
ex:over rdfs:label "over"@en .
ex:about rdfs:label "about"@en .
ex:sec rdfs:label "Section 1"@en .
ex:fn ts:footnoteNumber "12" ; ts:cites ex:w2 , ex:w1 .
ex:fn-unnumbered ts:cites ex:w3 .
ex:work rdfs:label "The paper"@en .
ex:plain a foaf:Person ; rdfs:label "Plain"@en ; ts:evidenceQuote "Only quote." .
ex:m a ts:Measurement ; ts:measuredEntity ex:e ; ts:quantity ex:q2 .
ex:q2 ts:hedge ex:over .
ex:e rdfs:label "E"@en .
"""
# lines, by hand: ex:claim on 7, ex:fn on 20, ex:plain on 23, ex:m on 24, ex:e on 26


@pytest.fixture(scope="module")
def cards_graph(project, tmp_path_factory):
    d = tmp_path_factory.mktemp("cards")
    (d / "cards.ttl").write_text(CARDS, encoding="utf-8")
    return build(project, files=[], foreign=[d / "cards.ttl"]), d


def test_a_claim_s_card(cards_graph):
    b, d = cards_graph
    card = Cards(b, d).card(EX + "claim")
    assert card == {
        "iri": EX + "claim",
        "label": "A claim",
        "kind": ["ts:Claim"],  # the project's own classes when it has any
        "holders": [{"iri": EX + "holder", "label": "The holder"}],
        "hedges": ["about", "over"],
        "sections": [{"iri": EX + "sec", "label": "Section 1"}],
        "footnotes": [{"iri": EX + "fn", "number": "12"}, {"iri": EX + "fn-unnumbered", "number": None}],
        "sources": [{"iri": EX + "work", "label": "The paper"}],
        "cited_works": [EX + "w1", EX + "w2", EX + "w3"],
        "quote": "First quote.",
        "quotes": ["First quote.", "Second quote."],
        "described_in": [{"file": "cards.ttl", "line": 7}],
    }


def test_a_card_leaves_out_what_a_node_has_not(cards_graph):
    b, d = cards_graph
    cards = Cards(b, d)
    # other classes when it has none of ours; one quote: no list of quotes
    assert cards.card(EX + "plain") == {"iri": EX + "plain", "label": "Plain", "kind": ["foaf:Person"],
                                        "quote": "Only quote.", "described_in": [{"file": "cards.ttl", "line": 23}]}
    # a footnote node: its number
    assert cards.card(EX + "fn") == {"iri": EX + "fn", "label": EX + "fn", "footnote_number": "12",
                                     "described_in": [{"file": "cards.ttl", "line": 20}]}


def test_hedges_are_of_the_node_s_own_quantities_not_the_derived_shortcut(cards_graph):
    b, d = cards_graph
    e, q2 = EX + "e", EX + "q2"
    # the build derives ex:e ts:quantity ex:q2 from the measurement: a shortcut, not ex:e's statement
    derived = b.store.quads_for_pattern(None, None, None, DERIVED_GRAPH)
    assert any(q.subject.value == e and q.object.value == q2 for q in derived)
    cards = Cards(b, d)
    assert "hedges" not in cards.card(e)
    assert cards.card(EX + "m")["hedges"] == ["over"]


def test_where_a_subject_is_asserted(cards_graph):
    import pyoxigraph as ox

    b, d = cards_graph
    cards = Cards(b, d)
    graph = next(ox.NamedNode(g) for g, p in b.graphs.items() if p.name == "cards.ttl")
    assert cards.where(ox.NamedNode(EX + "claim"), [graph]) == [{"file": "cards.ttl", "line": 7}]
    # a node with no line of its own (a blank node, or a subject the file does not start a block
    # with): the file only; graphs that are no file (the default graph, the derived graph): none
    assert cards.where(ox.BlankNode(), [graph]) == [{"file": "cards.ttl"}]
    assert cards.where(ox.NamedNode(EX + "w1"), [graph]) == [{"file": "cards.ttl"}]
    assert cards.where(ox.NamedNode(EX + "claim"), [ox.DefaultGraph(), DERIVED_GRAPH]) == []
    assert cards.where(ox.NamedNode(EX + "claim"), [graph, graph]) == [{"file": "cards.ttl", "line": 7}]
    # a graph that is no file, whatever its place among the others
    for graphs in ([DERIVED_GRAPH, graph], [graph, DERIVED_GRAPH]):
        assert cards.where(ox.NamedNode(EX + "claim"), graphs) == [{"file": "cards.ttl", "line": 7}]


def test_files_are_shown_relative_to_the_root_when_under_it(cards_graph, tmp_path):
    b, d = cards_graph
    path = d / "cards.ttl"
    assert Cards(b, d).card(EX + "plain")["described_in"][0]["file"] == "cards.ttl"
    assert Cards(b, d.parent).card(EX + "plain")["described_in"][0]["file"] == f"{d.name}/cards.ttl"
    assert Cards(b, None).card(EX + "plain")["described_in"][0]["file"] == str(path)
    assert Cards(b, tmp_path).card(EX + "plain")["described_in"][0]["file"] == str(path)  # not under it
    # a root given with `..` is resolved before the file is shown relative to it
    assert Cards(b, tmp_path / ".." / d.name).card(EX + "plain")["described_in"][0]["file"] == "cards.ttl"


def test_a_card_is_read_once(cards_graph):
    b, d = cards_graph
    cards = Cards(b, d)
    first = cards.card(EX + "claim")
    assert cards.card(EX + "claim") is first
