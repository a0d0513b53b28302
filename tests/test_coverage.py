"""`tajsec coverage` against the source text: every evidence quote is found verbatim."""
from __future__ import annotations

from tajsec.quality.coverage import coverage, normalise, split_source


def test_source_is_split_into_sections_and_all_footnotes(source_text):
    paragraphs = split_source(source_text)
    footnotes = {p.section for p in paragraphs if p.section.startswith("footnote-")}
    assert footnotes == {f"footnote-{n}" for n in range(27, 66)}
    sections = {p.section for p in paragraphs if p.section.startswith("section-")}
    assert {"section-introduction", "section-hizb-ut-tahrir", "section-border-protection",
            "section-conclusion", "section-signature"} <= sections


def test_paragraph_broken_by_a_page_of_footnotes_is_joined(source_text):
    texts = [p.text for p in split_source(source_text)]
    assert any("Transparency International has rated Tajikistan among the five most corrupt "
               "countries in the world." in t for t in texts)


def test_normalise_joins_hyphenation_and_drops_footnote_markers():
    assert normalise("a conflict-\ngenerating factor") == "a conflict-generating factor"
    assert normalise("up to 30,000 servicemen33\nbroadly") == "up to 30,000 servicemen broadly"
    assert normalise("the state\u2019s quickly.27 People") == "the state's quickly. People"
    assert normalise("5,3 times more than in 2002.49") == "5,3 times more than in 2002."


def test_every_quote_is_found(source_text, built):
    rep = coverage(source_text, built)
    assert rep.quotes_found > 300
    assert rep.quotes_not_found == []


def test_a_quote_not_in_the_paper_is_reported(source_text, built, project):
    import pyoxigraph as ox
    from tajsec.graph.build import build

    b = build(project)
    b.store.add(ox.Quad(ox.NamedNode("https://w3id.org/tajsec/id/fake"),
                        ox.NamedNode("https://w3id.org/tajsec/onto/evidenceQuote"),
                        ox.Literal("Tajikistan has a navy of forty ships."),
                        ox.NamedNode("https://w3id.org/tajsec/graph/test")))
    rep = coverage(source_text, b)
    assert [n for n, _ in rep.quotes_not_found] == ["https://w3id.org/tajsec/id/fake"]


def test_body_sections_are_mostly_covered(source_text, built):
    rep = coverage(source_text, built)
    d = rep.as_dict()
    assert d["percent"] >= 80.0, d["sections"]
