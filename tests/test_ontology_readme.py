"""Every modelling pattern in ontology/README.md is run against the built graph and must return
the values its 'Expected:' line gives in backticks."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import select

README = Path(__file__).resolve().parent.parent / "ontology" / "README.md"
BLOCK = re.compile(r"```sparql\n(.*?)```\s*\nExpected:(.*?)(?:\n\n|\Z)", re.S)
PATTERNS = BLOCK.findall(README.read_text(encoding="utf-8"))
# values in the Expected line that name notation, not answers
NOT_VALUES = {"xsd:gYearMonth", "@ru"}


def test_patterns_collected():
    assert len(PATTERNS) == 31  # 9 + issue 13b (3), 13c (3), 13a (7), 13d (2), 14a (6), s5 data (1)


@pytest.mark.parametrize("sparql,expected", PATTERNS, ids=lambda v: v.splitlines()[0] if "\n" in v else "")
def test_pattern(built, sparql, expected):
    rows = select(built, sparql)
    assert rows, "the pattern's query returned nothing"
    values = {v for row in rows for v in row if v is not None}
    wanted = [v for v in re.findall(r"`([^`]+)`", expected) if v not in NOT_VALUES]
    assert wanted, "the Expected line names at least one value in backticks"
    for w in wanted:
        assert w in values, f"{w} not in {sorted(values)}"
