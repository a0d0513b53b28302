"""No competency question finds a fact by matching English text (issue 13, "Structure, not
strings"): a string function (CONTAINS, REGEX, LCASE, ...) or a comparison with a literal, applied
to a variable bound to a label, a claim text, a time text, a quote or a note, means the fact lives
in a string. Questions genuinely about wording say so in their header with the line
`# **About wording:** yes` and are exempt."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue, Expr

from tajsec.core import namespaces as ns

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = sorted((ROOT / "queries" / "questions").glob("*.rq"))
WORDING_MARK = "# **About wording:** yes"

_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
# properties whose values are English text: what a question must not match on
TEXT_PROPERTIES = frozenset(URIRef(i) for i in (
    _RDFS + "label", _RDFS + "comment",
    _SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "definition", _SKOS + "note",
    _SKOS + "editorialNote", _SKOS + "scopeNote",
    str(ns.TS) + "claimText", str(ns.TS) + "timeText", str(ns.TS) + "termText",
    str(ns.TS) + "evidenceQuote", str(ns.TS) + "valueText",
    "https://schema.org/name", "http://xmlns.com/foaf/0.1/name", "http://purl.org/dc/terms/title",
))
STRING_FUNCTIONS = frozenset(f"Builtin_{n}" for n in (
    "CONTAINS", "STRSTARTS", "STRENDS", "REGEX", "LCASE", "UCASE", "SUBSTR", "STRBEFORE",
    "STRAFTER", "REPLACE", "STRLEN",
))


def _nodes(node: Any) -> Iterator[Any]:
    """Every CompValue/Expr in an algebra tree, depth first."""
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, (list, tuple, set)):
        for item in node:
            yield from _nodes(item)


# functions that read a literal's language tag or datatype, not its text
NOT_TEXT = frozenset(f"Builtin_{n}" for n in ("LANG", "LANGMATCHES", "DATATYPE", "isLITERAL", "BOUND"))


def _variables(node: Any) -> set[Variable]:
    if isinstance(node, Variable):
        return {node}
    found: set[Variable] = set()
    if isinstance(node, CompValue) and node.name in NOT_TEXT:
        return found
    if isinstance(node, CompValue):
        for value in node.values():
            found |= _variables(value)
    elif isinstance(node, (list, tuple, set)):
        for item in node:
            found |= _variables(item)
    return found


def _triples(node: CompValue) -> list[tuple[Any, Any, Any]]:
    return list(node.triples) if node.name == "BGP" else []


def _text_variables(algebra: Any) -> set[Variable]:
    """Variables bound as the object of a text property, and variables BIND-ed from them."""
    tainted: set[Variable] = set()
    for node in _nodes(algebra):
        for _s, p, o in _triples(node):
            if p in TEXT_PROPERTIES and isinstance(o, Variable):
                tainted.add(o)
    changed = True
    while changed:
        changed = False
        for node in _nodes(algebra):
            if node.name == "Extend" and node.var not in tainted and _variables(node.expr) & tainted:
                tainted.add(node.var)
                changed = True
    return tainted


def _is_literal_side(node: Any) -> bool:
    return isinstance(node, Literal) or (isinstance(node, list) and any(isinstance(i, Literal) for i in node))


def violations(text: str) -> list[str]:
    """What in a SPARQL query matches English text: one line per offending expression, plus
    triple patterns that put a literal in the object of a text property."""
    algebra = prepareQuery(text).algebra
    tainted = _text_variables(algebra)
    found: list[str] = []
    for node in _nodes(algebra):
        for _s, p, o in _triples(node):
            if p in TEXT_PROPERTIES and isinstance(o, Literal):
                found.append(f"triple pattern matches the text {o!r}")
        if not isinstance(node, Expr):
            continue
        if node.name in STRING_FUNCTIONS and _variables(node) & tainted:
            found.append(f"{node.name[8:]} on {sorted(_variables(node) & tainted)}")
        elif node.name == "RelationalExpression":
            sides = (node.expr, node.other)
            if any(_variables(x) & tainted for x in sides) and any(_is_literal_side(x) for x in sides):
                found.append(f"comparison of {sorted(_variables(node) & tainted)} with a literal")
    return found


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_question_uses_no_string_matching(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if WORDING_MARK in text:
        pytest.skip("marked as a question about wording")
    assert violations(text) == [], f"{path.name} finds facts by matching English text"


PLANTED = {
    "contains-on-claim-text": """PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?c WHERE { ?c ts:claimText ?t . FILTER(CONTAINS(LCASE(STR(?t)), "allies")) } ORDER BY ?c""",
    "regex-on-label": """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?e WHERE { ?e rdfs:label ?l . FILTER(REGEX(?l, "Guard")) } ORDER BY ?e""",
    "contains-on-quote-via-bind": """PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?c WHERE { ?c ts:evidenceQuote ?q . BIND(LCASE(?q) AS ?lq)
        FILTER(STRSTARTS(?lq, "we are")) } ORDER BY ?c""",
    "equality-on-time-text": """PREFIX ts: <https://w3id.org/tajsec/onto/>
        SELECT ?c WHERE { ?c ts:timeText ?t . FILTER(STR(?t) = "in the past") } ORDER BY ?c""",
    "literal-label-in-pattern": """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?e WHERE { ?e skos:altLabel "DCA"@en } ORDER BY ?e""",
    "in-optional-and-union": """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?e WHERE { { ?e a ?t } UNION { OPTIONAL { ?e skos:editorialNote ?n }
        FILTER(CONTAINS(?n, "footnote")) } } ORDER BY ?e""",
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_planted_violation_is_caught(name: str) -> None:
    assert violations(PLANTED[name]), f"{name} was not caught"


def test_string_functions_on_other_values_are_allowed() -> None:
    # dates, IRIs and language tags are not English text
    ok = """PREFIX schema: <https://schema.org/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?e WHERE { ?e schema:startDate ?d ; rdfs:label ?l .
        FILTER(STRSTARTS(STR(?d), "2004")) FILTER(LANGMATCHES(LANG(?l), "en"))
        FILTER(CONTAINS(STR(?e), "/id/")) } ORDER BY ?e"""
    assert violations(ok) == []
