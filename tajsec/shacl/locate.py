"""Where a result is: the input file and line on which its focus node is described (or, for a
node no input describes, first used)."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core import twoproc
from tajsec.io.load import text_of
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
           texts: dict | None = None) -> list[Finding]:
    """Each result with the data file and line that describe its focus node, sorted by file and
    line. `built` is the tajsec.graph.build.Built the results came from. A node described in
    several data files is placed in the first of them, in the order of `data_files`. Only the
    reported nodes are looked up, and only the files they are in are read for lines, one file
    at a time (`texts`: each file's text as the loader kept it, tajsec.io.load.text_of: no
    file is opened twice)."""
    order = {str(f): f for f in data_files}
    rank = {name: i for i, name in enumerate(order)}
    subject_files, object_files = where_described(built, {r.focus for r in results})
    findings = []
    described_in: dict[str, list[Finding]] = {}   # file -> findings placed on a description there
    mentioned_in: dict[str, list[Finding]] = {}   # file -> findings placed on a first use there
    for r in results:
        finding = Finding(r)
        described = [order[str(f)] for f in subject_files.get(finding.focus, []) if str(f) in order]
        used = [order[str(f)] for f in object_files.get(finding.focus, []) if str(f) in order]
        first = min(described, key=lambda f: rank[str(f)], default=None)
        if first is not None:
            finding.file = str(first)
            described_in.setdefault(finding.file, []).append(finding)
        else:
            # a node that no input describes (say, an untyped target): point at its first use
            first = min(used, key=lambda f: rank[str(f)], default=None)
            if first is not None:
                finding.file = str(first)
                mentioned_in.setdefault(finding.file, []).append(finding)
        findings.append(finding)
    names = [n for n in order if n in described_in or n in mentioned_in]

    def lines_in(i: int) -> tuple[dict[str, int | None], dict[str, int | None]]:
        """The lines of file `names[i]` that describe, or first mention, its findings' nodes."""
        name = names[i]
        text = text_of(texts, name)
        described = {f.focus for f in described_in.get(name, [])}
        lines = subject_lines(order[name], text, described) if described else {}
        return ({n: lines.get(n) for n in described},
                {f.focus: first_mention(order[name], f.focus, text) for f in mentioned_in.get(name, [])})

    large = sum(_size_of(texts, order[n]) for n in names) >= SHARED_LOCATE_BYTES
    found = (twoproc.shared(len(names), lines_in, "locate") if large and len(names) > 1 and twoproc.can_share()
             else [lines_in(i) for i in range(len(names))])
    for name, (subjects, mentions) in zip(names, found):
        for finding in described_in.get(name, []):
            finding.line = subjects.get(finding.focus)
        for finding in mentioned_in.get(name, []):
            finding.line = mentions[finding.focus]
    findings.sort(key=lambda f: (f.file or "~", f.line or 0, f.focus, f.shape or ""))
    return findings


#: At most this many nodes are named in one regular expression when N-Triples lines are looked for.
NAMED_AT_ONCE = 200

#: Files to read for lines of at least this many bytes in all are read by two processes at once.
SHARED_LOCATE_BYTES = 64 << 20


def _size_of(texts: dict | None, path: Path) -> int:
    """The size of a file's text as the loader kept it (tajsec.io.load.KeptText, or a str)."""
    text = None if texts is None else texts.get(str(path))
    return getattr(text, "size", None) or len(text or "")


def where_described(built: Built, nodes: Iterable) -> tuple[dict[str, list[Path]], dict[str, list[Path]]]:
    """For each of `nodes`, the input files in which it is a subject, and those in which it is
    used as an object."""
    subjects: dict[str, list[Path]] = {}
    objects: dict[str, list[Path]] = {}
    for n in nodes:
        if isinstance(n, (ox.Literal, ox.Triple)):
            continue
        for table, quads in ((subjects, built.store.quads_for_pattern(n, None, None, None)),
                             (objects, built.store.quads_for_pattern(None, None, n, None))):
            for q in quads:
                path = built.graphs.get(getattr(q.graph_name, "value", ""))
                if path is not None and path not in table.setdefault(n.value, []):
                    table[n.value].append(path)
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


def subject_lines(path: Path, text: str | None = None, nodes: set[str] | None = None) -> dict[str, int]:
    """First line on which each subject IRI starts a description in `path` (whose `text` may be
    given); with `nodes`, at least those of them that do (N-Triples and N-Quads: only those)."""
    if text is None:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return {}
    fmt = path.suffix.lower()
    found: dict[str, int] = {}
    if fmt in (".nt", ".nq") and nodes is not None:
        return _line_subject_lines(text, nodes)
    if fmt in (".ttl", ".nt", ".nq"):
        return _turtle_subject_lines(text)
    if fmt == ".trig":
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


_LINE_START = re.compile(r"\n(?=[^\s#]|[ \t]+[@Pp])")  # a line that may start a description or be a prefix
_PREFIX_AT, _SUBJECT_AT = (re.compile(r.pattern.removeprefix("^"), r.flags) for r in (_PREFIX, _SUBJECT))


def _turtle_subject_lines(text: str) -> dict[str, int]:
    """`subject_lines` of Turtle or N-Triples, read as the TriG loop above reads them, but only
    the lines that can start a description or hold a prefix are looked at (most lines of our
    files are indented properties), found by one scan of the text."""
    prefixes: dict[str, str] = {}
    found: dict[str, int] = {}
    line, last = 1, 0
    for pos in [0] + [m.end() for m in _LINE_START.finditer(text)]:
        line += text.count("\n", last, pos)
        last = pos
        c = text[pos:pos + 1]
        if c in "@Pp \t":  # "" too: an empty text
            m = _PREFIX_AT.match(text, pos)
            if m and "\n" not in m.group(0):
                prefixes[m.group(1)] = m.group(2)
                continue
            if c in " \t":
                continue
        m = _SUBJECT_AT.match(text, pos)
        if not m:
            continue
        tok = m.group(1)
        if tok[0] == "<":
            found.setdefault(tok[1:-1], line)
        elif not tok.startswith("_:"):
            p, local = tok.split(":", 1)
            if p in prefixes:
                found.setdefault(prefixes[p] + local.replace("\\", ""), line)
    return found


def _line_subject_lines(text: str, nodes: set[str]) -> dict[str, int]:
    """`_turtle_subject_lines(text)` for the IRIs `nodes` alone, in a text of one statement per
    line (N-Triples, N-Quads): the first line that starts with `<IRI>`, found by one scan of the
    text (a regular expression naming them all, or beyond NAMED_AT_ONCE of them every subject
    looked up in a set), not by each of its lines in Python."""
    found: dict[str, int] = {}
    iris = sorted(n for n in nodes if ">" not in n and not any(c.isspace() for c in n))
    for iri in iris:
        if text.startswith(f"<{iri}>"):
            found[iri] = 1
    todo = [iri for iri in iris if iri not in found]
    if not todo:
        return found
    line, last = 1, 0
    wanted = set(todo)
    # a few nodes: one alternation of them, matched by the regex engine; many (an alternation is
    # tried member by member at every line): every subject of the text, each looked up in a set
    pattern = ("\n<(" + "|".join(map(re.escape, todo)) + ")>" if len(todo) <= NAMED_AT_ONCE
               else "\n<([^>\\s]*)>")
    for m in re.finditer(pattern, text):
        if m.group(1) in wanted and m.group(1) not in found:
            line += text.count("\n", last, m.start() + 1)
            last = m.start() + 1
            found[m.group(1)] = line
            if len(found) == len(iris):
                break
    return found


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
