"""Evidence as people read it: each table row followed by its evidence, indented; and each
answer's sources as citations, ready to paste (`--why --cite`)."""
from __future__ import annotations

from typing import cast

from tajsec.core.namespaces import shorten
from tajsec.evidence.citations import PAPER, Works
from tajsec.sparql import results
from tajsec.sparql.results import Result

INDENT = "    "


def _term(t: dict) -> str:
    if t["type"] == "uri":
        return shorten(t["value"])
    return f'"{t["value"]}"'


def statement_lines(card: dict, triples: list[dict]) -> list[str]:
    kind = ", ".join(card.get("kind", []))
    lines = [f"- {shorten(card['iri'])}  {card.get('label', '')}" + (f"  ({kind})" if kind else "")]
    facts = []
    if card.get("sections"):
        facts.append("section: " + ", ".join(s["label"] for s in card["sections"]))
    if card.get("footnotes"):
        facts.append("footnote " + ", ".join(f["number"] or shorten(f["iri"]) for f in card["footnotes"]))
    if card.get("holders"):
        facts.append("holder: " + ", ".join(h["label"] for h in card["holders"]))
    if card.get("hedges"):
        facts.append("hedge: " + ", ".join(card["hedges"]))
    if card.get("sources"):
        facts.append("sources: " + ", ".join(shorten(s["iri"]) for s in card["sources"]))
    if card.get("described_in"):
        facts.append(", ".join(f"{a['file']}:{a['line']}" if "line" in a else a["file"] for a in card["described_in"]))
    if facts:
        lines.append("    " + " | ".join(facts))
    for quote in card.get("quotes") or ([card["quote"]] if card.get("quote") else []):
        lines.append(f"    “{quote}”")
    for t in triples:
        where = ", ".join(f"{a['file']}:{a['line']}" if "line" in a else a["file"] for a in t.get("asserted_in", []))
        how = f"derived by {', '.join(t['rules'])}" if t["origin"] == "derived" else f"asserted, {where}"
        lines.append(f"    {_term(t['subject'])} {_term(t['predicate'])} {_term(t['object'])}  ({how})")
    return lines


def row_evidence_lines(entry: dict, cards: dict) -> list[str]:
    if not entry.get("traced"):
        return [f"evidence not traced: {entry.get('reason', 'unknown reason')}"]
    lines = []
    if entry.get("note"):
        lines.append(f"note: {entry['note']}")
    by_statement: dict[str, list[dict]] = {}
    for t in entry["triples"]:
        for s in t["statements"] or ["(no statement)"]:
            by_statement.setdefault(s, []).append(t)
    for iri in entry["statements"]:
        lines += statement_lines(cards[iri], by_statement.get(iri, []))
    for u in entry.get("untraced", []):
        lines.append(f"not traced: {u['pattern']} ({u['reason']})")
    return lines or ["no evidence: the row matched no triple"]


def table_with_evidence(res: Result, width: int | None = 70) -> str:
    """The table, each row followed by its evidence, indented."""
    lines = results.to_table(res, shorten, width).splitlines()
    head, rows, tail = lines[:2], lines[2:-1], lines[-1:]
    out = list(head)
    evidence = cast(dict, res.evidence)  # called for a result traced with --why
    for line, entry in zip(rows, evidence["rows"]):
        out.append(line)
        out += [INDENT + x for x in row_evidence_lines(entry, evidence["statements"])]
    return "\n".join(out + tail) + "\n"


def citations_text(res: Result, works: Works) -> str:
    """Each row's sources as citations: the cited works (with their "cited in" chains), then the
    paper with section and footnote."""
    lines = results.to_table(res, shorten, 70).splitlines()
    head, rows, tail = lines[:2], lines[2:-1], lines[-1:]
    out = list(head)
    evidence = cast(dict, res.evidence)  # called for a result traced with --why
    cards = evidence["statements"]
    known_works = set(works.cited())
    for line, entry in zip(rows, evidence["rows"]):
        out.append(line)
        if not entry.get("traced"):
            out.append(INDENT + f"evidence not traced: {entry.get('reason')}")
            continue
        cited, sections, footnotes = [], [], []
        for iri in entry["statements"]:
            card = cards[iri]
            works_of = ([iri] if iri in known_works else []) + card.get("cited_works", []) + [
                s["iri"] for s in card.get("sources", []) if s["iri"] != PAPER]
            cited += [w for w in works_of if w not in cited]
            sections += [s["label"] for s in card.get("sections", []) if s["label"] not in sections]
            numbers = [f["number"] for f in card.get("footnotes", []) if f["number"]] + (
                [card["footnote_number"]] if "footnote_number" in card else [])
            footnotes += [n for n in numbers if n not in footnotes]
        cited = list(dict.fromkeys(cited))
        chained = {c for w in cited for c in works.fields(w)["cited_in"]}  # shown as "cited in" already
        out += [INDENT + works.citation(w) for w in cited if w not in chained]
        out.append(INDENT + works.paper_citation(sections, footnotes))
    return "\n".join(out + tail) + "\n"
