"""`tajsec check`: parse, OWL reasoning, SHACL, quality checks, competency questions.

Stages run in order; a stage that cannot run (a parse error, HermiT failing) stops the run with
status ERROR (exit 2), and so does finding no quality checks or no competency questions to run
(the other stages still report). Findings in any stage give status FINDINGS (exit 1).
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tajsec.core.errors import LoadError
from tajsec.core.namespaces import ONTOLOGY_GRAPH_BASE
from tajsec.core.project import Project
from tajsec.graph.build import Built, build
from tajsec.sparql import queries

OK, FINDINGS, ERROR = 0, 1, 2
ONTOLOGY_GRAPH = ONTOLOGY_GRAPH_BASE


class Detail(Protocol):
    """One item a stage lists: a line for the text report, a JSON value for --format json."""

    def describe(self) -> str: ...

    def as_json(self) -> object: ...


@dataclass(frozen=True)
class Note:
    """A line of text: an error, an unsatisfiable class."""
    text: str

    def describe(self) -> str:
        return self.text

    def as_json(self) -> str:
        return self.text


@dataclass(frozen=True)
class Clash:
    """A row of the OWL 2 RL consistency rules (rule, entity, value)."""
    row: dict

    def describe(self) -> str:
        return str(self.row)

    def as_json(self) -> dict:
        return self.row


@dataclass(frozen=True)
class CheckRow:
    """A row returned by a quality check: each row is a finding."""
    check: str
    row: dict

    def describe(self) -> str:
        return f"{self.check}: " + ", ".join(f"{k}={v}" for k, v in self.row.items())

    def as_json(self) -> dict:
        return {"check": self.check, "row": self.row}


@dataclass(frozen=True)
class QuestionOutcome:
    question: str
    ok: bool
    problems: list[str]

    def describe(self) -> str:
        return f"{self.question}: " + "; ".join(self.problems[:3])

    def as_json(self) -> dict:
        return {"question": self.question, "ok": self.ok, "problems": self.problems}


@dataclass
class Stage:
    name: str
    ok: bool
    summary: str
    details: Sequence[Detail] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class CheckReport:
    stages: list[Stage] = field(default_factory=list)
    status: int = OK

    def add(self, stage: Stage) -> None:
        self.stages.append(stage)
        if not stage.ok and self.status == OK:
            self.status = FINDINGS

    def cannot_run(self, stage: Stage) -> None:
        """A stage that could not do its work (an input missing or unreadable): status ERROR."""
        self.stages.append(stage)
        self.status = ERROR

    def as_dict(self) -> dict:
        return {"status": ["ok", "findings", "error"][self.status],
                "stages": [{"name": s.name, "ok": s.ok, "summary": s.summary,
                            "seconds": round(s.seconds, 3), "details": [d.as_json() for d in s.details]}
                           for s in self.stages]}


def shacl_stage(results: Sequence, threshold: str = "Violation", seconds: float = 0.0) -> Stage:
    """The shacl stage of SHACL `results`: "conforms" exactly when there are none (sh:conforms,
    whatever their severity); the stage fails when one is at or above `threshold`."""
    from tajsec.shacl.result import SEVERITIES

    floor = SEVERITIES.index(threshold)
    counts: dict[str, int] = {}
    for res in results:
        counts[res.severity_name] = counts.get(res.severity_name, 0) + 1
    failing = [r for r in results if SEVERITIES.index(r.severity_name) >= floor]
    summary = ("conforms" if not results else "does not conform") + ": " + ", ".join(
        f"{counts.get(k, 0)} {k.lower()}s" for k in ("Violation", "Warning", "Info"))
    if results:
        summary += f"; {'fails' if failing else 'passes'} at threshold {threshold.lower()}"
    return Stage("shacl", not failing, summary, list(results), seconds)


def run_checks(built: Built, project: Project) -> list[CheckRow]:
    findings = []
    for path in project.check_queries:
        qf = queries.QueryFile.read(path)
        res = queries.run(built.query, qf.text)
        for row in res.lexical_rows():
            findings.append(CheckRow(qf.name, dict(zip(res.variables, row, strict=True))))
    return findings


def run_questions(built: Built, project: Project) -> list[QuestionOutcome]:
    outcomes = []
    for path in project.question_queries:
        qf = queries.QueryFile.read(path)
        expected = project.question_expected(path)
        if not expected.is_file():
            outcomes.append(QuestionOutcome(qf.name, False, [f"no expected answer {expected}"]))
            continue
        res = queries.run(built.query, qf.text)
        problems = queries.compare(res, expected)
        outcomes.append(QuestionOutcome(qf.name, not problems, problems))
    return outcomes


def check(project: Project, use_cache: bool = True, threshold: str = "Violation") -> CheckReport:
    """Run the stages. `threshold` ("Violation", "Warning" or "Info"): the lowest severity of a
    SHACL result that fails the shacl stage (as `tajsec validate --severity`); any result at all
    makes the summary say "does not conform" (sh:conforms)."""
    from tajsec import shacl
    from tajsec.reason import hermit as reasoning

    report = CheckReport()
    t = time.perf_counter()
    literals: list = []   # as written, for SHACL (tajsec.shacl.terms)
    try:
        built = build(project, literals=literals)
    except LoadError as e:
        report.stages.append(Stage("parse", False, str(e), [Note(str(e))], time.perf_counter() - t))
        report.status = ERROR
        return report
    report.add(Stage("parse", True,
                     f"{len(built.files)} files, {built.asserted_triples} triples asserted, "
                     f"{built.derived_triples} derived", seconds=time.perf_counter() - t))

    t = time.perf_counter()
    nt = reasoning.reasoner_input(built.store, built.source_graphs)
    ontology_graphs = [g for g in built.source_graphs if g.value.startswith(ONTOLOGY_GRAPH)]
    key = reasoning.ontology_key(built.store, ontology_graphs)
    r = reasoning.run_hermit(nt, project.cache_dir if use_cache else None, key=key)
    if r.consistent is None:
        report.stages.append(Stage("owl", False, r.error or "HermiT failed", [Note(r.error or "HermiT failed")],
                                   time.perf_counter() - t))
        report.status = ERROR
        return report
    clashes = reasoning.rl_clashes(built, project.root / "queries" / "owlrl-clashes.rq")
    ok = r.consistent and not r.unsatisfiable and not clashes
    how = "HermiT, cached for this ontology" if r.cached else "HermiT"
    summary = (f"{'consistent' if r.consistent and not clashes else 'INCONSISTENT'}, "
               f"{len(r.unsatisfiable)} unsatisfiable classes ({how}; OWL 2 RL rules on the data: "
               f"{len(clashes)} clashes)")
    details = [Note(c) for c in r.unsatisfiable] + [Clash(c) for c in clashes]
    report.add(Stage("owl", ok, summary, details, time.perf_counter() - t))
    if not r.consistent or clashes:
        return report

    t = time.perf_counter()
    # SHACL-core shapes compiled to SPARQL over the store (tajsec/shacl/): the same results
    # as pySHACL (tests/test_fastshacl.py); a shape it cannot compile goes to pySHACL by itself
    results = shacl.validate(built.store, project.shape_files, as_parsed=literals)
    report.add(shacl_stage(results, threshold, time.perf_counter() - t))

    # An empty folder means an incomplete checkout or installation, not a clean graph: "0/0 pass"
    # would be an OK that checked nothing.
    t = time.perf_counter()
    n = len(project.check_queries)
    if n == 0:
        report.cannot_run(Stage("checks", False, _none_found("quality checks", project.root / "queries" / "checks")))
    else:
        findings = run_checks(built, project)
        failed = sorted({f.check for f in findings})
        report.add(Stage("checks", not findings, f"{n - len(failed)}/{n} pass", findings, time.perf_counter() - t))

    t = time.perf_counter()
    if not project.question_queries:
        report.cannot_run(Stage("questions", False, _none_found("competency questions", project.expected_dir)))
        return report
    outcomes = run_questions(built, project)
    good = sum(o.ok for o in outcomes)
    report.add(Stage("questions", good == len(outcomes),
                     f"{good}/{len(outcomes)} competency questions match their expected answers",
                     [o for o in outcomes if not o.ok], time.perf_counter() - t))
    return report


def _none_found(what: str, folder: Path) -> str:
    return f"no {what} found in {folder} (*.rq): the checkout or installation is incomplete"
