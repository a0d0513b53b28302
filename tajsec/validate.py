"""`tajsec validate`: SHACL validation of our graph or of anyone's data written in our ontology,
with results located at the file and line where the offending subject is described."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from tajsec import fastshacl, shacl
from tajsec.build import build
from tajsec.project import Project
from tajsec.rdfio import format_for, to_rdflib

SEVERITIES = ["Info", "Warning", "Violation"]
SH = "http://www.w3.org/ns/shacl#"


@dataclass
class Finding:
    severity: str
    message: str
    focus: str
    path: str | None
    value: str | None
    shape: str | None
    component: str | None
    file: str | None = None
    line: int | None = None


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
        return not self.failing


def validate(project: Project, files: list[Path] | None = None, with_instances: bool = False,
             threshold: str = "Violation", engine: str = "fast", progress=None) -> ValidationOutcome:
    """Validate `files` (default: our instances) with the ontology and our shapes. Raises
    rdfio.LoadError for unreadable or malformed input."""
    foreign = list(files) if files else []
    data_files = foreign or project.instance_files
    if files and with_instances:
        data_files = project.instance_files + data_files
    texts: dict[str, str] = {}  # each file's text, as the loader read it: no file is opened twice
    built = build(project, project.ontology_files + [f for f in data_files if f not in foreign], foreign=foreign,
                  progress=progress, texts=texts)
    if engine == "pyshacl":  # the reference engine, slower; same results (tests/test_fastshacl.py)
        results = shacl.validate(to_rdflib(built.store), shacl.load_shapes(project.shape_files)).results
    else:
        results = fastshacl.validate(built.store, project.shape_files)
    lines = {}
    for f in data_files:
        lines[str(f)] = subject_lines(f, texts.get(str(f)))
    subject_files, object_files = _where_described(built)
    outcome = ValidationOutcome(files=[str(f) for f in data_files], threshold=threshold,
                                load_warnings=[str(w) for w in built.warnings])
    for r in results:
        sev = (r["severity"] or SH + "Violation").rsplit("#", 1)[-1]
        finding = Finding(sev, r["message"] or "", r["focusNode"], r["resultPath"], r["value"],
                          r["sourceShape"], r["sourceConstraintComponent"])
        for f in subject_files.get(finding.focus, []):
            if str(f) in lines:
                finding.file = str(f)
                finding.line = lines[str(f)].get(finding.focus)
                break
        else:
            # a node that no input describes (say, an untyped target): point at its first use
            for f in object_files.get(finding.focus, []):
                if str(f) in lines:
                    finding.file = str(f)
                    finding.line = first_mention(f, finding.focus, texts.get(str(f)))
                    break
        outcome.findings.append(finding)
    outcome.findings.sort(key=lambda f: (f.file or "~", f.line or 0, f.focus, f.shape or ""))
    return outcome


def _where_described(built) -> tuple[dict[str, list[Path]], dict[str, list[Path]]]:
    """For each node, the input files in which it is a subject, and those in which it is used
    as an object."""
    subjects: dict[str, list[Path]] = {}
    objects: dict[str, list[Path]] = {}
    for q in built.store.quads_for_pattern(None, None, None, None):
        path = built.graphs.get(getattr(q.graph_name, "value", ""))
        if path is None:
            continue
        for node, table in ((q.subject, subjects), (q.object, objects)):
            if isinstance(node, ox.Literal):
                continue
            files = table.setdefault(node.value, [])
            if path not in files:
                files.append(path)
    return subjects, objects


def first_mention(path: Path, iri: str, text: str | None = None) -> int | None:
    """The first line of `path` (whose `text` may be given) that names `iri`, in full or as a prefixed name."""
    if text is None:
        text = path.read_text(encoding="utf-8", errors="replace")
    prefixes = {m.group(1): m.group(2) for m in map(_PREFIX.match, text.splitlines()) if m}
    forms = [f"<{iri}>"] + [f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items() if iri.startswith(ns)]
    for n, line in enumerate(text.splitlines(), start=1):
        if _PREFIX.match(line):
            continue
        for form in forms:
            i = line.find(form)
            if i >= 0 and (i + len(form) == len(line) or not (line[i + len(form)].isalnum() or line[i + len(form)] in "-_")):
                return n
    return None


_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([\w.-]*):\s*<([^>]*)>", re.I)
_SUBJECT = re.compile(r"^(<[^>\s]*>|[\w.-]*:[^\s;,]*|_:\S+)")


def subject_lines(path: Path, text: str | None = None) -> dict[str, int]:
    """First line on which each subject IRI starts a description in `path` (whose `text` may be given)."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return {}
    fmt = path.suffix.lower()
    found: dict[str, int] = {}
    if fmt in (".ttl", ".trig", ".nt", ".nq"):
        prefixes: dict[str, str] = {}
        for n, line in enumerate(text.splitlines(), start=1):
            m = _PREFIX.match(line)
            if m:
                prefixes[m.group(1)] = m.group(2)
                continue
            if not line or line[0].isspace() or line.startswith("#"):
                # TriG: subjects inside a graph block are indented
                if fmt != ".trig" or not line.strip() or line.strip().startswith("#"):
                    continue
                line = line.strip()
            m = _SUBJECT.match(line)
            if not m:
                continue
            tok = m.group(1)
            if tok.startswith("<"):
                iri = tok[1:-1]
            elif tok.startswith("_:"):
                continue
            else:
                p, local = tok.split(":", 1)
                if p not in prefixes:
                    continue
                iri = prefixes[p] + local.replace("\\", "")
            found.setdefault(iri, n)
        return found
    # JSON-LD and RDF/XML: the first line that mentions the IRI
    return _LazyMentions(text)


class _LazyMentions(dict):
    def __init__(self, text: str):
        super().__init__()
        self._lines = text.splitlines()

    def get(self, iri, default=None):
        for n, line in enumerate(self._lines, start=1):
            if iri in line:
                return n
        return default


def short(iri: str | None) -> str:
    from tajsec.namespaces import shorten

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
    out.append(f"{len(outcome.files)} data files: "
               + ", ".join(f"{counts[s]} {s.lower()}s" for s in reversed(SEVERITIES))
               + f"; {'conforms' if not n_fail else 'does not conform'} at threshold {outcome.threshold.lower()}")
    return "\n".join(out) + "\n"


def as_json(outcome: ValidationOutcome) -> str:
    return json.dumps({
        "conforms": outcome.conforms, "threshold": outcome.threshold, "files": outcome.files,
        "results": [f.__dict__ for f in outcome.findings],
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
