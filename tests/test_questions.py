"""Competency questions: each one answers what the paper says (expected answers in
queries/questions/<name>.csv, beside each question, were worked out by reading the paper)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tajsec.sparql import queries

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = sorted((ROOT / "queries" / "questions").glob("*.rq"))
EXPECTED = sorted(p for p in (ROOT / "queries" / "questions").glob("*.csv")
                  if not p.name.endswith(".evidence.csv"))  # NAME.evidence.csv: see tests/test_evidence.py
PART_1 = ("framework-", "agencies-", "drugs-", "terrorism-")
PART_2 = ("russia-", "newplayers-", "realignment-")


def test_question_counts():
    # at least 30 questions per part of the paper, plus the provenance questions
    assert len([q for q in QUESTIONS if q.stem.startswith(PART_1)]) >= 30
    assert len([q for q in QUESTIONS if q.stem.startswith(PART_2)]) >= 30


def test_every_question_has_an_expected_answer_and_vice_versa():
    assert {q.stem for q in QUESTIONS} == {e.stem for e in EXPECTED}


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_question_header(path):
    qf = queries.QueryFile.read(path)
    assert qf.text.startswith("# # "), "the first line is a Markdown title '# # ...'"
    assert "**Question:**" in qf.header
    assert "**Expected:**" in qf.header
    assert re.search(r"ORDER BY", qf.text, re.I), "every question ends in ORDER BY"


@pytest.mark.parametrize("path", QUESTIONS, ids=lambda p: p.stem)
def test_question_answer(built, path):
    qf = queries.QueryFile.read(path)
    res = queries.run(built.query, qf.text)
    problems = queries.compare(res, path.with_suffix(".csv"))
    assert not problems, "\n".join(problems)
