"""Where a result is: the input file and line on which its focus node is described (or, for a
node no input describes, first used)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.shacl.result import ValidationResult

if TYPE_CHECKING:
    from tajsec.graph.build import Built


@dataclass
class Finding:
    """A validation result and where it was found."""
    result: ValidationResult
    file: str | None = None
    line: int | None = None

    @property
    def severity(self) -> str:
        return self.result.severity_name

    @property
    def message(self) -> str:
        return self.result.message

    @property
    def focus(self) -> str:
        return self.result.focus.value

    @property
    def path(self) -> str | None:
        return None if self.result.path is None else self.result.path.value

    @property
    def value(self) -> str | None:
        return None if self.result.value is None else self.result.value.value

    @property
    def shape(self) -> str:
        return self.result.shape.value

    @property
    def component(self) -> str:
        return self.result.component.value

    def as_dict(self) -> dict:
        """The result as strings (IRIs, blank-node labels, lexical forms), and under "terms" the
        focus node, path and value as N-Triples terms: datatypes and language tags kept."""
        r = self.result
        return {"severity": self.severity, "message": self.message, "focus": self.focus, "path": self.path,
                "value": self.value, "shape": self.shape, "component": self.component, "file": self.file,
                "line": self.line, "terms": {"focus": str(r.focus), "path": None if r.path is None else str(r.path),
                                             "value": None if r.value is None else str(r.value)}}


def locate(results: list[ValidationResult], built: Built, data_files: list[Path],
           texts: dict[str, str] | None = None) -> list[Finding]:
    """Each result with the data file and line that describe its focus node, sorted by file and
    line. `built` is the tajsec.graph.build.Built the results came from."""
    texts = texts or {}  # each file's text as the loader read it: no file is opened twice
    lines = {str(f): subject_lines(f, texts.get(str(f))) for f in data_files}
    subject_files, object_files = where_described(built)
    findings = []
    for r in results:
        finding = Finding(r)
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
        findings.append(finding)
    findings.sort(key=lambda f: (f.file or "~", f.line or 0, f.focus, f.shape or ""))
    return findings


def where_described(built: Built) -> tuple[dict[str, list[Path]], dict[str, list[Path]]]:
    """For each node, the input files in which it is a subject, and those in which it is used
    as an object."""
    subjects: dict[str, list[Path]] = {}
    objects: dict[str, list[Path]] = {}
    for q in built.store.quads_for_pattern(None, None, None, None):
        path = built.graphs.get(getattr(q.graph_name, "value", ""))
        if path is None:
            continue
        for node, table in ((q.subject, subjects), (q.object, objects)):
            if isinstance(node, (ox.Literal, ox.Triple)):
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
            end = i + len(form)
            if i >= 0 and (end == len(line) or not (line[end].isalnum() or line[end] in "-_")):
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


class _LazyMentions(dict[str, int]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self._lines = text.splitlines()

    # found on demand, not stored: get() is all its callers use (so its signature is dict's simplest)
    def get(self, iri: str, default: int | None = None) -> int | None:  # type: ignore[override]
        for n, line in enumerate(self._lines, start=1):
            if iri in line:
                return n
        return default
