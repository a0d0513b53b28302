"""Content negotiation (`tajsec.core.formats`): the Accept header by RFC 9110, as the SPARQL 1.1
Protocol asks, checked on the table of formats the endpoint offers."""
from __future__ import annotations

import pytest

from tajsec.core.formats import GRAPHS, RESULTS, accept_from_aliases, content_type, negotiate


@pytest.mark.parametrize("accept,expected", [
    (None, "json"),
    ("", "json"),
    ("*/*", "json"),
    ("text/csv", "csv"),
    # q-values decide, whatever the order
    ("application/sparql-results+json;q=0.2, text/csv", "csv"),
    ("text/tab-separated-values;q=0.9, application/sparql-results+xml;q=0.95", "xml"),
    # equal q: the client's order decides, not the table's
    ("text/csv, application/sparql-results+json", "csv"),
    ("application/sparql-results+xml, application/sparql-results+json", "xml"),
    # a specific q=0 excludes a format even beside */*
    ("application/sparql-results+json;q=0, */*", "xml"),
    # a wildcard's q applies to the types it covers; the specific range wins for its own type
    ("text/*;q=0.5, text/csv;q=0.1, text/xml;q=0", "tsv"),
    ("text/*", "xml"),  # text/xml is one of SPARQL XML's names, and XML comes before CSV in the table
    ("application/json", "json"),
    ("text/xml", "xml"),
    ("text/turtle", None),
    ("image/png, text/html;q=0.9", None),
    ("*/*;q=0", None),
    ("garbage, text/csv", "csv"),
    ("text/csv;q=bogus, text/tab-separated-values;q=0.1", "tsv"),
])
def test_negotiate_results(accept, expected):
    assert negotiate(accept, RESULTS) == expected


@pytest.mark.parametrize("accept,expected", [
    (None, "turtle"),
    ("*/*", "turtle"),
    ("application/rdf+xml", "rdfxml"),
    ("application/ld+json", "jsonld"),
    ("application/n-quads", "nquads"),
    ("application/trig", "trig"),
    ("text/plain", "ntriples"),
    ("application/n-triples;q=0.5, application/rdf+xml;q=0.5", "ntriples"),
    ("application/rdf+xml;q=0.5, application/n-triples;q=0.5", "rdfxml"),
    # what Jena's and SPARQLWrapper's graph requests look like
    ("text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.7, */*;q=0.1", "turtle"),
    ("application/rdf+xml, application/xml;q=0.9, */*;q=0.1", "rdfxml"),
    ("application/sparql-results+json", None),
])
def test_negotiate_graphs(accept, expected):
    assert negotiate(accept, GRAPHS) == expected


def test_format_parameters_become_an_accept_header():
    assert negotiate(accept_from_aliases(["csv"]), RESULTS) == "csv"
    assert negotiate(accept_from_aliases(["xml"]), GRAPHS) == "rdfxml"
    assert negotiate(accept_from_aliases(["xml"]), RESULTS) == "xml"
    assert negotiate(accept_from_aliases(["tsv", "text/tab-separated-values"]), RESULTS) == "tsv"
    assert accept_from_aliases(["", " "]) == ""
    with pytest.raises(ValueError, match="unknown format 'png'"):
        accept_from_aliases(["png"])


def test_text_formats_declare_their_charset():
    assert content_type("csv") == "text/csv; charset=utf-8"
    assert content_type("json") == "application/sparql-results+json"
    assert content_type("turtle") == "text/turtle; charset=utf-8"


@pytest.mark.parametrize("value", [" ", "  ", " a ", "a  ", " \t", ""])
def test_sparql_xml_keeps_spaces_that_readers_trim(value):
    """pyoxigraph's XML reader trims text: leading and trailing spaces go as character references
    (found by test_results_formats' generated literals: " " came back as "")."""
    import pyoxigraph as ox

    from tajsec.sparql import results

    body = results.to_xml(results.Result(["b"], [[ox.Literal(value)]]))
    back = ox.parse_query_results(body.encode(), format=ox.QueryResultsFormat.XML)
    assert [s["b"].value for s in back] == [value]
