"""The assistance picture: who supplies what to whom (ts:Assistance) and which security
functions the author says are outsourced to whom (ts:Outsourcing)."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from tajsec.core.namespaces import TS
from tajsec.graph.build import Built
from tajsec.site.pictures.common import (
    CURRENCIES,
    DONE_STATUSES,
    INK,
    MUTED,
    PLANNED,
    Picture,
    label_map,
    new_figure,
    query_rows,
    save_figure,
    wrap_text,
)
from tajsec.site.text import fmt_number, local_name

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_ASSISTANCE = """
SELECT ?a ?provider ?recipient ?kind ?status ?q ?v ?min ?max ?unit ?text WHERE {
  ?a a ts:Assistance ; ts:provider ?provider ; ts:recipient ?recipient .
  OPTIONAL { ?a ts:assistanceKind ?kind }
  OPTIONAL { ?a ts:status ?status }
  OPTIONAL { ?a ts:quantity ?q . ?q ts:unit ?unit .
             OPTIONAL { ?q schema:value ?v } OPTIONAL { ?q schema:minValue ?min }
             OPTIONAL { ?q schema:maxValue ?max } OPTIONAL { ?q ts:valueText ?text } }
} ORDER BY ?provider ?recipient ?kind ?a ?q
"""

_OUTSOURCING = """
SELECT ?o ?by ?function ?to WHERE {
  ?o a ts:Outsourcing ; ts:outsourcedFunction ?function .
  OPTIONAL { ?o ts:outsourcedBy ?by }
  OPTIONAL { ?o ts:outsourcedTo ?to }
} ORDER BY ?function ?by ?to ?o
"""


def _bezier(ax: Axes, x0: float, y0: float, x1: float, y1: float, **kw: Any) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    dx = (x1 - x0) * 0.45
    path = MPath([(x0, y0), (x0 + dx, y0), (x1 - dx, y1), (x1, y1)],
                 [MPath.MOVETO, MPath.CURVE4, MPath.CURVE4, MPath.CURVE4])
    ax.add_patch(PathPatch(path, facecolor="none", **kw))


def assistance_picture(built: Built) -> Picture:
    from matplotlib import colormaps
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    labels = label_map(built)

    def lab(x: str) -> str:
        return labels.get(x, local_name(x))

    rows = query_rows(built, _ASSISTANCE)
    # one line per provider, recipient, kind and status (given or not); amounts only in a currency
    edges: dict[tuple, dict] = {}
    for r in rows:
        done = (r["status"] or TS + "status-done") in DONE_STATUSES
        k = (r["provider"], r["recipient"], r["kind"] or "", done)
        e = edges.setdefault(k, {"amount": 0.0, "texts": set(), "status": set()})
        if r["status"]:
            e["status"].add(r["status"])
        if r["unit"] in CURRENCIES:
            num = r["v"] or r["max"] or r["min"]
            if num:
                e["amount"] = max(e["amount"], float(num))
                e["texts"].add(r["text"] or fmt_number(num))
    keys = sorted(edges)
    left = sorted({k[0] for k in keys}, key=lambda p: (-sum(k[0] == p for k in keys), lab(p).lower(), p))
    right = sorted({k[1] for k in keys}, key=lambda p: (-sum(k[1] == p for k in keys), lab(p).lower(), p))
    # the busiest recipient in the middle, the others around it, then two rounds of barycentre ordering
    mid = right[:1]
    for i, r in enumerate(right[1:]):
        mid = [*mid, r] if i % 2 else [r, *mid]
    right = mid
    LABELLED, PLAIN, PAD = 0.62, 0.3, 0.45

    def slots(order: list[str], side: int, other_pos: dict) -> tuple[dict, dict, float]:
        """Stack each node's lines in slots; returns node span and each line's y at this side."""
        y = 0.0
        span, at = {}, {}
        for node in order:
            mine = [k for k in keys if k[side] == node]
            mine.sort(key=lambda k: (other_pos.get(k, 0.0), k))
            top = y
            for k in mine:
                h = LABELLED if (side == 0 and edges[k]["texts"]) else PLAIN
                at[k] = y + h / 2
                y += h
            span[node] = (top, y)
            y += PAD
        return span, at, y - PAD

    right_at: dict = {}
    for _ in range(3):
        lspan, left_at, lh = slots(left, 0, right_at)
        rspan, right_at, rh = slots(right, 1, left_at)
        right.sort(key=lambda r: (sum(left_at[k] for k in keys if k[1] == r) / sum(1 for k in keys if k[1] == r), r))
    lspan, left_at, lh = slots(left, 0, right_at)
    rspan, right_at, rh = slots(right, 1, left_at)
    # the shorter column is spread out to the height of the taller one
    height = max(lh, rh)
    if rh < height:
        extra = (height - rh) / max(len(right) - 1, 1) if len(right) > 1 else 0
        shift = {n: i * extra for i, n in enumerate(right)}
        rspan = {n: (a + shift[n], b + shift[n]) for n, (a, b) in rspan.items()}
        right_at = {k: y + shift[k[1]] for k, y in right_at.items()}
    if lh < height:
        extra = (height - lh) / max(len(left) - 1, 1) if len(left) > 1 else 0
        shift = {n: i * extra for i, n in enumerate(left)}
        lspan = {n: (a + shift[n], b + shift[n]) for n, (a, b) in lspan.items()}
        left_at = {k: y + shift[k[0]] for k, y in left_at.items()}

    kinds = sorted({k[2] for k in keys}, key=lambda k: (lab(k).lower() if k else "~", k))
    cmap = colormaps["tab20"]
    palette = [cmap(i) for i in (0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)]
    color = {k: palette[i % len(palette)] for i, k in enumerate(kinds)}

    out_rows = query_rows(built, _OUTSOURCING)
    functions = sorted({r["function"] for r in out_rows}, key=lambda f: (lab(f).lower(), f))
    by_nodes = sorted({r["by"] for r in out_rows if r["by"]}, key=lambda n: (lab(n).lower(), n))
    to_nodes = sorted({r["to"] for r in out_rows if r["to"]}, key=lambda n: (lab(n).lower(), n))
    m = max(len(functions), len(by_nodes), len(to_nodes), 1)

    # layout in inches, top to bottom
    unit = 0.27  # inches per slot unit
    h_title, h_a, h_legend, h_title_b, h_b, h_foot = 0.75, height * unit + 0.3, 0.95, 0.55, 0.62 * m + 0.3, 0.15
    total = h_title + h_a + h_legend + h_title_b + h_b + h_foot
    fig = new_figure(12, total)

    def band(top: float, h: float) -> tuple[float, float, float, float]:
        return (0.0, (total - top - h) / total, 1.0, h / total)

    ax = fig.add_axes(band(h_title, h_a))
    ax2 = fig.add_axes(band(h_title + h_a + h_legend + h_title_b, h_b))
    for a in (ax, ax2):
        a.set_axis_off()
    ax.set_xlim(-0.62, 1.62)
    ax.set_ylim(height + 0.15, -0.15)
    bar = 0.012
    for k in sorted(keys, key=lambda k: (-edges[k]["amount"], k)):
        e = edges[k]
        done = k[3]
        lw = 1.1 + (1.6 * math.log10(e["amount"] / 1e6 + 1) if e["amount"] else 0)
        _bezier(ax, bar, left_at[k], 1 - bar, right_at[k], edgecolor=color[k[2]], lw=lw, alpha=0.85,
                linestyle="solid" if done else (0, (3, 2)), zorder=2 if done else 1, capstyle="butt")
        if e["texts"]:
            status = "" if done else " (" + ", ".join(sorted(lab(s) for s in e["status"])) + ")"
            ax.text(bar + 0.012, left_at[k], "; ".join(sorted(e["texts"])) + status, fontsize=7.5, ha="left",
                    va="center", color=INK, zorder=5,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": color[k[2]], "lw": 0.8})
    for node, (a, b) in lspan.items():
        ax.add_patch(Rectangle((-bar, a), 2 * bar, b - a, facecolor=INK, edgecolor="none", zorder=6))
        ax.text(-0.03, (a + b) / 2, lab(node), ha="right", va="center", fontsize=9.5, color=INK)
    for node, (a, b) in rspan.items():
        ax.add_patch(Rectangle((1 - bar, a), 2 * bar, b - a, facecolor=INK, edgecolor="none", zorder=6))
        ax.text(1.03, (a + b) / 2, wrap_text(lab(node), 40), ha="left", va="center", fontsize=9.5, color=INK)
    fig.text(0.03, 1 - (h_title - 0.08) / total, "external actors (ts:provider)", ha="left", va="bottom", fontsize=9,
             color=MUTED, style="italic")
    fig.text(0.97, 1 - (h_title - 0.08) / total, "recipients (ts:recipient)", ha="right", va="bottom", fontsize=9,
             color=MUTED, style="italic")

    # bottom: outsourcing, external actors on the left as above, the function in the middle,
    # the Tajik side that outsources on the right
    ax2.set_xlim(-0.62, 1.62)
    ax2.set_ylim(m - 0.3, -0.7)

    def spread(nodes: list[str]) -> dict[str, float]:
        return {x: (i + 0.5) * m / len(nodes) - 0.5 for i, x in enumerate(nodes)}

    yf, yb, yt = spread(functions), spread(by_nodes), spread(to_nodes)
    counts: dict[tuple, int] = {}
    for r in out_rows:
        if r["by"]:
            counts[("by", r["by"], r["function"])] = counts.get(("by", r["by"], r["function"]), 0) + 1
        if r["to"]:
            counts[("to", r["function"], r["to"])] = counts.get(("to", r["function"], r["to"]), 0) + 1
    for (side, a, b), c in sorted(counts.items()):
        if side == "by":
            _bezier(ax2, 1.0, yb[a], 0.5, yf[b], edgecolor=PLANNED, lw=1 + 0.8 * c, alpha=0.8)
        else:
            _bezier(ax2, 0.5, yf[a], 0.0, yt[b], edgecolor=PLANNED, lw=1 + 0.8 * c, alpha=0.8)
    for f in functions:
        ax2.text(0.5, yf[f], lab(f), ha="center", va="center", fontsize=9.5, color=INK, zorder=5,
                 bbox={"boxstyle": "round,pad=0.3", "facecolor": "#fff4e0", "edgecolor": PLANNED})
    for b in by_nodes:
        ax2.plot([1], [yb[b]], "o", color=INK, markersize=5)
        ax2.text(1.03, yb[b], lab(b), ha="left", va="center", fontsize=9.5, color=INK)
    for t in to_nodes:
        ax2.plot([0], [yt[t]], "o", color=INK, markersize=5)
        ax2.text(-0.03, yt[t], lab(t), ha="right", va="center", fontsize=9.5, color=INK)
    ax2.text(-0.03, -0.6, "◀ outsourced to (ts:outsourcedTo)", ha="right", fontsize=9, color=MUTED, style="italic")
    ax2.text(0.5, -0.6, "◀ security function ◀", ha="center", fontsize=9, color=MUTED, style="italic")
    ax2.text(1.03, -0.6, "outsourced by (ts:outsourcedBy)", ha="left", fontsize=9, color=MUTED, style="italic")

    title = "Who supplies what: assistance to Tajikistan, and the security functions it outsources"
    fig.text(0.01, 1 - 0.1 / total, title, ha="left", va="top", fontsize=13, fontweight="bold", color=INK)
    fig.text(0.01, 1 - (h_title + h_a + h_legend + 0.1) / total,
             "Outsourcing of security functions (ts:Outsourcing claims, the author's thesis; "
             "line width = number of claims)", ha="left", va="top", fontsize=11.5, fontweight="bold", color=INK)
    handles = [Line2D([], [], color=color[k], lw=3, label=lab(k) if k else "kind not given") for k in kinds]
    handles += [Line2D([], [], color=MUTED, lw=2, label="given (done, ongoing)"),
                Line2D([], [], color=MUTED, lw=2, linestyle=(0, (3, 2)), label="pledged, promised, planned")]
    fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 1 - (h_title + h_a + 0.05) / total),
               ncol=7, frameon=False, fontsize=8.5, columnspacing=1.2, handlelength=1.8,
               title="kind of assistance (ts:assistanceKind); line width grows with the amount", title_fontsize=8.5)
    svg, png = save_figure(fig, title)
    caption = (
        f"Drawn from the {len({r['a'] for r in rows})} ts:Assistance statements: one line per provider, recipient, "
        "kind of assistance and status; dashed lines are only pledged, promised, planned or envisaged. Amounts are the "
        "paper's figures in a currency, as printed, beside the provider; figures the paper does not add up are not "
        f"added up here. Below, the {len({r['o'] for r in out_rows})} ts:Outsourcing claims: which security function "
        "is outsourced by whom to whom, the paper's thesis."
    )
    alt = "Assistance: " + "; ".join(
        f"{lab(p)} to {lab(rc)}: {lab(k) if k else 'assistance'}" + ("" if d else " (not yet given)")
        for p, rc, k, d in keys)
    return Picture("assistance", title, caption, alt, svg, png)
