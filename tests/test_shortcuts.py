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


def test_tenures_give_membership_and_post(built):
    rows = select(built, """
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?t WHERE { ?t a ts:Tenure ; org:member ?p ; org:organization ?o ; org:role ?r .
                          FILTER NOT EXISTS { ?p org:memberOf ?o ; ts:heldPost ?r } }""")
    assert rows == []


def test_only_done_assistance_gives_assists(built):
    rows = select(built, """
        PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?a ?b WHERE { ?a ts:assists ?b .
          FILTER NOT EXISTS { ?x a ts:Assistance ; ts:provider ?a ; ts:recipient ?b ; ts:status ts:status-done } }""")
    assert rows == []
