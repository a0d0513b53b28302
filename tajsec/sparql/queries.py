"""Query files (checks, competency questions, construct rules): reading, running, formatting."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tajsec.core.namespaces import XSD_BOOLEAN, XSD_INTEGER
from tajsec.core.terms import StoreQuery, Term
from tajsec.sparql.results import Result


@dataclass
class QueryFile:
    path: Path
    text: str

    @classmethod
    def read(cls, path: Path) -> QueryFile:
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


def run(store_query: StoreQuery, text: str, timeout: float | None = None,
        substitutions: dict[ox.Variable, Term] | None = None) -> Result:
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


def read_expected(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise ValueError(f"{path}: empty expected-answer file (needs at least a header row)")
    return rows[0], rows[1:]


ENGINE_BOOLEANS = {"1": "true", "0": "false"}  # Virtuoso answers true/false (even EXISTS) as 1/0
NUMERIC_BOOLEAN_TYPES = {XSD_BOOLEAN, XSD_INTEGER}


def _lexical(term: Term | None, boolean_column: bool) -> str:
    """A term's value as the expected CSV writes it; in a column of booleans, by value."""
    if term is None:
        return ""
    if boolean_column and isinstance(term, ox.Literal) and term.datatype.value in NUMERIC_BOOLEAN_TYPES:
        return ENGINE_BOOLEANS.get(term.value, term.value)
    return term.value


def compare(result: Result, expected_path: Path) -> list[str]:
    """Differences between a result and its expected CSV (as multisets of rows); empty if equal."""
    header, rows = read_expected(expected_path)
    problems = []
    if header != result.variables:
        problems.append(f"columns {result.variables} != expected {header}")
        return problems
    booleans = [bool(rows) and all(r[i] in ("true", "false") for r in rows) for i in range(len(header))]
    got = sorted([[_lexical(t, b) for t, b in zip(row, booleans)] for row in result.rows])
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
