"""The shortcut layer (plain triples) agrees with the detailed layer (statement nodes)."""
from __future__ import annotations

from conftest import select


def test_every_relation_statement_has_its_shortcut_and_negations_have_none(built):
    missing = select(built, """
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?st WHERE {
          ?st a ts:RelationStatement ; ts:subject ?s ; ts:predicate ?p .
          { ?st ts:object ?o } UNION { ?st ts:value ?o }
          FILTER NOT EXISTS { ?st ts:negated true }
          FILTER NOT EXISTS { ?st ts:share ?share }
          FILTER NOT EXISTS { ?st ts:status ?status .
            VALUES ?status { ts:status-former ts:status-planned ts:status-envisaged ts:status-promised ts:status-pledged } }
          FILTER NOT EXISTS { ?s ?p ?o }
        }""")
    assert missing == []
    leaked = select(built, """
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?st WHERE {
          ?st a ts:RelationStatement ; ts:subject ?s ; ts:predicate ?p ; ts:object ?o ; ts:negated true .
          ?s ?p ?o .
          FILTER NOT EXISTS { ?other ts:subject ?s ; ts:predicate ?p ; ts:object ?o .
                              FILTER NOT EXISTS { ?other ts:negated true } }
        }""")
    assert leaked == []
    assert len(select(built, "PREFIX ts: <https://w3id.org/tajsec/onto/> SELECT ?st WHERE { ?st a ts:RelationStatement }")) > 50


def test_a_relation_stated_of_a_share_of_its_subject_yields_no_plain_triple(built):
    """'Most soldiers are drawn from Tajikistan' must not become 'the soldiers: nationality
    Tajikistan' (of all of them): a statement with a ts:share yields no shortcut triple, unless
    another statement without a share backs the same triple."""
    shared = select(built, """
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?st WHERE { ?st a ts:RelationStatement ; ts:share ?share }""")
    assert ("https://w3id.org/tajsec/id/st-russian-border-troops-soldiers-mostly-from-tajikistan",) in shared
    leaked = select(built, """
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?st WHERE {
          ?st a ts:RelationStatement ; ts:subject ?s ; ts:predicate ?p ; ts:object ?o ; ts:share ?share .
          ?s ?p ?o .
          FILTER NOT EXISTS { ?other ts:subject ?s ; ts:predicate ?p ; ts:object ?o .
                              FILTER NOT EXISTS { ?other ts:share ?any } }
        }""")
    assert leaked == []


def test_every_derived_triple_is_backed_by_a_statement(built):
    """Each triple the build added with a shortcut predicate comes from some statement node."""
    orphans = select(built, """
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?s ?p ?o WHERE {
          GRAPH <https://w3id.org/tajsec/graph/derived> { ?s ?p ?o }
          { SELECT DISTINCT ?p WHERE { ?x ts:predicate ?p } }
          FILTER NOT EXISTS { ?st ts:subject ?s ; ts:predicate ?p .
                              { ?st ts:object ?o } UNION { ?st ts:value ?o } }
          FILTER NOT EXISTS { ?sub <http://www.w3.org/2000/01/rdf-schema#subPropertyOf>+ ?p }
          FILTER NOT EXISTS { ?t a ts:Tenure ; org:member ?s ; org:organization ?o }
        }""")
    assert orphans == []


def test_former_relations_give_no_shortcut(built):
    """The Ministry of Security 'previously' collected weapons; that job moved to the Ministry of
    the Interior, so only the latter is responsible for it in the shortcut layer."""
    rows = select(built, """
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?who WHERE { ?who ts:responsibleFor ts:function-weapons-collection } ORDER BY ?who""")
    assert ("https://w3id.org/tajsec/id/ministry-of-security",) not in rows


def test_tenures_held_at_the_present_give_membership_and_post(built):
    rows = select(built, """
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?t WHERE { ?t a ts:Tenure ; org:member ?p ; org:organization ?o ; org:role ?r .
                          FILTER NOT EXISTS { ?t ts:status ts:status-former }
                          FILTER NOT EXISTS { ?p org:memberOf ?o ; ts:heldPost ?r } }""")
    assert rows == []


def test_former_tenures_give_no_membership(built):
    """Plain triples are facts of the paper's present: a former Interior Minister and the current
    one are not both members of the ministry, and Mirzoev is a member of nothing."""
    rows = select(built, """
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX tsd: <https://w3id.org/tajsec/id/>
        SELECT ?p ?o WHERE { ?p org:memberOf ?o .
          FILTER(?p IN (tsd:yakub-salimov, tsd:khumdin-sharipov, tsd:gaffur-mirzoev, tsd:former-presidential-adviser)) }
        ORDER BY ?p""")
    assert rows == [("https://w3id.org/tajsec/id/khumdin-sharipov", "https://w3id.org/tajsec/id/ministry-of-interior")]


def test_a_tenure_ended_before_the_present_gives_no_membership(project):
    """Without a status, an end certainly before the paper's present is enough."""
    from tajsec.graph.build import build

    data = """
@prefix org: <http://www.w3.org/ns/org#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix ts: <https://w3id.org/tajsec/onto/> .
@prefix tsd: <https://w3id.org/tajsec/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
tsd:t-ended a ts:Tenure ; org:member tsd:p1 ; org:organization tsd:o1 ; org:memberDuring tsd:i-ended .
tsd:i-ended a ts:Interval ; time:hasEnd tsd:e1 .
tsd:e1 a ts:Instant ; time:inXSDgYearMonth "2004-08"^^xsd:gYearMonth .
tsd:t-year a ts:Tenure ; org:member tsd:p2 ; org:organization tsd:o1 ; org:memberDuring tsd:i-year .
tsd:i-year a ts:Interval ; time:hasEnd tsd:e2 .
tsd:e2 a ts:Instant ; time:inXSDgYear "2004"^^xsd:gYear .
tsd:time-paper-present ts:notBefore "2004-11-03T00:00:00"^^xsd:dateTime .
"""
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "t.ttl"
        f.write_text(data, encoding="utf-8")
        b = build(project, [*project.ontology_files, f])
        rows = select(b, "SELECT ?p WHERE { ?p <http://www.w3.org/ns/org#memberOf> ?o } ORDER BY ?p")
    # an end in August 2004 is before the present; an end "in 2004" may be after 3 November 2004
    assert rows == [("https://w3id.org/tajsec/id/p2",)]


def test_only_done_assistance_gives_assists(built):
    rows = select(built, """
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?a ?b WHERE { ?a ts:assists ?b .
          FILTER NOT EXISTS { ?x a ts:Assistance ; ts:provider ?a ; ts:recipient ?b ; ts:status ts:status-done } }""")
    assert rows == []
