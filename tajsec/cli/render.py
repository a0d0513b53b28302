"""The text the commands print: check reports, query results, question runs, the example query
of the query page. Pure functions of their inputs, so each can be tested without a terminal."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tajsec.core.namespaces import shorten
from tajsec.core.project import Project
from tajsec.sparql import queries, results
from tajsec.sparql.results import Result

if TYPE_CHECKING:
    from tajsec.quality.check import CheckReport

SHOWN_DETAILS = 20
CELL_WIDTH = 70


def check_text(report: CheckReport, root: Path) -> str:
    """`tajsec check`'s text report: one line per stage, up to 20 details of each failing one."""
    lines = [f"tajsec check: {root}"]
    for s in report.stages:
        mark = "ok  " if s.ok else "FAIL"
        lines.append(f"  {mark} {s.name:<10} {s.summary}  ({s.seconds:.2f} s)")
        if not s.ok:
            lines += [f"         - {d.describe()}" for d in s.details[:SHOWN_DETAILS]]
            if len(s.details) > SHOWN_DETAILS:
                lines.append(f"         ... and {len(s.details) - SHOWN_DETAILS} more (--format json lists all)")
    lines.append("result: " + ["OK", "FINDINGS", "ERROR"][report.status])
    return "\n".join(lines) + "\n"


def result_text(res: Result, fmt: str, full: bool = False) -> str:
    """A SELECT result as `tajsec query --format` prints it: table (prefixed names; long values cut
    unless `full`), or one of the SPARQL results formats (csv, tsv, json, xml)."""
    if fmt == "table":
        if res.evidence is not None:
            from tajsec.evidence.render import table_with_evidence

            return table_with_evidence(res, None if full else CELL_WIDTH)
        text = results.to_table(res, shorten, None if full else CELL_WIDTH)
        cut = 0 if full else sum(1 for row in res.rows for t in row if t is not None and len(t.value) > CELL_WIDTH)
        if cut:
            text += (f"({cut} value{'s' if cut != 1 else ''} cut at {CELL_WIDTH} characters: --full shows them whole; "
                     "--format tsv or json for programs)\n")
        return text
    return results.WRITERS[fmt](res)


def question_run_text(qf: queries.QueryFile, res: Result, problems: list[str]) -> str:
    """One question of `tajsec questions --run`: the question, its answer, how it compares."""
    verdict = "   matches the expected answer" if not problems else "   DIFFERS: " + "; ".join(problems[:5])
    return f"== {qf.name}: {qf.question}\n{result_text(res, 'table')}{verdict}\n\n"


def example_query(project: Project) -> str:
    """The query the query page opens with: the first competency question, its PREFIX lines left
    out (the page declares every prefix)."""
    questions = project.question_queries
    if not questions:
        return ""
    text = queries.QueryFile.read(questions[0]).text
    return "\n".join(line for line in text.splitlines() if not line.upper().startswith("PREFIX")).strip()
