"""The timeline picture: dated events; 2004 month by month, earlier years compressed."""
from __future__ import annotations

from datetime import datetime

from tajsec.core.namespaces import TS_PLAN_STATUSES
from tajsec.graph.build import Built
from tajsec.graph.time import MONTHS, parse_date, pretty_date
from tajsec.site.pictures.common import (
    DONE_STATUSES,
    INK,
    MUTED,
    PLANNED,
    Picture,
    label_map,
    new_figure,
    query_rows,
    save_figure,
)
from tajsec.site.text import local_name
from tajsec.timeline.bounds import MAX, MIN
from tajsec.timeline.reader import read_timeline
from tajsec.timeline.words import when_text

_EVENTS = """
SELECT ?e ?label ?start ?end ?status WHERE {
  ?e a ts:Event ; schema:startDate ?start ; rdfs:label ?label .
  OPTIONAL { ?e schema:endDate ?end }
  OPTIONAL { ?e ts:status ?status }
} ORDER BY ?start ?e
"""

DETAIL_YEAR = 2004


def _date_of(t: datetime, whole_years: bool) -> str:
    return f"{t.year:04d}" if whole_years else f"{t.year:04d}-{t.month:02d}"


def _bounded_events(built: Built, labels: dict[str, str]) -> dict[str, dict]:
    """Events without a schema:startDate that the timeline bounds (tajsec.timeline): from the
    earliest to the latest moment they can be, at year or month precision, the label saying so."""
    tl = read_timeline(built.store)
    out: dict[str, dict] = {}
    for iri, t in sorted(tl.things.items()):
        if t.kind != "event" or not tl.dated(iri):
            continue
        b, e = tl.begin(t.key), tl.end(t.key)
        lo = b.lo if b.lo != MIN else b.hi
        hi = e.hi if e.hi != MAX else None
        if lo == MAX:
            continue
        whole = (lo.month, lo.day) == (1, 1) and (hi is None or (hi.month, hi.day) == (12, 31))
        start, end = _date_of(lo, whole), _date_of(hi, whole) if hi else None
        label = f"{labels.get(iri, local_name(iri))} ({when_text(tl, t.key)})"
        status = {TS_PLAN_STATUSES[0]} if t.status == "plan" else set()
        out[iri] = {"label": label, "start": start, "end": end if end != start else None, "status": status}
    return out


def timeline_picture(built: Built) -> Picture:
    """Every event on its own row. The axis is cut into blocks: one per year, but DETAIL_YEAR
    gets a block for events dated only to the year and one per month. A block is as tall as
    its events need, with a small minimum, so empty years take little room (and skipped years
    none: a ≈ marks the jump), while the months of DETAIL_YEAR all show."""
    from matplotlib.lines import Line2D

    labels = label_map(built)
    events: dict[str, dict] = {}
    vague = _bounded_events(built, labels)
    for r in query_rows(built, _EVENTS):
        e = events.setdefault(r["e"], {"label": r["label"], "start": r["start"], "end": r["end"], "status": set()})
        if r["status"]:
            e["status"].add(r["status"])
        if r["end"]:
            e["end"] = max(e["end"] or "", r["end"])
        e["start"] = min(e["start"], r["start"])
    for k, e in vague.items():
        events.setdefault(k, e)

    def block_of(date: str) -> tuple[int, int]:
        parts = parse_date(date)
        if parts is None:
            raise ValueError(f"not a date: {date!r}")
        y, m = parts.year, parts.month
        return (y, (m or 0) if y == DETAIL_YEAR else 0)

    blocks: dict[tuple[int, int], list[str]] = {}
    for k, e in events.items():
        blocks.setdefault(block_of(e["start"]), []).append(k)
        if e["end"]:
            blocks.setdefault(block_of(e["end"]), [])
    for m in range(13):
        blocks.setdefault((DETAIL_YEAR, m), [])
    ROW, MIN_YEAR, MIN_MONTH, GAP = 1.0, 0.8, 0.9, 0.7
    start: dict[tuple[int, int], float] = {}
    row_y: dict[str, float] = {}
    gaps = []
    y = 0.0
    prev_year = None
    for b in sorted(blocks):
        if prev_year is not None and b[0] > prev_year + 1:
            gaps.append(y + GAP / 2)
            y += GAP
        prev_year = b[0]
        start[b] = y
        inside = sorted(blocks[b], key=lambda k: (events[k]["start"], events[k]["label"].lower(), k))
        for i, k in enumerate(inside):
            row_y[k] = y + (i + 0.5) * ROW
        lo = MIN_MONTH if b[0] == DETAIL_YEAR and b[1] else MIN_YEAR
        y += max(lo, len(inside) * ROW)
    end_y = y
    order = sorted(events, key=lambda k: (row_y[k], k))
    n = len(order)

    height = 0.25 * end_y + 1.7
    fig = new_figure(12, height)
    ax = fig.add_axes((0.0, 0.55 / height, 1.0, (0.25 * end_y + 0.3) / height))
    ax.set_axis_off()
    ax.set_xlim(-2.6, 14.0)
    ax.set_ylim(end_y + 0.2, -0.2)
    detail = sorted(b for b in start if b[0] == DETAIL_YEAR)
    d0 = start[detail[0]]
    d1 = min((start[b] for b in start if b[0] > DETAIL_YEAR), default=end_y)
    ax.axhspan(d0, d1, color="#fdf6e3", zorder=0)
    ax.text(13.9, d0 + 0.15, f"{DETAIL_YEAR}, month by month", fontsize=9, color=PLANNED, style="italic",
            va="top", ha="right")
    ax.plot([0, 0], [0, end_y], color=INK, lw=1.5, zorder=1)
    for g in gaps:
        ax.text(0, g, "≈", ha="center", va="center", fontsize=11, color=INK,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5}, zorder=2)
    for b, st in sorted(start.items()):
        yr, m = b
        if yr != DETAIL_YEAR or m == 0:
            ax.plot([-0.18, 0.18], [st, st], color=INK, lw=1.2)
            ax.text(-0.35, st, str(yr), ha="right", va="top", fontsize=9.5, fontweight="bold", color=INK)
            if yr == DETAIL_YEAR:
                ax.text(-0.35, st + 0.55, "(year only)", ha="right", va="top", fontsize=7.5, color=MUTED)
        else:
            ax.plot([-0.1, 0.1], [st, st], color=INK, lw=0.8)
            ax.text(-0.35, st, MONTHS[m - 1][:3], ha="right", va="top", fontsize=8.5, color=MUTED)
    for k in order:
        ev = events[k]
        done = not ev["status"] or bool(ev["status"] & DONE_STATUSES)
        c = INK if done else PLANNED
        y = row_y[k]
        if ev["end"]:
            eb = block_of(ev["end"])
            ye = start[eb] + 0.5 * ROW
            ax.plot([0.3, 0.3], [y, ye], color=c, lw=3, alpha=0.45, solid_capstyle="butt")
            ax.plot([0.22, 0.38], [ye, ye], color=c, lw=1.2, alpha=0.7)
        ax.plot([0.0, 0.55], [y, y], color=c if not done else MUTED, lw=0.8,
                linestyle="solid" if done else (0, (3, 2)), zorder=1)
        ax.plot([0], [y], marker="o", markersize=6, markerfacecolor=c if done else "white", markeredgecolor=c,
                markeredgewidth=1.5, zorder=3)
        when = pretty_date(ev["start"], short_months=True)
        if ev["end"]:
            when += f" – {pretty_date(ev['end'], short_months=True)}"
        text = ev["label"] if len(ev["label"]) <= 115 else ev["label"][:112] + "…"
        status = "" if done else "  [" + ", ".join(sorted(labels.get(s, local_name(s)) for s in ev["status"])) + "]"
        ax.text(0.65, y, when, ha="left", va="center", fontsize=8.5, color=c, fontweight="bold")
        ax.text(2.45, y, text + status, ha="left", va="center", fontsize=8.5, color=c,
                style="normal" if done else "italic")
    title = f"Timeline of dated events ({n}): {DETAIL_YEAR} in detail, earlier years compressed"
    fig.text(0.01, 1 - 0.1 / height, title, ha="left", va="top", fontsize=13, fontweight="bold", color=INK)
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=7, markerfacecolor=INK, markeredgecolor=INK,
                      label="happened (ts:status-done)"),
               Line2D([], [], linestyle=(0, (3, 2)), color=PLANNED, marker="o", markersize=7, markerfacecolor="white",
                      markeredgecolor=PLANNED, label="planned, envisaged or promised"),
               Line2D([], [], color=MUTED, lw=3, alpha=0.5, label="lasting until schema:endDate"),
               Line2D([], [], linestyle="none", marker="$≈$", markersize=9, color=INK, label="years skipped")]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=8.5)
    svg, png = save_figure(fig, title)
    caption = (
        f"Every ts:Event with a schema:startDate, or with bounds on its time (the earliest and latest it can be, "
        f"from ts:notBefore/ts:notAfter or its time:before/time:after relations; drawn as a range, its label "
        f"saying between what) ({n}), one row each, at the precision the paper gives (a year, "
        f"a month or a day). Years before and after {DETAIL_YEAR} are compressed to one short block each and "
        f"skipped years are marked ≈; {DETAIL_YEAR}, when the paper was written, is shown month by month. Hollow "
        "orange markers are events the paper reports as planned, envisaged or promised (ts:status)."
    )
    alt = "Timeline: " + "; ".join(f"{events[e]['start']} {events[e]['label']}" for e in order)
    return Picture("timeline", title, caption, alt, svg, png)
