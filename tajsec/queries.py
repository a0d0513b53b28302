"""Query files (checks, competency questions, construct rules): reading, running, formatting."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox


@dataclass
class QueryFile:
    path: Path
    text: str

    @classmethod
    def read(cls, path: Path) -> "QueryFile":
        return cls(path, path.read_text(encoding="utf-8"))

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def header(self) -> str:
        """The Markdown header: the leading comment lines with their '# ' removed."""
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line[2:] if line.startswith("# ") else line[1:])
        return "\n".join(lines).strip()

    @property
    def title(self) -> str:
        first = self.header.splitlines()[0] if self.header else self.name
        return first.lstrip("# ").strip()

    @property
    def question(self) -> str:
        m = re.search(r"\*\*Question:\*\*\s*(.+?)(?:\n\s*\n|$)", self.header, re.S)
        return " ".join(m.group(1).split()) if m else self.title


@dataclass
class Result:
    variables: list[str]
    rows: list[list[ox.NamedNode | ox.Literal | ox.BlankNode | None]]

    def lexical_rows(self) -> list[list[str]]:
        return [["" if t is None else t.value for t in row] for row in self.rows]


def run(store_query, text: str, timeout: float | None = None, substitutions=None) -> Result:
    """Run a SELECT query with `store_query` (Built.query or Store.query)."""
    kwargs = {}
    if substitutions:
        kwargs["substitutions"] = substitutions
    res = store_query(text, **kwargs)
    if not isinstance(res, ox.QuerySolutions):
        raise ValueError("only SELECT queries can be run here")
    variables = [v.value for v in res.variables]
    rows = [[sol[v] for v in variables] for sol in res]
    return Result(variables, rows)


def to_csv(result: Result) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(result.variables)
    w.writerows(result.lexical_rows())
    return out.getvalue()


def to_tsv(result: Result) -> str:
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else str(t) for t in row))
    return "\n".join(lines) + "\n"


def to_json(result: Result) -> str:
    def term(t):
        if isinstance(t, ox.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "bnode", "value": t.value}
        d = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            d["datatype"] = t.datatype.value
        return d

    bindings = [{v: term(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, indent=2) + "\n"


def to_table(result: Result, shorten=None) -> str:
    shorten = shorten or (lambda s: s)
    cells = [[shorten(t.value) if isinstance(t, ox.NamedNode) else ("" if t is None else t.value)
              for t in row] for row in result.rows]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    widths = [min(w, 70) for w in widths]

    def fmt(row):
        return " | ".join((c if len(c) <= 70 else c[:67] + "...").ljust(w) for c, w in zip(row, widths)).rstrip()

    lines = [fmt(result.variables), "-+-".join("-" * w for w in widths)]
    lines += [fmt(r) for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


def read_expected(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ValueError(f"{path}: empty expected-answer file (needs at least a header row)")
    return rows[0], rows[1:]


def compare(result: Result, expected_path: Path) -> list[str]:
    """Differences between a result and its expected CSV (as multisets of rows); empty if equal."""
    header, rows = read_expected(expected_path)
    problems = []
    if header != result.variables:
        problems.append(f"columns {result.variables} != expected {header}")
        return problems
    got = sorted(result.lexical_rows())
    want = sorted(rows)
    for r in want:
        if r not in got:
            problems.append(f"missing row {r}")
    for r in got:
        if r not in want:
            problems.append(f"unexpected row {r}")
    if not problems and len(got) != len(want):
        problems.append(f"{len(got)} rows, expected {len(want)} (duplicates differ)")
    return problems
