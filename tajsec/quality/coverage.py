"""`tajsec coverage`: which parts of the source text no evidence quote covers.

The source is the plain text of a printed chapter: body text page by page, each page's
footnotes after a line of spaces, footnote markers glued to words ("quickly.27"), words
hyphenated across line breaks. This module rebuilds paragraphs (joining those broken by a page
of footnotes), assigns them to the paper's sections, splits them into sentences, and locates
every ts:evidenceQuote in them after the same normalisation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tajsec.graph.evidence import evidence_quotes

if TYPE_CHECKING:
    from tajsec.graph.build import Built

# Headings as printed (normalised), and the section node each opens.
HEADINGS = {
    "Introduction": "section-introduction",
    "Security Framework": "section-security-framework",
    "Outsourcing of Security": "section-outsourcing-of-security",
    "Internal Agenda": "section-internal-agenda",
    "The Role of Security Agencies in the Political System": "section-role-of-security-agencies",
    "Corruption": "section-corruption",
    "Individual Agencies": "section-individual-agencies",
    "The Ministry of Security": "section-ministry-of-security",
    "Armed Forces and Border Troops": "section-armed-forces-and-border-troops",
    "Customs": "section-customs",
    "The Fight against Drugs and Terrorism": "section-fight-against-drugs-and-terrorism",
    "Drugs": "section-drugs",
    "The Regime's Perspective onTerrorism and ExternalThreats": "section-regimes-perspective-on-terrorism",
    "Relations with Uzbekistan": "section-relations-with-uzbekistan",
    "Hizb-ut-Tahrir": "section-hizb-ut-tahrir",
    "External Players and Influences": "section-external-players",
    "Russia": "section-russia",
    "Border Protection": "section-border-protection",
    "Promotion of Central Asian Security Cooperation": "section-central-asian-security-cooperation",
    "Crime Prevention": "section-crime-prevention",
    "New Players": "section-new-players",
    "The United States": "section-united-states",
    "The Europeans": "section-europeans",
    "China and Japan": "section-china-and-japan",
    "Aid and Politics": "section-aid-and-politics",
    "New Realignment": "section-new-realignment",
    "Back to Moscow": "section-back-to-moscow",
    "Western Reaction": "section-western-reaction",
    "Conclusion": "section-conclusion",
    "Dr. Anna Matveeva": "section-signature",
}
TITLE_SECTION = "title"

_MARKER = re.compile(r"(?<=[A-Za-z.,;:)'\"])(?:2[7-9]|[3-5][0-9]|6[0-5])(?=\s|$)")
_FOOTNOTE_START = re.compile(r"^(2[7-9]|[3-5][0-9]|6[0-5])\s{2,}(.*)$")
_PAGE_NUMBER = re.compile(r"^\s*\d{3}\s*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z'\"(\u2018\u201c$0-9])")


def normalise(text: str, strip_markers: bool = True) -> str:
    """The form in which quotes and source are compared: typographic quotes made plain, line-end
    hyphenation joined (the hyphen kept), glued footnote markers removed, whitespace collapsed."""
    t = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    t = re.sub(r"-[ \t]*\n\s*", "-", t)
    if strip_markers:
        t = _MARKER.sub("", t)
    return re.sub(r"\s+", " ", t).strip()


@dataclass
class Paragraph:
    section: str  # a section slug, or "footnote-NN"
    text: str  # normalised
    first_line: int
    sentences: list[str] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)


def split_source(raw: str) -> list[Paragraph]:
    lines = raw.splitlines()
    heads = {normalise(h): slug for h, slug in HEADINGS.items()}
    paragraphs: list[Paragraph] = []
    section = TITLE_SECTION
    body: list[tuple[int, str]] = []  # lines of the paragraph being built
    footnote: list[tuple[int, str]] | None = None
    footnote_no = None
    mode = "body"
    resuming = False  # between a page break and the first line of the next page's body

    def flush_body() -> None:
        nonlocal body
        if body:
            text = normalise("\n".join(t for _, t in body))
            if text:
                paragraphs.append(Paragraph(section, text, body[0][0]))
        body = []

    def flush_footnote() -> None:
        nonlocal footnote
        if footnote:
            text = normalise("\n".join(t for _, t in footnote), strip_markers=False)
            paragraphs.append(Paragraph(f"footnote-{footnote_no}", text, footnote[0][0]))
        footnote = None

    for i, line in enumerate(lines, start=1):
        stripped = line.strip()
        if mode == "body":
            if not stripped and len(line) >= 20:  # the rule of spaces above a page's footnotes
                mode = "footnotes"
                continue
            if _PAGE_NUMBER.match(line):
                continue
            if not stripped:
                # a blank line ends a paragraph, unless a page of footnotes follows directly
                # or a page break has just been passed
                if resuming or (body and _next_is_separator(lines, i)):
                    continue
                flush_body()
                continue
            if normalise(stripped) in heads:
                flush_body()
                section = heads[normalise(stripped)]
                resuming = False
                if section == "section-signature":  # the signature's first line is its text
                    body.append((i, line))
                else:
                    paragraphs.append(Paragraph(section, normalise(stripped), i))
                continue
            if resuming:
                resuming = False
                if body and re.search(r"[.!?]['\u2019\"]?\s*$", body[-1][1].rstrip()):
                    flush_body()
            body.append((i, line))
        else:  # footnotes
            m = _FOOTNOTE_START.match(line)
            if m:
                flush_footnote()
                footnote_no = int(m.group(1))
                footnote = [(i, m.group(2))]
                continue
            if _PAGE_NUMBER.match(line):
                flush_footnote()
                mode = "body"
                resuming = True
                continue
            if line.startswith(" ") and stripped and not line.startswith("  "):
                # the next page's body starts with one space
                flush_footnote()
                mode = "body"
                if body and not re.search(r"[.!?]['\u2019\"]?\s*$", body[-1][1].rstrip()) and \
                        normalise(stripped) not in heads:
                    body.append((i, line))  # a paragraph continued across the page
                    continue
                flush_body()
                if normalise(stripped) in heads:
                    section = heads[normalise(stripped)]
                    paragraphs.append(Paragraph(section, normalise(stripped), i))
                else:
                    body.append((i, line))
                continue
            if stripped and footnote is not None:
                footnote.append((i, line))
    flush_body()
    flush_footnote()
    for p in paragraphs:
        p.sentences = [s for s in _SENTENCE_END.split(p.text) if s]
        p.covered = [False] * len(p.sentences)
    return paragraphs


def _next_is_separator(lines: list[str], i: int) -> bool:
    """Whether only blank lines stand between line i (1-based, blank) and a footnote rule."""
    for line in lines[i:]:
        if line.strip():
            return False
        if len(line) >= 20:
            return True
    return False


@dataclass
class CoverageReport:
    paragraphs: list[Paragraph]
    quotes_found: int
    quotes_not_found: list[tuple[str, str]]

    def by_section(self) -> list[dict]:
        order: list[str] = []
        seen: dict[str, dict[str, Any]] = {}
        for p in self.paragraphs:
            key = p.section
            if key not in seen:
                seen[key] = {"section": key, "paragraphs": 0, "paragraphs_covered": 0,
                             "sentences": 0, "sentences_covered": 0}
                order.append(key)
            d = seen[key]
            d["paragraphs"] += 1
            d["paragraphs_covered"] += any(p.covered)
            d["sentences"] += len(p.sentences)
            d["sentences_covered"] += sum(p.covered)
        out = []
        for k in order:
            d = seen[k]
            d["percent"] = round(100.0 * d["sentences_covered"] / d["sentences"], 1) if d["sentences"] else 100.0
            out.append(d)
        return out

    def uncovered(self) -> list[dict]:
        out = []
        for p in self.paragraphs:
            missing = [s for s, c in zip(p.sentences, p.covered, strict=True) if not c]
            if missing:
                out.append({"section": p.section, "line": p.first_line, "paragraph_covered": any(p.covered),
                            "uncovered_sentences": missing})
        return out

    def as_dict(self) -> dict:
        total = sum(len(p.sentences) for p in self.paragraphs)
        cov = sum(sum(p.covered) for p in self.paragraphs)
        return {
            "sentences": total, "sentences_covered": cov,
            "percent": round(100.0 * cov / total, 1) if total else 100.0,
            "paragraphs": len(self.paragraphs),
            "paragraphs_uncovered": sum(not any(p.covered) for p in self.paragraphs),
            "quotes_found": self.quotes_found,
            "quotes_not_found": [{"node": n, "quote": q} for n, q in self.quotes_not_found],
            "sections": self.by_section(),
            "uncovered": self.uncovered(),
        }

    def as_text(self, show_uncovered: bool = False) -> str:
        d = self.as_dict()
        lines = [f"{'section':<48} {'paragraphs':>10} {'sentences':>10} {'covered':>8}"]
        for s in d["sections"]:
            lines.append(f"{s['section']:<48} {s['paragraphs_covered']:>4}/{s['paragraphs']:<5} "
                         f"{s['sentences_covered']:>4}/{s['sentences']:<5} {s['percent']:>7.1f}%")
        lines.append(f"total: {d['sentences_covered']}/{d['sentences']} sentences ({d['percent']}%), "
                     f"{d['paragraphs_uncovered']} of {d['paragraphs']} paragraphs with no quote; "
                     f"{d['quotes_found']} quotes found, {len(d['quotes_not_found'])} not found")
        for q in d["quotes_not_found"]:
            lines.append(f"QUOTE NOT FOUND {q['node']}: {q['quote']}")
        if show_uncovered:
            for u in d["uncovered"]:
                flag = "partly" if u["paragraph_covered"] else "NOT COVERED"
                lines.append(f"- line {u['line']} ({u['section']}, {flag}):")
                for s in u["uncovered_sentences"]:
                    lines.append(f"    {s}")
        return "\n".join(lines)


def coverage(raw_source: str, built: Built) -> CoverageReport:
    paragraphs = split_source(raw_source)
    found, missing = 0, []
    for node, quote in evidence_quotes(built.store):
        q = normalise(quote)
        hit = False
        for p in paragraphs:
            start = p.text.find(q)
            if start < 0:
                continue
            hit = True
            end = start + len(q)
            pos = 0
            for k, s in enumerate(p.sentences):
                s_start = p.text.find(s, pos)
                s_end = s_start + len(s)
                pos = s_end
                if s_start < end and start < s_end:
                    p.covered[k] = True
        if hit:
            found += 1
        else:
            missing.append((node, quote))
    return CoverageReport(paragraphs, found, missing)
