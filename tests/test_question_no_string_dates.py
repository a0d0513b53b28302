"""No competency question compares or orders dates as strings (issue 14): a variable bound to a
date (schema:startDate / endDate, a time:inXSD* value, ts:notBefore / ts:notAfter, ts:reportedOn)
is never passed to STR() or another string function. Dates are compared as values of their own
datatype (xsd:gYear with xsd:gYear, ...) or through the normalised xsd:dateTime bounds."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = sorted((ROOT / "queries" / "questions").glob("*.rq"))

_DATE_PROPERTY = (r"(?:schema:startDate|schema:endDate|time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear"
                  r"|time:inXSDDateTime|ts:notBefore|ts:notAfter|ts:reportedOn)")
# the object variable of a date property, also at the end of a path or an alternative: p ?v, .../p) ?v
_DATE_VARIABLE = re.compile(_DATE_PROPERTY + r"\)*\s+\?(\w+)")
_STRING_CALL = re.compile(r"\b(STR|STRSTARTS|STRENDS|SUBSTR|CONTAINS|STRLEN|REGEX|STRBEFORE|STRAFTER|LCASE|UCASE"
                          r"|REPLACE)\s*\(", re.I)


def _without_comments(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] if not line.lstrip().startswith("PREFIX") else line
                     for line in text.splitlines())


def _call_arguments(text: str, start: int) -> str:
    """The text between the parenthesis at start and its match."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    return text[start + 1:]


def string_functions_on_dates(text: str) -> list[str]:
    """'FUNCTION(?var)' for every string function applied to a date-valued variable."""
    body = _without_comments(text)
    dates = set(_DATE_VARIABLE.findall(body))
    found = []
    for m in _STRING_CALL.finditer(body):
        args = _call_arguments(body, m.end() - 1)
        for var in sorted(dates):
            if re.search(rf"\?{var}\b", args):
                found.append(f"{m.group(1).upper()}(?{var})")
    return found


def test_the_detector_finds_a_date_compared_as_a_string():
    bad = 'SELECT ?e WHERE { ?e schema:startDate ?date . FILTER(STRSTARTS(STR(?date), "2004")) } ORDER BY ?e'
    assert string_functions_on_dates(bad) == ["STRSTARTS(?date)", "STR(?date)"]
    path = ('SELECT ?s WHERE { ?t org:memberDuring/time:hasBeginning/(time:inXSDDate|time:inXSDgYear) ?start }'
            ' ORDER BY STR(?start)')
    assert string_functions_on_dates(path) == ["STR(?start)"]
    good = ('SELECT ?e WHERE { ?e schema:startDate ?date ; rdfs:label ?l . FILTER(?date = "2004"^^xsd:gYear) }'
            ' ORDER BY STR(?l)')
    assert string_functions_on_dates(good) == []


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_no_question_compares_dates_as_strings(path):
    assert string_functions_on_dates(path.read_text(encoding="utf-8")) == [], path.name
