"""Merge's analysis (tajsec.merge.analysis): which entities of an input match ours (same IRI,
shared external IRI, direct link), which are candidates by label, which are new; each test
merges a small made-up input with the build and reads the report.

Our side, as the paper's graph has it: tsd:putin (label "Putin") skos:exactMatch wd:Q7747,
tsd:russia wd:Q159, tsd:tajikistan wd:Q863, tsd:dushanbe wd:Q9365; tsd:rahmonov is labelled
"Rahmonov", tsd:gaffur-mirzoev "Mirzoev"."""
from __future__ import annotations

import pytest

from tajsec.merge import merge

TSD = "https://w3id.org/tajsec/id/"
EX = "http://example.org/"
WD = "http://www.wikidata.org/entity/"
SAME_SPELLING = "same spelling after normalisation"
SKELETON = "same consonant skeleton"

PREFIXES = """@prefix ex: <http://example.org/> .
@prefix tsd: <https://w3id.org/tajsec/id/> .
@prefix ts: <https://w3id.org/tajsec/onto/> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
"""

#: one input with one case of each kind (the comment after each line says what it is for)
INPUT = PREFIXES + """
tsd:russia ex:note "described by them" .                 # same IRI
wd:Q9365 rdfs:label "Zeta city"@en , "Alpha city"@en , ex:not-a-literal .  # they describe our external IRI
ex:vp owl:sameAs wd:Q7747 ; rdfs:label "Putin" .         # they link to it (and are no candidate then)
wd:Q159 skos:exactMatch ex:rus ; owl:sameAs "Russia" .   # it links to them; a literal is nobody
ex:rus skos:prefLabel "Rossiya" .
ex:tj skos:exactMatch tsd:tajikistan ; skos:prefLabel "Tojikiston" .  # linked to one of ours directly
tsd:rahmonov owl:sameAs ex:rah .                         # ... from our side
tsd:putin owl:sameAs tsd:russia , "Putin" .              # two of ours, or a literal: no match
ex:both owl:sameAs wd:Q863 , tsd:tajikistan ; skos:prefLabel "Both" .  # two ways: the first basis stays
ex:p1 foaf:name "PUTIN" .                                # candidate: same spelling
ex:p2 schema:name "Rahman" ; skos:prefLabel "Rahmonov" . # the better of two candidates stays
ex:p3 rdfs:label "putin" ; foaf:name "Putin" .           # of two equally good, the first label
ex:m1 rdfs:label "Mirzoyev" .                            # candidate: same consonant skeleton
ex:moscow rdfs:label "Moscow" .                          # two of ours have the name: two candidates
ex:e rdfs:label "!!!" .                                  # nothing left to compare: new
ex:nl rdfs:label ex:x .                                  # a label that is no literal: not labelled
ex:new2 rdfs:label "Qwerty village" .                    # new, listed in order
ex:new1 rdfs:label "Xyzzy town" , "Xyzzy" .
ex:late owl:sameAs wd:Q7747 ; rdfs:label "Vladimir" .    # a matched node read before the others
"""


@pytest.fixture(scope="module")
def report(project, tmp_path_factory):
    path = tmp_path_factory.mktemp("analysis") / "input.ttl"
    path.write_text(INPUT, encoding="utf-8")
    with merge(project, [path]) as result:
        yield result.report, str(path)


def matches(report) -> dict[tuple[str, str], tuple[str, str | None]]:
    return {(m.ours, m.theirs): (m.basis, m.via) for m in report.matches}


def test_same_iri(report):
    rep, given = report
    m = next(m for m in rep.matches if m.theirs == f"<{TSD}russia>")
    assert (m.ours, m.basis, m.via, m.input) == (f"<{TSD}russia>", "same IRI", None, given)
    assert (m.our_label, m.their_label) == ("Russia", None)


def test_their_description_of_our_external_iri(report):
    rep, _ = report
    m = next(m for m in rep.matches if m.theirs == f"<{WD}Q9365>")
    assert (m.ours, m.basis, m.via) == (f"<{TSD}dushanbe>", "shared external IRI", f"<{WD}Q9365>")
    # of their labels the first in order; an IRI is no label
    assert m.their_label == "Alpha city"


def test_their_links_to_our_external_iri_either_way(report):
    found = matches(report[0])
    assert found[(f"<{TSD}putin>", f"<{EX}vp>")] == ("shared external IRI", f"<{WD}Q7747>")
    assert found[(f"<{TSD}russia>", f"<{EX}rus>")] == ("shared external IRI", f"<{WD}Q159>")
    assert found[(f"<{TSD}russia>", f"<{WD}Q159>")] == ("shared external IRI", f"<{WD}Q159>")
    # a literal linked from the external IRI matches nothing
    assert not [m for m in report[0].matches if m.theirs.startswith('"')]


def test_direct_links_to_ours_either_way(report):
    found = matches(report[0])
    assert found[(f"<{TSD}tajikistan>", f"<{EX}tj>")] == ("linked with skos:exactMatch", None)
    assert found[(f"<{TSD}rahmonov>", f"<{EX}rah>")] == ("linked with owl:sameAs", None)


def test_a_link_between_two_of_ours_or_to_a_literal_is_no_match(report):
    found = matches(report[0])
    assert (f"<{TSD}putin>", f"<{TSD}russia>") not in found
    assert (f"<{TSD}russia>", f"<{TSD}putin>") not in found
    assert not [k for k in found if not k[1].startswith(("<", "_:"))]


def test_the_first_basis_found_stays(report):
    found = matches(report[0])
    assert found[(f"<{TSD}tajikistan>", f"<{EX}both>")] == ("shared external IRI", f"<{WD}Q863>")
    assert sum(m.theirs == f"<{EX}both>" for m in report[0].matches) == 1


def test_every_match(report):
    """Nothing else is matched: each match above, and the same IRIs they state things about."""
    assert sorted(matches(report[0])) == sorted([
        (f"<{TSD}dushanbe>", f"<{WD}Q9365>"), (f"<{TSD}putin>", f"<{EX}vp>"), (f"<{TSD}putin>", f"<{TSD}putin>"),
        (f"<{TSD}putin>", f"<{EX}late>"),
        (f"<{TSD}rahmonov>", f"<{EX}rah>"), (f"<{TSD}rahmonov>", f"<{TSD}rahmonov>"),
        (f"<{TSD}russia>", f"<{EX}rus>"), (f"<{TSD}russia>", f"<{WD}Q159>"), (f"<{TSD}russia>", f"<{TSD}russia>"),
        (f"<{TSD}tajikistan>", f"<{EX}both>"), (f"<{TSD}tajikistan>", f"<{EX}tj>")])


def candidates(report) -> dict[tuple[str, str], tuple[str, str, str]]:
    """(our IRI, their IRI) -> (their label, our label, rule)"""
    return {(c.ours, c.theirs): (c.their_label, c.our_label, c.rule) for c in report.candidates}


def test_candidates_by_label(report):
    rep, given = report
    assert candidates(rep) == {
        (f"<{TSD}putin>", f"<{EX}p1>"): ("PUTIN", "Putin", SAME_SPELLING),
        (f"<{TSD}rahmonov>", f"<{EX}p2>"): ("Rahmonov", "Rahmonov", SAME_SPELLING),
        (f"<{TSD}putin>", f"<{EX}p3>"): ("Putin", "Putin", SAME_SPELLING),
        (f"<{TSD}gaffur-mirzoev>", f"<{EX}m1>"): ("Mirzoyev", "Mirzoev", SKELETON),
        (f"<{TSD}moscow>", f"<{EX}moscow>"): ("Moscow", "Moscow", SAME_SPELLING),
        (f"<{TSD}government-of-russia>", f"<{EX}moscow>"): ("Moscow", "Moscow", SAME_SPELLING),
    }
    assert {c.input for c in rep.candidates} == {given}
    assert {c.theirs: c.normalised for c in rep.candidates}[f"<{EX}m1>"] == "mrz"


def test_new_entities_are_the_labelled_ones_neither_matched_nor_candidates(report):
    rep, given = report
    assert rep.new_entities[given] == [f"<{EX}e> '!!!'", f"<{EX}new1> 'Xyzzy'", f"<{EX}new2> 'Qwerty village'"]
    assert rep.new_entities_total[given] == 3


def test_a_label_in_a_named_graph_of_the_input_counts(project, tmp_path):
    path = tmp_path / "graphs.trig"
    path.write_text(PREFIXES + "ex:g { ex:vp owl:sameAs wd:Q7747 . ex:p1 foaf:name \"Putin\" . }\n", encoding="utf-8")
    with merge(project, [path]) as r:
        assert matches(r.report) == {(f"<{TSD}putin>", f"<{EX}vp>"): ("shared external IRI", f"<{WD}Q7747>")}
        assert candidates(r.report) == {(f"<{TSD}putin>", f"<{EX}p1>"): ("Putin", "Putin", SAME_SPELLING)}


def test_report_lists_are_sorted_across_inputs(project, tmp_path):
    b, a = tmp_path / "b.ttl", tmp_path / "a.ttl"
    b.write_text(PREFIXES + "ex:z owl:sameAs wd:Q7747 . ex:y skos:exactMatch tsd:russia .\n"
                 "ex:c2 rdfs:label \"Putin\" . ex:c1 rdfs:label \"Russia\" .\n"
                 "ts:Person rdfs:subClassOf ts:Place . ts:Event rdfs:subClassOf ts:Place .\n", encoding="utf-8")
    a.write_text(PREFIXES + "ex:x owl:sameAs wd:Q863 .\n", encoding="utf-8")
    with merge(project, [b, a]) as r:
        rep = r.report
        assert [(m.input, m.ours, m.theirs) for m in rep.matches] == [
            (str(a), f"<{TSD}tajikistan>", f"<{EX}x>"),
            (str(b), f"<{TSD}putin>", f"<{EX}z>"), (str(b), f"<{TSD}russia>", f"<{EX}y>")]
        assert [(c.ours, c.theirs) for c in rep.candidates] == [
            (f"<{TSD}putin>", f"<{EX}c2>"), (f"<{TSD}russia>", f"<{EX}c1>")]
        assert [h.subject for h in rep.ontology_changes] == sorted(h.subject for h in rep.ontology_changes)
        assert len(rep.ontology_changes) == 2
