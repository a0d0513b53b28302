"""`tajsec dev stated-in`: record for every statement where the paper states it.

Each ts:Statement gets exactly one `ts:statedIn`: the ts:Section whose main text holds its
evidence quote, or the ts:Footnote whose text holds it. (`ts:footnote` keeps meaning "the
footnotes that support it".) The quote is located in the source text split as
`tajsec.quality.coverage.split_source` splits it (body paragraphs by section, footnotes by
number), after the same normalisation.

Choosing, when a quote is found in more than one place: the main text wins over a footnote when
the statement's own `ts:inSection` is among the body places; otherwise a footnote the statement
cites with `ts:footnote`; otherwise the place is ambiguous and reported. A statement whose
quotes are in the main text and in a footnote is stated in the main text. `OVERRIDES` settles
by hand what the text cannot.

The instance files are rewritten line by line: in each statement's block any `ts:statedIn`
line is removed and one is put after its `ts:inSection` line. Nothing else changes, so the
command is idempotent and safe on files other people have added statements to; files are
written atomically and only when their text changes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tajsec.core.namespaces import PREFIXES, TS, TSD
from tajsec.io.turtle_lines import SUBJECT, insert_properties, lines_by_subject
from tajsec.io.write import atomic_write_bytes
from tajsec.quality.coverage import Paragraph, normalise, split_source

if TYPE_CHECKING:
    from tajsec.graph.build import Built

# statement local name -> local name of its place (section-… or footnote-NN), set by hand
OVERRIDES: dict[str, str] = {}

_STATEMENTS = f"""
PREFIX rdfs: <{PREFIXES['rdfs']}>
SELECT DISTINCT ?s ?quote ?section ?footnote WHERE {{
  ?s a ?c . ?c rdfs:subClassOf* <{TS}Statement> .
  FILTER(STRSTARTS(STR(?s), "{TSD}"))
  OPTIONAL {{ ?s <{TS}evidenceQuote> ?quote }}
  OPTIONAL {{ ?s <{TS}inSection> ?section }}
  OPTIONAL {{ ?s <{TS}footnote> ?footnote }}
}}"""


@dataclass
class Placement:
    statements: dict[str, str] = field(default_factory=dict)  # local name -> place local name
    problems: list[str] = field(default_factory=list)  # statements not placed, with why
    mismatches: list[str] = field(default_factory=list)  # main text found in another section than ts:inSection


def _local(iri: str) -> str:
    return iri[len(TSD):] if iri.startswith(TSD) else iri


def _places(quote: str, paragraphs: list[Paragraph]) -> list[str]:
    forms = {normalise(quote), normalise(quote, strip_markers=False)}
    found: list[str] = []
    for p in paragraphs:
        if any(q in p.text for q in forms) and p.section not in found:
            found.append(p.section)
    return found


def place_statements(raw_source: str, built: Built) -> Placement:
    """Where each statement of the graph is stated (see the module's docstring)."""
    paragraphs = split_source(raw_source)
    rows: dict[str, dict[str, set[str]]] = {}
    for sol in built.store.query(_STATEMENTS, use_default_graph_as_union=True):  # type: ignore[union-attr]
        name = _local(sol["s"].value)
        d = rows.setdefault(name, {"quotes": set(), "sections": set(), "footnotes": set()})
        for var, key in (("quote", "quotes"), ("section", "sections"), ("footnote", "footnotes")):
            if sol[var] is not None:
                d[key].add(sol[var].value if var == "quote" else _local(sol[var].value))
    out = Placement()
    for name in sorted(rows):
        d = rows[name]
        if name in OVERRIDES:
            out.statements[name] = OVERRIDES[name]
            continue
        places: list[str] = []
        for q in sorted(d["quotes"]):
            places += [p for p in _places(q, paragraphs) if p not in places]
        chosen = _choose(places, d["sections"], d["footnotes"])
        if chosen is None:
            why = "quote not found in the paper" if not places else f"ambiguous: {', '.join(places)}"
            out.problems.append(f"{name}: {why}")
            continue
        if not chosen.startswith("footnote-") and d["sections"] and chosen not in d["sections"]:
            out.mismatches.append(f"{name}: quote in {chosen}, ts:inSection {', '.join(sorted(d['sections']))}")
        out.statements[name] = chosen
    return out


def _choose(places: list[str], sections: set[str], footnotes: set[str]) -> str | None:
    body = [p for p in places if not p.startswith("footnote-") and p != "title"]
    notes = [p for p in places if p.startswith("footnote-")]
    own_body = [p for p in body if p in sections]
    if own_body:
        return own_body[0]
    if len(body) == 1 and not notes:
        return body[0]
    cited = [p for p in notes if p in footnotes]
    if len(cited) == 1:
        return cited[0]
    if len(notes) == 1 and not body:
        return notes[0]
    if len(set(body)) == 1:
        return body[0]
    return None


_STATED_IN_LINE = re.compile(r"^\s+ts:statedIn\s")
_IN_SECTION_LINE = re.compile(r"^(\s+)ts:inSection\s.*([;.])\s*$")


def rewrite_turtle(text: str, placed: dict[str, str]) -> tuple[str, set[str]]:
    """`text` with one `ts:statedIn` line per placed statement (after its `ts:inSection` line);
    returns the new text and the statements whose block had no single-line ts:inSection."""
    out: list[str] = []
    done: set[str] = set()
    for current, line in lines_by_subject(text):
        if current in placed and _STATED_IN_LINE.match(line):
            continue  # replaced below
        s = _IN_SECTION_LINE.match(line)
        if current in placed and s and current not in done:
            insert_properties(out, line, s.group(1), s.group(2), [f"ts:statedIn tsd:{placed[current]}"])
            done.add(current)
            continue
        out.append(line)
    return "".join(out), {n for n in placed if n not in done}


def write_stated_in(files: list[Path], placed: dict[str, str]) -> tuple[list[Path], set[str]]:
    """Rewrite the files (atomically, only those that change); returns the changed files and the
    placed statements found in none of them."""
    changed, missing = [], set(placed)
    for f in sorted(files):
        text = f.read_text(encoding="utf-8")
        names = {m.group(1) for m in map(SUBJECT.match, text.splitlines()) if m}
        mine = {n: p for n, p in placed.items() if n in names}
        if not mine:
            continue
        new, left = rewrite_turtle(text, mine)
        missing -= set(mine) - left
        if new != text:
            atomic_write_bytes(f, new.encode("utf-8"))
            changed.append(f)
    return changed, missing


__all__ = ["OVERRIDES", "Placement", "place_statements", "rewrite_turtle", "write_stated_in"]
