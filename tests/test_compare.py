"""The comparison of a question's answer with its expected answer (tajsec.sparql.queries.compare)
and the reading of query files: each kind of difference must be reported, so that "every
competency question matches its expected answer" can fail when an answer is wrong."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from tajsec.sparql import queries
from tajsec.sparql.results import Result


def expected(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def result(*rows, variables=("a", "b")) -> Result:
    return Result(list(variables), [[None if v is None else ox.Literal(v) for v in row] for row in rows])


def test_equal_answers_in_any_order(tmp_path):
    path = expected(tmp_path, "a,b\r\nx,1\r\ny,\r\n")
    assert queries.compare(result(["y", None], ["x", "1"]), path) == []


def test_missing_row_reported(tmp_path):
    path = expected(tmp_path, "a,b\r\nx,1\r\ny,2\r\n")
    assert queries.compare(result(["x", "1"]), path) == ["missing row ['y', '2']"]


def test_unexpected_row_reported(tmp_path):
    path = expected(tmp_path, "a,b\r\nx,1\r\n")
    assert queries.compare(result(["x", "1"], ["z", "3"]), path) == ["unexpected row ['z', '3']"]


def test_duplicate_rows_compared_as_a_multiset(tmp_path):
    path = expected(tmp_path, "a,b\r\nx,1\r\n")
    assert queries.compare(result(["x", "1"], ["x", "1"]), path) == ["2 rows, expected 1 (duplicates differ)"]
    path = expected(tmp_path, "a,b\r\nx,1\r\nx,1\r\n")
    assert queries.compare(result(["x", "1"]), path) == ["1 rows, expected 2 (duplicates differ)"]


@pytest.mark.parametrize("header", ["b,a", "a", "a,b,c", "A,B"])
def test_column_names_and_order_compared(tmp_path, header):
    path = expected(tmp_path, header + "\r\nx,1\r\n")
    problems = queries.compare(result(["x", "1"]), path)
    assert problems == [f"columns ['a', 'b'] != expected {header.split(',')}"]


def test_empty_expected_file_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="empty expected-answer file"):
        queries.compare(result(), expected(tmp_path, ""))


def test_header_only_expects_no_rows(tmp_path):
    path = expected(tmp_path, "a,b\r\n")
    assert queries.compare(result(), path) == []
    assert queries.compare(result(["x", "1"]), path) == ["unexpected row ['x', '1']"]


def test_run_gives_variables_rows_and_unbound(tmp_path):
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"), ox.Literal("v")))
    res = queries.run(store.query, "SELECT ?o ?none WHERE { ?s ?p ?o } ")
    assert res.variables == ["o", "none"] and res.rows == [[ox.Literal("v"), None]]
    res = queries.run(store.query, "SELECT ?s ?o WHERE { ?s ?p ?o }", substitutions={ox.Variable("s"): ox.NamedNode("https://example.org/t")})
    assert res.rows == []
    with pytest.raises(ValueError, match="only SELECT"):
        queries.run(store.query, "ASK { ?s ?p ?o }")


def test_query_file_header_title_and_question(tmp_path):
    path = tmp_path / "who-leads.rq"
    path.write_text("# # Who leads\n#\n# **Question:** Who\n#   leads it?\n#\n#no space\nSELECT * {}\n# not header\n",
                    encoding="utf-8")
    qf = queries.QueryFile.read(path)
    assert qf.name == "who-leads"
    assert qf.header == "# Who leads\n\n**Question:** Who\n  leads it?\n\nno space"
    assert qf.title == "Who leads"
    assert qf.question == "Who leads it?"
    bare = queries.QueryFile(tmp_path / "bare.rq", "SELECT * {}")
    assert (bare.header, bare.title, bare.question) == ("", "bare", "bare")
