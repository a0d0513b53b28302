"""`tajsec validate`: SHACL validation of our graph or of anyone's data written in our ontology,
with results located at the file and line where the offending subject is described."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from tajsec import shacl
from tajsec.build import build
from tajsec.namespaces import shorten
from tajsec.project import Project
from tajsec.rdfio import format_for, to_rdflib
from tajsec.shacl import reference
from tajsec.shacl.engine import parsed_files
from tajsec.shacl.locate import Finding, locate
from tajsec.shacl.result import SEVERITIES


@dataclass
class ValidationOutcome:
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    threshold: str = "Violation"
    load_warnings: list[str] = field(default_factory=list)

    @property
    def failing(self) -> list[Finding]:
        floor = SEVERITIES.index(self.threshold)
        return [f for f in self.findings if SEVERITIES.index(f.severity) >= floor]

    @property
    def conforms(self) -> bool:
        """sh:conforms: no results at all, whatever their severity."""
        return not self.findings

    @property
    def passes(self) -> bool:
        """No result at or above the threshold (--severity): what the exit code says."""
        return not self.failing


def validate(project: Project, files: list[Path] | None = None, with_instances: bool = False,
             threshold: str = "Violation", engine: str = "fast", progress=None,
             shapes: list[Path] | None = None) -> ValidationOutcome:
    """Validate `files` (default: our instances) with the ontology and our shapes. With `shapes`
    (anyone's shapes files, in any RDF format the loader reads) and `files`, those files alone
    are validated against those shapes: no ontology of ours, no derived triples. Raises
    rdfio.LoadError for unreadable or malformed input."""
    shape_files = list(shapes) if shapes else project.shape_files
    foreign = list(files) if files else []
    data_files = foreign or project.instance_files
    if files and with_instances:
        data_files = project.instance_files + data_files
    if shapes and foreign and not with_instances:
        built = build(project, [], derive=False, foreign=foreign, progress=progress)
    else:
        built = build(project, project.ontology_files + [f for f in data_files if f not in foreign],
                      foreign=foreign, progress=progress)
    if engine == "pyshacl":  # the reference engine, slower; same results (tests/test_fastshacl.py)
        results = reference.validate(to_rdflib(built.store), reference.load_shapes(shape_files)).results
    else:
        # literals checked and reported as the files wrote them (tajsec.shacl.terms)
        results = shacl.validate(built.store, shape_files, as_parsed=parsed_files(data_files))
    return ValidationOutcome(locate(results, built, data_files), [str(f) for f in data_files], threshold,
                             [str(w) for w in built.warnings])


def short(iri: str | None) -> str:
    return "" if iri is None else shorten(iri)


def as_text(outcome: ValidationOutcome) -> str:
    out = []
    current = object()
    for f in outcome.findings:
        if f.file != current:
            current = f.file
            out.append(f"{f.file or '(not located in an input file)'}")
        where = f"{f.file}:{f.line}" if f.file and f.line else (f.file or "")
        detail = f"focus {short(f.focus)}"
        if f.path:
            detail += f", path {short(f.path)}"
        if f.value:
            detail += f", value {short(f.value)}"
        out.append(f"  {where}: {f.severity.lower()}: {f.message} [{short(f.shape)}; {detail}]")
    n_fail = len(outcome.failing)
    counts = {s: sum(1 for f in outcome.findings if f.severity == s) for s in SEVERITIES}
    verdict = "conforms" if outcome.conforms else "does not conform"
    out.append(f"{len(outcome.files)} data files: "
               + ", ".join(f"{counts[s]} {s.lower()}s" for s in reversed(SEVERITIES))
               + f"; {verdict}; {'passes' if not n_fail else 'fails'} at threshold {outcome.threshold.lower()}")
    return "\n".join(out) + "\n"


def as_json(outcome: ValidationOutcome) -> str:
    return json.dumps({
        "conforms": outcome.conforms, "passes": outcome.passes, "threshold": outcome.threshold,
        "files": outcome.files,
        "results": [f.as_dict() for f in outcome.findings],
    }, indent=2, ensure_ascii=False) + "\n"


def as_github(outcome: ValidationOutcome) -> str:
    """GitHub Actions workflow commands, one annotation per result."""
    level = {"Violation": "error", "Warning": "warning", "Info": "notice"}

    def esc(s: str) -> str:
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(s: str) -> str:
        return esc(s).replace(":", "%3A").replace(",", "%2C")

    lines = []
    for f in outcome.findings:
        props = []
        if f.file:
            props.append(f"file={prop(f.file)}")
            if f.line:
                props.append(f"line={f.line}")
        props.append(f"title={prop(short(f.shape) or 'SHACL')}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{esc(f.message + ' (' + short(f.focus) + ')')}")
    return "\n".join(lines) + ("\n" if lines else "")


def as_junit(outcome: ValidationOutcome) -> str:
    """JUnit XML: one test suite per data file, one failing test case per result, and one
    passing case for a file without results."""
    by_file: dict[str, list[Finding]] = {f: [] for f in outcome.files}
    for f in outcome.findings:
        by_file.setdefault(f.file or "(unlocated)", []).append(f)
    failures_total = len(outcome.failing)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuites name="tajsec validate" tests="{max(len(outcome.findings), 1)}" failures="{failures_total}">']
    floor = SEVERITIES.index(outcome.threshold)
    for file, findings in by_file.items():
        fails = [f for f in findings if SEVERITIES.index(f.severity) >= floor]
        parts.append(f'  <testsuite name={quoteattr(file)} tests="{max(len(findings), 1)}" failures="{len(fails)}">')
        if not findings:
            parts.append(f'    <testcase classname={quoteattr(file)} name="conforms"/>')
        for f in findings:
            name = f"{short(f.shape)} {short(f.focus)}"
            parts.append(f'    <testcase classname={quoteattr(file)} name={quoteattr(name)}>')
            body = escape(f"{f.file}:{f.line}: {f.message} (focus {f.focus}, path {f.path}, value {f.value})")
            tag = "failure" if SEVERITIES.index(f.severity) >= floor else "system-out"
            if tag == "failure":
                parts.append(f'      <failure type={quoteattr(f.severity)} message={quoteattr(f.message)}>{body}</failure>')
            else:
                parts.append(f"      <system-out>{body}</system-out>")
            parts.append("    </testcase>")
        parts.append("  </testsuite>")
    parts.append("</testsuites>")
    return "\n".join(parts) + "\n"


FORMATTERS = {"text": as_text, "json": as_json, "junit": as_junit, "github": as_github}


def check_inputs(files: list[Path]) -> None:
    for f in files:
        format_for(f)  # raises LoadError for an unknown extension
