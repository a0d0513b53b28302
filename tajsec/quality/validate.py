"""`tajsec validate`: SHACL validation of our graph or of anyone's data written in our ontology,
with results located at the file and line where the offending subject is described."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tajsec.graph.build import Built
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from tajsec import shacl
from tajsec.core.namespaces import shorten
from tajsec.core.project import Project
from tajsec.graph.build import build
from tajsec.graph.cache import BuildCache, cached_build, changed_subjects, standing
from tajsec.io.load import LoadWarning, format_for
from tajsec.quality import incremental
from tajsec.shacl.engine import validate_with_pyshacl
from tajsec.shacl.locate import Finding, locate
from tajsec.shacl.reach import reach
from tajsec.shacl.result import SEVERITIES


@dataclass
class ValidationOutcome:
    """SHACL findings and the loader's warnings (ill-typed literals, JSON-LD that would be
    dropped, a byte-order mark): both are results with a severity, counted and shown in every
    output format, and both fail the run at `--severity warning`."""
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    threshold: str = "Violation"
    load_warnings: list[LoadWarning] = field(default_factory=list)
    incremental: str | None = None   # what an incremental run covered (None: a full run)
    covered: set | None = None       # the focus nodes an incremental run reports on (None: all)

    def _at_threshold(self, severity: str) -> bool:
        return SEVERITIES.index(severity) >= SEVERITIES.index(self.threshold)

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if self._at_threshold(f.severity)]

    @property
    def failing_load_warnings(self) -> list[LoadWarning]:
        return self.load_warnings if self._at_threshold("Warning") else []

    @property
    def conforms(self) -> bool:
        """sh:conforms: no results at all, whatever their severity (loader warnings included)."""
        return not self.findings and not self.load_warnings

    @property
    def passes(self) -> bool:
        """No result at or above the threshold (--severity): what the exit code says."""
        return not self.failing and not self.failing_load_warnings

    def count(self, severity: str) -> int:
        return (sum(1 for f in self.findings if f.severity == severity)
                + (len(self.load_warnings) if severity == "Warning" else 0))


def validate(project: Project, files: list[Path] | None = None, with_instances: bool = False,
             threshold: str = "Violation", engine: str = "fast", progress: Callable[[Path], object] | None = None,
             shapes: list[Path] | None = None, changed: dict[Path, list[bytes]] | None = None,
             cache: Path | None = None, keep: list | None = None) -> ValidationOutcome:
    """Validate `files` (default: our instances) with the ontology and our shapes. With `shapes`
    (anyone's shapes files, in any RDF format the loader reads) and `files`, those files alone
    are validated against those shapes: no ontology of ours, no derived triples. With `changed`
    (data files edited, each with its texts after and, when known, before the edit): only the
    results of the focus nodes those edits can affect (tajsec.quality.incremental), identical
    to the full run's results for those nodes. With `cache` (a folder), each file's graph is
    taken from the build cache there when it holds the file's content (tajsec.graph.cache), and
    written there when not: same results, less parsing. `keep`, if given, receives the Built
    validated, so that the caller decides when its store is freed (see tajsec.cli.validate).
    Raises LoadError for unreadable or malformed input."""
    shape_files = list(shapes) if shapes else project.shape_files
    foreign = list(files) if files else []
    data_files = foreign or project.instance_files
    if files and with_instances:
        data_files = project.instance_files + data_files
    texts: dict = {}  # each file's text as the loader kept it (tajsec.io.load.text_of): no file is opened twice
    ours = [] if shapes and foreign and not with_instances else project.ontology_files
    inputs = ours + [f for f in data_files if f not in foreign]
    build_cache = None if cache is None or engine != "fast" else BuildCache(cache)
    # the literals as the files wrote them, with the blank nodes of the store (tajsec.shacl.terms)
    literals: list[ox.Quad] = []
    session = _from_standing(project, inputs, foreign, shape_files, changed, build_cache, texts) \
        if build_cache is not None and ours else None
    try:
        if session is not None and session.built is not None:
            built = session.built
        elif build_cache is None:
            built = build(project, inputs, derive=bool(ours), foreign=foreign, progress=progress, texts=texts,
                          literals=literals, record=False)
        else:
            built = cached_build(project, inputs, build_cache, derive=bool(ours), foreign=foreign,
                                 progress=progress, texts=texts)
        outcome = _validate_built(built, changed, data_files, shape_files, ours, build_cache, session, literals,
                                  texts, engine, threshold)
    finally:
        if session is not None:
            session.close()
    if build_cache is not None and ours and session is None:
        standing.save(project, built, build_cache, inputs, foreign)
    if keep is not None:
        keep.append(built)
    return outcome


def _validate_built(built: Built, changed: dict[Path, list[bytes]] | None, data_files: list[Path],
                    shape_files: list[Path], ours: list[Path], build_cache: BuildCache | None,
                    session: standing.Session | None, literals: list[ox.Quad], texts: dict[str, str], engine: str,
                    threshold: str) -> ValidationOutcome:
    plan, note = (_incremental_plan(built, changed, data_files, shape_files, ours, build_cache, session)
                  if changed is not None else (None, None))
    store = built.store if plan is None else plan.store
    # literals checked and reported as the files wrote them (tajsec.shacl.terms)
    # (an incremental run: only from the files that describe a node of its part)
    written: list = literals if build_cache is None else build_cache.typed_literals(
        data_files, None if plan is None else plan.needed, None if plan is None else
        {str(built.graphs[g.value]) for g in plan.store.named_graphs() if g.value in built.graphs})
    if plan is not None:
        written = [q for q in written if q.subject in plan.needed]
    if engine == "pyshacl":  # the reference engine, slower; same results (tests/test_fastshacl.py)
        results = validate_with_pyshacl(store, shape_files, as_parsed=written)
    else:
        results = shacl.validate(store, shape_files, as_parsed=written)
    if plan is not None:
        results = [r for r in results if r.focus in plan.affected]
    if build_cache is not None:
        build_cache.prune()
    return ValidationOutcome(locate(results, built, data_files, texts), [str(f) for f in data_files], threshold,
                             list(built.warnings), note, None if plan is None else plan.affected)


def _from_standing(project: Project, inputs: list[Path], foreign: list[Path], shape_files: list[Path],
                   changed: dict[Path, list[bytes]] | None, cache: BuildCache,
                   texts: dict[str, str]) -> standing.Session | None:
    """An incremental run's build from the standing store (tajsec.graph.cache.standing); None: build
    in memory."""
    if changed is None or {f.resolve() for f in shape_files} & {f.resolve() for f in changed}:
        return None
    given = {f.resolve() for f in inputs + foreign}
    return standing.open_session(project, inputs, cache, foreign,
                                 {f: t for f, t in changed.items() if f.resolve() in given}, texts)


def _incremental_plan(built: Built, changed: dict[Path, list[bytes]], data_files: list[Path], shape_files: list[Path],
                      ontology: list[Path], cache: BuildCache | None = None,
                      session: standing.Session | None = None) -> tuple[incremental.Plan | None, str]:
    """The part of the store an incremental run validates (None: all of it), and a note saying
    so. With a `session` on the standing store, the edits' triples and the subjects whose
    derived triples they changed are known (else worked out from the build cache, when it can)."""
    derived = None if session is None else session.derived
    schema = {f.resolve() for f in list(shape_files) + list(ontology)}
    if any(f.resolve() in schema for f in changed):
        return None, "full run: shapes or ontology changed"
    ours = {f.resolve() for f in data_files}
    edits = {f: texts for f, texts in changed.items() if f.resolve() in ours}
    graphs = {g for g, f in built.graphs.items() if f in ontology}
    from_standing = derived is not None
    if derived is None:
        derived = _derived_changes(cache, edits, ontology)
    plan = incremental.plan(built.store, edits, reach(shape_files), graphs, derived,
                            None if session is None else session.asserted)
    if plan is None:
        return None, "full run: the changes reach beyond what incremental validation follows"
    return plan, (f"incremental: {len(edits)} changed file(s), "
                  f"{sum(1 for n in plan.affected if not isinstance(n, ox.Literal))} affected node(s)"
                  + ("" if derived is None else ", derived changes from the "
                     + ("standing store" if from_standing else "build cache")))


def _derived_changes(cache: BuildCache | None, edits: dict[Path, list[bytes]], ontology: list[Path]) -> set | None:
    """The subjects whose derived triples the edits changed: this run's conclusions against
    those of the same inputs before the edits, if the build cache holds them (None: unknown)."""
    if cache is None or not ontology or any(len(texts) != 2 for texts in edits.values()):
        return None
    before = cache.conclusions_of(cache.state({f: texts[0] for f, texts in edits.items()}))
    return None if before is None else changed_subjects(before, cache.conclusions)


def short(iri: str | None) -> str:
    return "" if iri is None else visible(shorten(iri))


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str | None) -> str:
    """`text` with control characters (terminal escape sequences, bells, NULs, newlines in a
    value) written as \\xNN, so data can neither drive a terminal nor break a line-based or XML
    format. Newlines and tabs become \\n and \\t."""
    if text is None:
        return ""
    text = text.replace("\n", "\\n").replace("\t", "\\t")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _where(file: str | None, line: int | None) -> str:
    return visible(f"{file}:{line}" if file and line else (file or ""))


def as_text(outcome: ValidationOutcome) -> str:
    out = []
    for w in outcome.load_warnings:
        out.append(f"  {_where(w.path, w.line)}: warning: {visible(w.message)} [loader]")
    current = object()
    for f in outcome.findings:
        if f.file != current:
            current = f.file
            out.append(visible(f.file or "(not located in an input file)"))
        detail = f"focus {short(f.focus)}"
        if f.path:
            detail += f", path {short(f.path)}"
        if f.value:
            detail += f", value {short(f.value)}"
        out.append(f"  {_where(f.file, f.line)}: {f.severity.lower()}: {visible(f.message)} "
                   f"[{short(f.shape)}; {detail}]")
    out.append(f"{len(outcome.files)} data files: "
               + ", ".join(f"{outcome.count(s)} {s.lower()}s" for s in reversed(SEVERITIES))
               + f"; {_verdict(outcome)} at threshold {outcome.threshold.lower()}"
               + (f" ({outcome.incremental})" if outcome.incremental else ""))
    return "\n".join(out) + "\n"


def _verdict(outcome: ValidationOutcome) -> str:
    if outcome.conforms:
        return "conforms"
    return "does not conform; " + ("passes" if outcome.passes else "fails")


def _load_warning_dict(w: LoadWarning) -> dict:
    return {"severity": "Warning", "source": "loader", "message": w.message, "file": w.path, "line": w.line}


def as_json(outcome: ValidationOutcome) -> str:
    return json.dumps({
        "conforms": outcome.conforms, "passes": outcome.passes, "threshold": outcome.threshold,
        "files": outcome.files, **({"incremental": outcome.incremental} if outcome.incremental else {}),
        "results": [_load_warning_dict(w) for w in outcome.load_warnings] + [f.as_dict() for f in outcome.findings],
    }, indent=2, ensure_ascii=False) + "\n"


def as_github(outcome: ValidationOutcome) -> str:
    """GitHub Actions workflow commands, one annotation per result."""
    level = {"Violation": "error", "Warning": "warning", "Info": "notice"}

    def esc(s: str) -> str:
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(s: str) -> str:
        return esc(s).replace(":", "%3A").replace(",", "%2C")

    lines = []
    for w in outcome.load_warnings:
        props = [f"file={prop(w.path)}"] + ([f"line={w.line}"] if w.line else []) + ["title=tajsec loader"]
        lines.append(f"::warning {','.join(props)}::{esc(w.message)}")
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
    failures_total = len(outcome.failing) + len(outcome.failing_load_warnings)
    total = len(outcome.findings) + len(outcome.load_warnings)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<testsuites name="tajsec validate" tests="{max(total, 1)}" failures="{failures_total}">']
    floor = SEVERITIES.index(outcome.threshold)
    if outcome.load_warnings:
        tag = "failure" if outcome.failing_load_warnings else "system-out"
        parts.append(f'  <testsuite name="loader" tests="{len(outcome.load_warnings)}" '
                     f'failures="{len(outcome.failing_load_warnings)}">')
        for w in outcome.load_warnings:
            where = _xml(f"{w.path}:{w.line}" if w.line else w.path)
            parts.append(f'    <testcase classname={quoteattr(_xml(w.path))} name={quoteattr("loader " + where)}>')
            if tag == "failure":
                parts.append(f'      <failure type="Warning" message={quoteattr(_xml(w.message))}>'
                             f'{escape(_xml(where + ": " + w.message))}</failure>')
            else:
                parts.append(f"      <system-out>{escape(_xml(where + ': ' + w.message))}</system-out>")
            parts.append("    </testcase>")
        parts.append("  </testsuite>")
    for file, findings in by_file.items():
        fails = [f for f in findings if SEVERITIES.index(f.severity) >= floor]
        parts.append(f'  <testsuite name={quoteattr(_xml(file))} tests="{max(len(findings), 1)}" '
                     f'failures="{len(fails)}">')
        if not findings:
            parts.append(f'    <testcase classname={quoteattr(_xml(file))} name="conforms"/>')
        for f in findings:
            name = _xml(f"{short(f.shape)} {short(f.focus)}")
            parts.append(f'    <testcase classname={quoteattr(_xml(file))} name={quoteattr(name)}>')
            body = escape(_xml(f"{f.file}:{f.line}: {f.message} (focus {f.focus}, path {f.path}, value {f.value})"))
            tag = "failure" if SEVERITIES.index(f.severity) >= floor else "system-out"
            if tag == "failure":
                parts.append(f'      <failure type={quoteattr(f.severity)} message={quoteattr(_xml(f.message))}>'
                             f'{body}</failure>')
            else:
                parts.append(f"      <system-out>{body}</system-out>")
            parts.append("    </testcase>")
        parts.append("  </testsuite>")
    parts.append("</testsuites>")
    return "\n".join(parts) + "\n"


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str | None) -> str:
    """Text XML 1.0 can hold: characters it forbids (control characters from the data) as \\xNN."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", "" if text is None else str(text))


FORMATTERS = {"text": as_text, "json": as_json, "junit": as_junit, "github": as_github}


def check_inputs(files: list[Path]) -> None:
    for f in files:
        format_for(f)  # raises LoadError for an unknown extension
