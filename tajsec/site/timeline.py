"""The timeline page: every statement, event and agreement the graph dates or orders, in order of
its normalised time (tajsec.timeline): a date at the paper's precision as written ("January
2004"), a vague one as the range its bounds allow ("between 1991 and 2004"), one placed only by
its relations to others as what they allow, with the relations listed beside it."""
from __future__ import annotations

import csv
import io
from typing import cast

from tajsec.core.namespaces import TS
from tajsec.site.frame import page
from tajsec.site.links import PageContext
from tajsec.site.model import SiteModel
from tajsec.site.text import esc
from tajsec.timeline.bounds import iso
from tajsec.timeline.reader import Timeline
from tajsec.timeline.words import bounds_text, when_text

PATH = "timeline.html"
CSV_PATH = "timeline.csv"  # the page's rows for machines: its <link rel="alternate">
__all__ = ["CSV_PATH", "PATH", "bounds_text", "timeline_csv", "timeline_page", "timeline_rows", "when_text"]
PLAN_WORDS = {"plan": "planned (or envisaged, promised, pledged)", "former": "former"}


def timeline_rows(m: SiteModel, tl: Timeline) -> list[dict]:
    """The rows of the page, in time order: earliest beginning, then latest beginning, then end."""
    relations: dict[str, list[tuple[str, str]]] = {}
    for x, rel, y in tl.relations:
        relations.setdefault(x, []).append((rel, y))
    by_key: dict[str, list[str]] = {}
    for iri, t in tl.things.items():
        by_key.setdefault(t.key, []).append(iri)
    rows: list[dict] = []
    for iri, t in tl.things.items():
        if not (tl.dated(iri) or t.key in relations):
            continue
        b, e = tl.begin(t.key), tl.end(t.key)
        related = [(rel, other) for rel, y in relations.get(t.key, []) for other in by_key.get(y, [y])]
        rows.append({"iri": iri, "thing": t, "when": when_text(tl, t.key), "begin": b, "end": e,
                     "words": sorted(o.value for o in m.g.objects(iri, TS + "timeText")), "related": related,
                     "sort": (b.lo, b.hi, e.hi, m.g.label(iri).lower(), iri)})
    rows.sort(key=lambda r: cast(tuple, r["sort"]))
    return rows


def timeline_page(m: SiteModel) -> tuple[str, bytes]:
    ctx = PageContext(m, PATH)
    tl = m.timeline
    rows = timeline_rows(m, tl)
    body = [
        "<h1>Timeline</h1>",
        (f"<p>Every statement, event and agreement the graph dates or orders ({len(rows)} of "
         f"{len(tl.things)}), in order of time. Dates keep the paper's precision; where the paper is vague "
         "the range its bounds allow is given; a node the paper places only before or after another is "
         "placed by that relation (<code>time:before</code>, <code>time:after</code>, the interval "
         "relations). Planned things are marked. Each row links to the statement, with its source.</p>"),
        (f"<p>The paper's present (what \u201cnow\u201d refers to): {esc(bounds_text(tl.present))}. "
         f"<code>tajsec query --as-of DATE</code> gives the graph as of a date.</p>"),
    ]
    if tl.inconsistencies:
        body.append('<p class="bad">Contradictory time: ' + "; ".join(
            f"{ctx.iri_link(i.key)} ({esc(i.which)})" for i in tl.inconsistencies) + "</p>")
    trs = []
    for r in rows:
        status = PLAN_WORDS.get(r["thing"].status or "", "")
        order = ", ".join(f"{esc(m.g.label(rel))} {ctx.iri_link(o)}" for rel, o in r["related"])
        trs.append(f"<tr><td>{esc(r['when'])}</td><td>{ctx.iri_link(r['iri'])}</td>"
                   f"<td>{esc(r['thing'].kind)}{'; ' + esc(status) if status else ''}</td>"
                   f"<td>{esc('; '.join(r['words']))}</td><td>{order}</td></tr>")
    body.append('<div class="scroll"><table class="list timeline"><thead><tr><th>When</th><th>What</th>'
                "<th>Kind</th><th>The paper's words</th><th>Order</th></tr></thead><tbody>"
                + "".join(trs) + "</tbody></table></div>")
    return PATH, page(ctx, "Timeline", "\n".join(body), crumbs=[("index.html", "Home")])


def timeline_csv(m: SiteModel) -> bytes:
    """The timeline's rows as CSV: each thing with its normalised bounds (inclusive xsd:dateTime
    text; empty where open) beside the words the page shows."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["iri", "label", "kind", "status", "when", "begin_not_before", "begin_not_after",
                "end_not_before", "end_not_after"])
    for r in timeline_rows(m, m.timeline):
        b, e = r["begin"], r["end"]
        w.writerow([r["iri"], m.g.label(r["iri"]), r["thing"].kind, r["thing"].status or "", r["when"],
                    *(iso(t) or "" for t in (b.lo, b.hi, e.lo, e.hi))])
    return out.getvalue().encode("utf-8")
