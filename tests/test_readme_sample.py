"""The README's sample of `make run` (`tajsec check`) shows the graph as it is: its file, triple,
check and question counts are the ones a run prints today (timings aside)."""
from __future__ import annotations

import re

from conftest import ROOT


def _sample() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("tajsec check: /path/to/tajsec")
    return text[start:text.index("```", start)]


def test_the_make_run_sample_has_today_s_counts(project, built):
    sample = _sample()
    parse = re.search(r"ok   parse      (\d+) files, (\d+) triples asserted, (\d+) derived", sample)
    assert parse, sample
    assert [int(x) for x in parse.groups()] == [len(built.files), built.asserted_triples, built.derived_triples]
    checks = len(project.check_queries)
    assert f"ok   checks     {checks}/{checks} pass" in sample
    questions = len(project.question_queries)
    assert f"ok   questions  {questions}/{questions} competency questions match" in sample
