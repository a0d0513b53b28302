"""The one writer of SPARQL results (tajsec.sparql.results) against an independent reader:
pyoxigraph's own parsers of the W3C results formats read back what we wrote, term for term."""
from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tajsec.sparql import results

XSD = "http://www.w3.org/2001/XMLSchema#"
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20)
terms = st.one_of(
    st.none(),
    st.builds(lambda s: ox.NamedNode("https://example.org/" + s), st.text("abcXYZ019-_", max_size=10)),
    st.builds(lambda s: ox.BlankNode("b" + s), st.text("abcXYZ019", max_size=10)),
    st.builds(lambda s: ox.Literal(s), text),
    st.builds(lambda s: ox.Literal(s, language="en-gb"), text),
    st.builds(lambda n: ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer")), st.integers()),
)
rows = st.lists(st.lists(terms, min_size=2, max_size=2), max_size=5)
FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}


@settings(max_examples=60, deadline=None)
@given(rows)
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_typed_formats_round_trip(name, rows):
    result = results.Result(["a", "b"], rows)
    data = results.WRITERS[name](result).encode("utf-8")
    back = ox.parse_query_results(data, format=FORMATS[name])
    assert [v.value for v in back.variables] == ["a", "b"]
    got = [[sol[v] for v in ("a", "b")] for sol in back]
    assert got == rows


@settings(max_examples=60, deadline=None)
@given(rows)
def test_csv_round_trips_values_with_crlf(rows):
    result = results.Result(["a", "b"], rows)
    data = results.to_csv(result)
    assert data.startswith("a,b\r\n") and data.endswith("\r\n")
    back = list(csv.reader(io.StringIO(data, newline="")))
    assert back[0] == ["a", "b"]
    assert back[1:] == [["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value)
                         for t in row] for row in rows]


def test_blank_nodes_in_csv_keep_their_prefix():
    data = results.to_csv(results.Result(["x"], [[ox.BlankNode("b1")]]))
    assert data == "x\r\n_:b1\r\n"


@pytest.mark.parametrize("name,expected", [("csv", "true\r\n"), ("tsv", "true\n")])
def test_ask_in_csv_and_tsv(name, expected):
    assert results.boolean_to(name, True) == expected


@pytest.mark.parametrize("name", ["json", "xml"])
def test_ask_round_trips(name):
    for value in (True, False):
        back = ox.parse_query_results(results.boolean_to(name, value).encode(), format=FORMATS[name])
        assert bool(back) is value


def test_table_counts_rows_and_shows_unbound_as_empty():
    out = results.to_table(results.Result(["a", "b"], [[ox.Literal("x"), None], [None, None]]))
    assert out.splitlines()[-1] == "(2 rows)"
    assert [c.strip() for c in out.splitlines()[2].split("|")] == ["x", ""]
    assert [c.strip() for c in out.splitlines()[3].split("|")] == ["", ""]


def test_table_shows_control_characters_instead_of_sending_them():
    out = results.to_table(results.Result(["a"], [[ox.Literal("\x1b[31mRED\x07\nnext")]]))
    assert "\x1b" not in out and "\x07" not in out
    assert out.splitlines()[2] == "\\x1b[31mRED\\x07\\nnext"


def test_json_is_written_as_utf_8_not_escaped():
    data = results.to_json(results.Result(["x"], [[ox.Literal("Душанбе", language="tg")]]))
    assert '"value": "Душанбе"' in data and '"xml:lang": "tg"' in data


def test_table_cuts_long_cells_to_the_width_and_shortens_iris():
    long = "x" * 30
    out = results.to_table(results.Result(["a", "b"], [[ox.Literal(long), ox.NamedNode("https://example.org/t")]]),
                           shorten=lambda iri: iri.replace("https://example.org/", "ex:"), width=10)
    lines = out.splitlines()
    assert lines[0] == "a          | b"
    assert lines[1] == "-" * 10 + "-+-" + "-" * 4
    assert lines[2] == "xxxxxxx... | ex:t"
    assert lines[3] == "(1 row)"
    uncut = results.to_table(results.Result(["a"], [[ox.Literal(long)]]), width=None)
    assert uncut.splitlines()[2] == long
    assert results.to_table(results.Result(["a"], [])).splitlines()[-1] == "(0 rows)"


def test_lexical_rows_keep_unbound_as_none():
    res = results.Result(["a", "b"], [[ox.Literal("x"), None], [None, ox.NamedNode("https://example.org/y")]])
    assert res.lexical_rows_or_none() == [["x", None], [None, "https://example.org/y"]]
    assert res.lexical_rows() == [["x", ""], ["", "https://example.org/y"]]


def _json_by_dumps(result: results.Result) -> str:
    """SPARQL JSON results as the writer wrote them before its fast path: json.dumps, indent 2."""
    bindings = [{v: results.json_term(t) for v, t in zip(result.variables, row) if t is not None}
                for row in result.rows]
    doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 3).flatmap(lambda n: st.tuples(
    st.lists(st.text("abcxyz_", min_size=1, max_size=4), min_size=n, max_size=n, unique=True),
    st.lists(st.lists(terms, min_size=n, max_size=n), max_size=4))))
def test_json_is_byte_for_byte_what_json_dumps_wrote(case):
    variables, rows = case
    result = results.Result(variables, rows)
    assert results.to_json(result) == _json_by_dumps(result)


@pytest.mark.parametrize("variables, rows", [
    ([], []), (["a"], []), ([], [[]]), (["a"], [[None]]), (["a", "b"], [[None, None], [None, None]]),
    (["é", "b"], [[ox.Literal('"q"\\\n\t\x01 «»', language="tg"), ox.BlankNode("b1")]]),
])
def test_json_edge_cases_are_byte_for_byte_what_json_dumps_wrote(variables, rows):
    result = results.Result(variables, rows)
    assert results.to_json(result) == _json_by_dumps(result)


def test_json_with_evidence_keeps_its_member_after_the_results():
    result = results.Result(["a"], [[ox.Literal("x")]], {"rows": [{"traced": True}], "statements": {}})
    doc = json.loads(results.to_json(result))
    assert list(doc) == ["head", "results", "evidence"] and doc["evidence"]["rows"] == [{"traced": True}]
    assert results.to_json(result).startswith(_json_by_dumps(results.Result(["a"], [[ox.Literal("x")]]))[:-4])
