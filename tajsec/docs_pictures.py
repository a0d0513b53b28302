"""The pictures of `tajsec docs`, drawn from the built graph with matplotlib.

Each picture is an SVG (text kept as text, so labels can be searched and read by screen readers)
and a PNG fallback. Output is deterministic: a fixed SVG hash salt, no dates in the metadata, no
software version in the PNG, every list sorted before it is drawn. Only the object-oriented API
is used (no pyplot), so nothing global such as the backend is changed.

The four pictures:
  structure  - Tajikistan's security agencies, their sub-units and control lines
  assistance - who supplies what to whom (ts:Assistance) and which security functions the
               author says are outsourced to whom (ts:Outsourcing)
  timeline   - dated events; 2004 month by month, earlier years compressed
  ontology   - the main classes of the ts: vocabulary and the properties between them
"""
from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass

from tajsec.graph.time import MONTHS, parse_date, pretty_date
from tajsec.namespaces import TS, sparql_prologue

PROLOGUE = sparql_prologue()

RC = {
    "svg.hashsalt": "tajsec-docs",
    "svg.fonttype": "none",  # keep text as <text>, not glyph paths
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
    "axes.unicode_minus": False,
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "path.simplify": False,
}

INK = "#1f2933"
MUTED = "#7b8794"
ACCENT = "#1d4e89"
NEGATIVE = "#c0392b"
PLANNED = "#d97706"
DONE_STATUSES = {TS + "status-done", TS + "status-ongoing"}
CURRENCIES = {TS + "unit-usd", TS + "unit-eur"}
PREFIX_ORG = "http://www.w3.org/ns/org#"


@dataclass
class Picture:
    name: str  # file stem: pictures/<name>.svg and .png
    title: str
    caption: str  # plain text, one paragraph, says how the picture was derived
    alt: str
    svg: bytes
    png: bytes


def _rows(built, sparql: str) -> list[dict]:
    res = built.query(PROLOGUE + sparql)
    names = [v.value for v in res.variables]
    return [{n: (None if r[n] is None else r[n].value) for n in names} for r in res]


def _labels(built) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in _rows(built, "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) = 'en' || LANG(?l) = '') } ORDER BY ?s ?l"):
        out.setdefault(r["s"], r["l"])
    return out


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _fmt_number(text: str) -> str:
    try:
        x = float(text)
    except ValueError:
        return text
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:,}"


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _save(fig, title: str) -> tuple[bytes, bytes]:
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": "tajsec docs", "Title": title})
    png = io.BytesIO()
    fig.savefig(png, format="png", metadata={"Software": None})
    return svg.getvalue(), png.getvalue()


def _figure(w: float, h: float):
    from matplotlib.figure import Figure

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = Figure(figsize=(w, h), facecolor="white")
    FigureCanvasAgg(fig)  # a canvas with a renderer, to measure text
    return fig


def _text_right(ax, text_artist) -> float:
    """The right edge of a drawn text, in data coordinates."""
    r = ax.figure.canvas.get_renderer()
    bb = text_artist.get_window_extent(renderer=r)
    return ax.transData.inverted().transform((bb.x1, bb.y0))[0]


# ---------------------------------------------------------------------------------------------
# (a) structure of the Tajik security sector
# ---------------------------------------------------------------------------------------------

# The sections of the paper about Tajikistan's own security institutions (with their subsections).
TAJIK_SECTIONS = ("section-security-framework", "section-individual-agencies", "section-drugs")

_TAJIK_AGENCIES = """
SELECT DISTINCT ?a WHERE {
  { ?a a ts:GovernmentBody } UNION { ?a a ts:SecurityForce }
  {
    ?a ts:nationality tsd:tajikistan
  } UNION {
    VALUES ?top { %s }
    ?st a ts:Statement ; ?p ?a ; ts:inSection ?sec .
    ?sec schema:isPartOf* ?top .
  }
  FILTER NOT EXISTS { ?a ts:nationality ?n FILTER(?n != tsd:tajikistan) }
  FILTER NOT EXISTS { ?a a ts:MultinationalForce }
  FILTER NOT EXISTS { ?a a ts:InternationalOrganisation }
  FILTER NOT EXISTS { ?a a ts:Government FILTER NOT EXISTS { ?a ts:nationality tsd:tajikistan } }
  FILTER NOT EXISTS { ?a org:subOrganizationOf+ ?f . ?f ts:nationality ?n2 FILTER(?n2 != tsd:tajikistan) }
} ORDER BY ?a
""" % " ".join(f"tsd:{s}" for s in TAJIK_SECTIONS)

_STRUCTURE_LINKS = """
SELECT ?st ?s ?p ?o ?neg WHERE {
  VALUES ?p { org:subOrganizationOf ts:reportsTo ts:controls ts:successorOf }
  ?st a ts:RelationStatement ; ts:subject ?s ; ts:predicate ?p ; ts:object ?o .
  OPTIONAL { ?st ts:negated ?neg }
} ORDER BY ?s ?p ?o ?st
"""

_PERSONNEL = """
SELECT ?e ?q ?v ?min ?max ?text WHERE {
  ?m a ts:Measurement ; ts:measuredEntity ?e ; ts:aspect ts:aspect-personnel ; ts:quantity ?q .
  FILTER NOT EXISTS { ?q ts:partOf ?whole }
  OPTIONAL { ?q schema:value ?v } OPTIONAL { ?q schema:minValue ?min }
  OPTIONAL { ?q schema:maxValue ?max } OPTIONAL { ?q ts:valueText ?text }
} ORDER BY ?e ?q
"""


def tajik_agencies(built) -> list[str]:
    return [r["a"] for r in _rows(built, _TAJIK_AGENCIES)]


def personnel(built) -> dict[str, tuple[float, str]]:
    """Entity -> (headline figure, as printed): the largest value or upper bound the paper gives."""
    best: dict[str, tuple[float, str]] = {}
    for r in _rows(built, _PERSONNEL):
        num = r["v"] or r["max"] or r["min"]
        if num is None:
            continue
        n = float(num)
        if r["min"] and r["max"]:
            text = f"{_fmt_number(r['min'])}–{_fmt_number(r['max'])}"
        elif r["max"]:
            text = f"up to {_fmt_number(r['max'])}"
        elif r["min"] and not r["v"]:
            text = f"over {_fmt_number(r['min'])}"
        else:
            text = _fmt_number(r["v"])
        if r["e"] not in best or n > best[r["e"]][0]:
            best[r["e"]] = (n, text)
    return best


def structure_picture(built) -> Picture:
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    labels = _labels(built)
    members = set(tajik_agencies(built))
    links = _rows(built, _STRUCTURE_LINKS)
    # pull in the parents and children of members through sub-organisation and control lines
    changed = True
    while changed:
        changed = False
        for r in links:
            if r["neg"] == "true" or r["p"] not in (PREFIX_ORG + "subOrganizationOf", TS + "controls"):
                continue
            if (r["s"] in members) != (r["o"] in members):
                members |= {r["s"], r["o"]}
                changed = True
    staff = personnel(built)

    # the layout tree: a parent is what an agency is a sub-organisation of, or what controls it
    parent: dict[str, str] = {}
    tree_edges = []
    other_edges = []
    for r in links:
        s, p, o, neg = r["s"], r["p"], r["o"], r["neg"] == "true"
        if s not in members or o not in members:
            continue
        if not neg and p == PREFIX_ORG + "subOrganizationOf" and s not in parent:
            parent[s] = o
            tree_edges.append((o, s, "sub"))
        elif not neg and p == TS + "controls" and o not in parent:
            parent[o] = s
            tree_edges.append((s, o, "controls"))
        else:
            other_edges.append((s, p, o, neg))
    children: dict[str, list[str]] = {}
    for c, par in parent.items():
        children.setdefault(par, []).append(c)

    def key(e):
        return (-staff.get(e, (0, ""))[0], labels.get(e, e).lower(), e)

    for v in children.values():
        v.sort(key=key)

    def subtree_size(n):
        return sum(subtree_size(c) for c in children.get(n, [])) or 1

    roots = sorted((m for m in members if m not in parent),
                   key=lambda e: (-subtree_size(e), -staff.get(e, (0, ""))[0], labels.get(e, e).lower(), e))
    pos: dict[str, tuple[float, float]] = {}
    row = [0]

    def place(n, depth):
        kids = children.get(n, [])
        if not kids:
            y = row[0]
            row[0] += 1
        else:
            ys = [place(c, depth + 1) for c in kids]
            y = (ys[0] + ys[-1]) / 2
        pos[n] = (depth * 4.0, y)
        return y

    for r in roots:
        place(r, 0)
        row[0] += 0.35  # a little air between trees
    n_rows = row[0]

    height = max(5.5, 0.5 * n_rows + 1.7)
    fig = _figure(11.5, height)
    ax = fig.add_axes((0.0, 0.9 / height, 1.0, 1 - 1.45 / height))
    ax.set_axis_off()
    max_depth = max(x for x, _ in pos.values()) if pos else 0
    ax.set_xlim(-0.45 - 0.28 * len(other_edges) - 0.35, max_depth + 5.0)
    ax.set_ylim(n_rows + 0.2, -1.0)

    biggest = max([v for v, _ in staff.values()] + [1])

    def size(e):  # marker area in pt^2, proportional to personnel
        if e not in staff:
            return None
        return max(40.0, 2600.0 * staff[e][0] / biggest)

    # nodes and labels first: the lines start where a label ends
    x_lo, x_hi = ax.get_xlim()
    pt_per_unit = fig.get_figwidth() * 72 / (x_hi - x_lo)
    label_end: dict[str, float] = {}
    radius: dict[str, float] = {}
    for e, (x, y) in sorted(pos.items()):
        s = size(e)
        if s is None:
            ax.scatter([x], [y], s=46, marker="s", facecolor="white", edgecolor=MUTED, linewidth=1.2, zorder=3)
            r_pt = 4
        else:
            ax.scatter([x], [y], s=s, marker="o", facecolor="#9ec5e8", edgecolor=ACCENT, linewidth=1.2, zorder=3)
            r_pt = math.sqrt(s) / 2
        radius[e] = r_pt / pt_per_unit
        name = _wrap(labels.get(e, _local(e)), 30)
        t = ax.annotate(name, (x, y), xytext=(r_pt + 5, 0), textcoords="offset points", va="center",
                        ha="left", fontsize=9.5, color=INK, zorder=4,
                        fontweight="bold" if e not in parent else "normal")
        label_end[e] = _text_right(ax, t)
        if e in staff:
            below = 6.5 * (name.count("\n") + 1) + 6.5
            t2 = ax.annotate(f"{staff[e][1]} personnel", (x, y), xytext=(r_pt + 5, -below),
                             textcoords="offset points", va="center", ha="left", fontsize=8, color=MUTED, zorder=4)
            label_end[e] = max(label_end[e], _text_right(ax, t2))

    for par, child, kind in sorted(tree_edges):
        (x0, y0), (x1, y1) = pos[par], pos[child]
        xs = label_end[par] + 0.12
        xm = max(xs + 0.15, x1 - 0.7)
        if kind == "sub":
            ax.plot([xs, xm, xm, x1 - 0.1], [y0, y0, y1, y1], color=MUTED, lw=1.3, zorder=1,
                    solid_joinstyle="round")
        else:
            ax.plot([xs, xm, xm], [y0, y0, y1], color=ACCENT, lw=1.6, zorder=1)
            ax.add_patch(FancyArrowPatch((xm, y1), (x1 - radius[child] - 0.04, y1), arrowstyle="-|>", mutation_scale=12,
                                         color=ACCENT, lw=1.6, zorder=1, shrinkA=0, shrinkB=0))
    # other lines (negated reporting, succession) run in lanes in the left margin
    notes = []
    for i, (s, p, o, neg) in enumerate(sorted(other_edges, key=lambda t: (pos[t[0]][1], t))):
        (x0, y0), (x1, y1) = pos[s], pos[o]
        color = NEGATIVE if neg else (ACCENT if p == TS + "reportsTo" else MUTED)
        style = (0, (4, 3)) if neg else ((0, (1, 2)) if p == TS + "successorOf" else "solid")
        lane = -0.45 - 0.28 * i
        if x0 > 0:
            ys = y0 + 0.58
            xs_, ys_ = [x0, x0, lane, lane], [y0 + 0.12, ys, ys, y1]
        else:
            xs_, ys_ = [x0 - 0.1, lane, lane], [y0, y0, y1]
        ax.plot(xs_, ys_, color=color, lw=1.3, linestyle=style, zorder=0.5)
        ax.add_patch(FancyArrowPatch((lane, y1), (x1 - radius[o] - 0.04, y1), arrowstyle="-|>", mutation_scale=11,
                                     color=color, lw=1.3, linestyle=style, zorder=0.5, shrinkA=0, shrinkB=0))
        if neg:
            ax.text(lane - 0.06, (ys_[-2] + y1) / 2, "✗", color=NEGATIVE, fontsize=10, ha="right", va="center")
            notes.append(f"{labels.get(s, _local(s))} does not report to {labels.get(o, _local(o))}")

    handles = [
        Line2D([], [], color=MUTED, lw=1.3, label="sub-organisation of (org:subOrganizationOf)"),
        Line2D([], [], color=ACCENT, lw=1.6, marker=">", markersize=6, label="controls / supervises (ts:controls)"),
        Line2D([], [], color=NEGATIVE, lw=1.3, linestyle=(0, (4, 3)), label="does NOT report to (negated ts:reportsTo)"),
        Line2D([], [], color=MUTED, lw=1.3, linestyle=(0, (1, 2)), label="successor of (ts:successorOf)"),
        Line2D([], [], linestyle="none", marker="o", markersize=12, markerfacecolor="#9ec5e8", markeredgecolor=ACCENT,
               label="area ∝ personnel (largest figure given)"),
        Line2D([], [], linestyle="none", marker="s", markersize=6, markerfacecolor="white", markeredgecolor=MUTED,
               label="personnel not given"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8.5)
    title = "Tajikistan's security sector: agencies, sub-units and control lines"
    fig.text(0.01, 0.985, title, ha="left", va="top", fontsize=13, fontweight="bold", color=INK)
    svg, png = _save(fig, title)
    caption = (
        "Drawn from the graph: the Tajik government bodies and security forces (those the paper discusses in "
        "Security Framework, Individual Agencies and Drugs, or with Tajik nationality; none with a foreign one), "
        "their sub-units (org:subOrganizationOf), control lines (ts:controls) and succession (ts:successorOf), "
        "taken from ts:RelationStatement nodes. Negated statements are drawn as red dashed arcs"
        + (": " + "; ".join(sorted(notes)) + "." if notes else ".")
        + " Circle area is proportional to the largest personnel figure the paper gives (ts:Measurement with "
        "ts:aspect-personnel; the value, or the upper bound of a range)."
    )
    alt = "Tree of Tajik security agencies: " + "; ".join(
        labels.get(e, _local(e)) + (f" ({staff[e][1]} personnel)" if e in staff else "")
        for e in sorted(pos, key=lambda e: (pos[e][1], pos[e][0])))
    return Picture("structure", title, caption, alt, svg, png)


# ---------------------------------------------------------------------------------------------
# (b) who supplies what
# ---------------------------------------------------------------------------------------------

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


def _bezier(ax, x0, y0, x1, y1, **kw):
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MPath

    dx = (x1 - x0) * 0.45
    path = MPath([(x0, y0), (x0 + dx, y0), (x1 - dx, y1), (x1, y1)],
                 [MPath.MOVETO, MPath.CURVE4, MPath.CURVE4, MPath.CURVE4])
    ax.add_patch(PathPatch(path, facecolor="none", **kw))


def assistance_picture(built) -> Picture:
    from matplotlib import colormaps
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    labels = _labels(built)

    def lab(x):
        return labels.get(x, _local(x))

    rows = _rows(built, _ASSISTANCE)
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
                e["texts"].add(r["text"] or _fmt_number(num))
    keys = sorted(edges)
    left = sorted({k[0] for k in keys}, key=lambda p: (-sum(k[0] == p for k in keys), lab(p).lower(), p))
    right = sorted({k[1] for k in keys}, key=lambda p: (-sum(k[1] == p for k in keys), lab(p).lower(), p))
    # the busiest recipient in the middle, the others around it, then two rounds of barycentre ordering
    mid = right[:1]
    for i, r in enumerate(right[1:]):
        mid = mid + [r] if i % 2 else [r] + mid
    right = mid
    LABELLED, PLAIN, PAD = 0.62, 0.3, 0.45

    def slots(order, side, other_pos):
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

    out_rows = _rows(built, _OUTSOURCING)
    functions = sorted({r["function"] for r in out_rows}, key=lambda f: (lab(f).lower(), f))
    by_nodes = sorted({r["by"] for r in out_rows if r["by"]}, key=lambda n: (lab(n).lower(), n))
    to_nodes = sorted({r["to"] for r in out_rows if r["to"]}, key=lambda n: (lab(n).lower(), n))
    m = max(len(functions), len(by_nodes), len(to_nodes), 1)

    # layout in inches, top to bottom
    unit = 0.27  # inches per slot unit
    h_title, h_a, h_legend, h_title_b, h_b, h_foot = 0.75, height * unit + 0.3, 0.95, 0.55, 0.62 * m + 0.3, 0.15
    total = h_title + h_a + h_legend + h_title_b + h_b + h_foot
    fig = _figure(12, total)

    def band(top, h):
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
        ax.text(1.03, (a + b) / 2, _wrap(lab(node), 40), ha="left", va="center", fontsize=9.5, color=INK)
    fig.text(0.03, 1 - (h_title - 0.08) / total, "external actors (ts:provider)", ha="left", va="bottom", fontsize=9,
             color=MUTED, style="italic")
    fig.text(0.97, 1 - (h_title - 0.08) / total, "recipients (ts:recipient)", ha="right", va="bottom", fontsize=9,
             color=MUTED, style="italic")

    # bottom: outsourcing, external actors on the left as above, the function in the middle,
    # the Tajik side that outsources on the right
    ax2.set_xlim(-0.62, 1.62)
    ax2.set_ylim(m - 0.3, -0.7)

    def spread(nodes):
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
    svg, png = _save(fig, title)
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


# ---------------------------------------------------------------------------------------------
# (c) timeline
# ---------------------------------------------------------------------------------------------

_EVENTS = """
SELECT ?e ?label ?start ?end ?status WHERE {
  ?e a ts:Event ; schema:startDate ?start ; rdfs:label ?label .
  OPTIONAL { ?e schema:endDate ?end }
  OPTIONAL { ?e ts:status ?status }
} ORDER BY ?start ?e
"""

DETAIL_YEAR = 2004


def timeline_picture(built) -> Picture:
    """Every event on its own row. The axis is cut into blocks: one per year, but DETAIL_YEAR
    gets a block for events dated only to the year and one per month. A block is as tall as
    its events need, with a small minimum, so empty years take little room (and skipped years
    none: a ≈ marks the jump), while the months of DETAIL_YEAR all show."""
    from matplotlib.lines import Line2D

    labels = _labels(built)
    events: dict[str, dict] = {}
    for r in _rows(built, _EVENTS):
        e = events.setdefault(r["e"], {"label": r["label"], "start": r["start"], "end": r["end"], "status": set()})
        if r["status"]:
            e["status"].add(r["status"])
        if r["end"]:
            e["end"] = max(e["end"] or "", r["end"])
        e["start"] = min(e["start"], r["start"])

    def block_of(date: str) -> tuple[int, int]:
        parts = parse_date(date)
        y, m = parts.year, parts.month
        return (y, (m or 0) if y == DETAIL_YEAR else 0)

    blocks: dict[tuple[int, int], list[str]] = {}
    for k, e in events.items():
        blocks.setdefault(block_of(e["start"]), []).append(k)
        if e["end"]:
            blocks.setdefault(block_of(e["end"]), [])
    for m in range(0, 13):
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
    fig = _figure(12, height)
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
        status = "" if done else "  [" + ", ".join(sorted(labels.get(s, _local(s)) for s in ev["status"])) + "]"
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
    svg, png = _save(fig, title)
    caption = (
        f"Every ts:Event with a schema:startDate ({n}), one row each, at the precision the paper gives (a year, "
        f"a month or a day). Years before and after {DETAIL_YEAR} are compressed to one short block each and "
        f"skipped years are marked ≈; {DETAIL_YEAR}, when the paper was written, is shown month by month. Hollow "
        "orange markers are events the paper reports as planned, envisaged or promised (ts:status)."
    )
    alt = "Timeline: " + "; ".join(f"{events[e]['start']} {events[e]['label']}" for e in order)
    return Picture("timeline", title, caption, alt, svg, png)


# ---------------------------------------------------------------------------------------------
# (d) the ontology
# ---------------------------------------------------------------------------------------------

MAIN_CLASSES = ["Actor", "Place", "Event", "Statement"]
RELATION_CLASSES = ["Actor", "Place", "Event", "Agreement", "Statement", "Quantity", "Document"]


def ontology_picture(built) -> Picture:
    import itertools

    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    labels = _labels(built)

    def lab(x):
        return labels.get(x, _local(x))

    sub = _rows(built, """
      SELECT ?c ?super WHERE { ?c a owl:Class ; rdfs:subClassOf ?super .
        FILTER(STRSTARTS(STR(?c), STR(ts:)) && STRSTARTS(STR(?super), STR(ts:)) && ?c != ?super) } ORDER BY ?c ?super""")
    counts = {r["c"]: int(r["n"]) for r in _rows(built, """
      SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c . FILTER(STRSTARTS(STR(?c), STR(ts:)))
        FILTER(STRSTARTS(STR(?x), STR(tsd:))) } GROUP BY ?c ORDER BY ?c""")}
    props = _rows(built, """
      SELECT ?p ?d ?r WHERE { ?p a owl:ObjectProperty . FILTER(STRSTARTS(STR(?p), STR(ts:)))
        OPTIONAL { ?p rdfs:domain ?d } OPTIONAL { ?p rdfs:range ?r } } ORDER BY ?p ?d ?r""")
    # where the ontology declares no domain (or range), the class its subjects (objects) most often have
    usage = _rows(built, """
      SELECT ?p ?side ?c (COUNT(*) AS ?n) WHERE {
        ?p a owl:ObjectProperty . FILTER(STRSTARTS(STR(?p), STR(ts:)))
        { ?x ?p ?y . ?x a ?c BIND("d" AS ?side) } UNION { ?x ?p ?y . ?y a ?c BIND("r" AS ?side) }
        FILTER(STRSTARTS(STR(?c), STR(ts:)))
      } GROUP BY ?p ?side ?c ORDER BY ?p ?side DESC(?n) ?c""")
    parents: dict[str, list[str]] = {}
    kids: dict[str, list[str]] = {}
    for r in sub:
        parents.setdefault(r["c"], []).append(r["super"])
        kids.setdefault(r["super"], []).append(r["c"])

    def ancestors(c):
        seen, todo = [], [c]
        while todo:
            x = todo.pop(0)
            if x in seen:
                continue
            seen.append(x)
            todo += sorted(parents.get(x, []))
        return seen

    main_iris = [TS + c for c in RELATION_CLASSES]

    def main_of(c):
        for a in ancestors(c) if c else []:
            if a in main_iris:
                return a
        return None

    used: dict[tuple[str, str], dict[str, int]] = {}
    for r in usage:
        mc = main_of(r["c"])
        if mc:
            d = used.setdefault((r["p"], r["side"]), {})
            d[mc] = max(d.get(mc, 0), int(r["n"]))

    def most_used(p, side):
        d = used.get((p, side), {})
        return sorted(d, key=lambda c: (-d[c], c))[0] if d else None

    rel: dict[tuple[str, str], set[str]] = {}
    for r in props:
        d = main_of(r["d"]) if r["d"] else most_used(r["p"], "d")
        g = main_of(r["r"]) if r["r"] else most_used(r["p"], "r")
        if d and g:
            rel.setdefault((d, g), set()).add(lab(r["p"]))

    # Statement in the middle of a 3 x 3 grid, the other classes in the cells around it, placed so
    # that related classes are close, lines cross little and pass by no other class (tried in full)
    hub = TS + "Statement"
    others = [c for c in main_iris if c != hub]
    GX, GY = 4.3, 2.2
    cells = [(i * GX, j * GY) for j in (1, 0, -1) for i in (-1, 0, 1) if (i, j) != (0, 0)]
    pairs = sorted({tuple(sorted(k)) for k in rel if k[0] != k[1]})

    def seg_point_dist(p, a, b):
        (px, py), (ax_, ay), (bx, by) = p, a, b
        dx, dy = bx - ax_, by - ay
        t = max(0.0, min(1.0, ((px - ax_) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot((ax_ + t * dx - px) / GX, (ay + t * dy - py) / GY)

    def crosses(a, b, c, d):
        def orient(p, q, r):
            v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
            return (v > 1e-9) - (v < -1e-9)
        if len({a, b, c, d}) < 4:
            return False
        return orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0

    # geometry of every possible line between two cells, computed once
    spots = cells + [(0.0, 0.0)]
    length = {(i, j): math.hypot((spots[i][0] - spots[j][0]) / GX, (spots[i][1] - spots[j][1]) / GY)
              for i in range(len(spots)) for j in range(len(spots))}
    blocking = {(i, j): frozenset(k for k in range(len(spots)) if k not in (i, j)
                                  and seg_point_dist(spots[k], spots[i], spots[j]) < 0.3)
                for i in range(len(spots)) for j in range(len(spots)) if i != j}
    crossing: dict[tuple, bool] = {}

    def cross(i, j, k, l_):
        key = (i, j, k, l_)
        if key not in crossing:
            crossing[key] = crosses(spots[i], spots[j], spots[k], spots[l_])
        return crossing[key]

    hub_spot = len(spots) - 1
    node_pairs = [(others.index(x) if x != hub else -1, others.index(y) if y != hub else -1) for x, y in pairs]

    def layout_cost(at):
        occupied = set(at) | {hub_spot}
        segs = [(at[x] if x >= 0 else hub_spot, at[y] if y >= 0 else hub_spot) for x, y in node_pairs]
        cost = 0.0
        for i, j in segs:
            cost += length[(i, j)] + 10 * len(blocking[(i, j)] & occupied)
        for n in range(len(segs)):
            for m in range(n + 1, len(segs)):
                if cross(*segs[n], *segs[m]):
                    cost += 3
        return cost

    best = min(itertools.permutations(range(len(cells)), len(others)), key=lambda a: (layout_cost(a), a))
    pos = dict(zip(others, (cells[i] for i in best)))
    pos[hub] = (0.0, 0.0)

    h_top = 6.4
    trees = [_tree_lines(TS + c, kids, parents, lab) for c in MAIN_CLASSES]
    tall = max(len(t) for t in trees)
    h_tree = 0.2 * tall + 0.8
    total = 0.5 + h_top + h_tree + 0.2
    fig = _figure(13, total)
    ax = fig.add_axes((0.0, (h_tree + 0.2) / total, 1.0, h_top / total))
    ax.set_axis_off()
    ax.set_xlim(-6.6, 6.6)
    ax.set_ylim(-3.3, 3.3)
    box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#d9e2ec", "lw": 0.6}
    half = {c: ((0.25 + 0.15 * len(lab(c))) / 2 + 0.08, 0.26 + 0.08) for c in pos}  # a class box, with margin
    for (d, g), names in sorted(rel.items()):
        names = sorted(names)
        (x0, y0), (x1, y1) = pos[d], pos[g]
        if d == g:  # properties within one class: a note on the outer side of its box
            text = "↻ " + _wrap(", ".join(names[:6]) + (f" +{len(names) - 6}" if len(names) > 6 else ""), 36)
            if y0 == 0:
                ax.text(x0, y0 - 0.42, text, ha="center", va="top", fontsize=7.5, color=ACCENT)
            else:
                ax.text(x0, y0 + (0.4 if y0 > 0 else -0.4), text, ha="center", va="bottom" if y0 > 0 else "top",
                        fontsize=7.5, color=ACCENT)
            continue
        if (g, d) in rel and (g, d) < (d, g):
            continue
        both = (g, d) in rel
        if both:
            text = (_wrap(f"{lab(d)} → {lab(g)}: " + ", ".join(names), 34) + "\n"
                    + _wrap(f"{lab(g)} → {lab(d)}: " + ", ".join(sorted(rel[(g, d)])), 34))
        else:
            text = _wrap(", ".join(names[:6]) + (f" +{len(names) - 6}" if len(names) > 6 else ""), 34)
        # bend a line that would pass over another class
        blocked = any(seg_point_dist(pos[c], (x0, y0), (x1, y1)) < 0.3 for c in pos if c not in (d, g))
        rad = 0.35 if blocked else 0.0
        ax.add_patch(FancyArrowPatch(_box_edge(pos[d], pos[g], half[d]), _box_edge(pos[g], pos[d], half[g]),
                                     arrowstyle="<|-|>" if both else "-|>", mutation_scale=13, color=ACCENT, lw=1.0,
                                     shrinkA=1, shrinkB=1, connectionstyle=f"arc3,rad={rad}", zorder=1))
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        if rad:
            mx, my = mx + rad * (y1 - y0) / 2, my - rad * (x1 - x0) / 2
        elif hub in (d, g):
            t = 0.6 if d == hub else 0.4
            mx, my = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        ax.text(mx, my, text, ha="center", va="center", fontsize=7.5, color=INK, zorder=3, bbox=box)
    for c, (x, y) in pos.items():
        name = lab(c)
        w = 0.25 + 0.15 * len(name)
        ax.add_patch(FancyBboxPatch((x - w / 2, y - 0.26), w, 0.52, boxstyle="round,pad=0.05", facecolor=ACCENT,
                                    edgecolor=ACCENT, zorder=4))
        ax.text(x, y, name, ha="center", va="center", fontsize=10.5, color="white", fontweight="bold", zorder=5)
    # subclass trees
    ax2 = fig.add_axes((0.0, 0.1 / total, 1.0, h_tree / total))
    ax2.set_axis_off()
    ax2.set_xlim(0, 4)
    ax2.set_ylim(tall + 0.5, -1.0)
    for col, tree in enumerate(trees):
        x0 = col + 0.08
        ax2.text(x0, -0.9, f"{lab(tree[0][3])} and its subclasses", fontsize=9, color=MUTED, style="italic",
                 va="center")
        for i, (depth, prefix, last, c) in enumerate(tree):
            indent = 0.075
            xt = x0 + depth * indent
            for j, cont in enumerate(prefix):
                if cont:
                    xx = x0 + (j + 1) * indent - indent * 0.6
                    ax2.plot([xx, xx], [i - 0.5, i + 0.5], color="#bcccdc", lw=0.8)
            if depth:
                xx = xt - indent * 0.6
                ax2.plot([xx, xx], [i - 0.5, i if last else i + 0.5], color="#bcccdc", lw=0.8)
                ax2.plot([xx, xt - 0.01], [i, i], color="#bcccdc", lw=0.8)
            n = counts.get(c, 0)
            ax2.text(xt, i, lab(c) + (f"  ({n})" if n else ""), va="center", fontsize=8.5,
                     color=INK, fontweight="bold" if depth == 0 else "normal")
    title = "The ts: ontology: main classes, the object properties between them, and the class trees"
    fig.text(0.01, 1 - 0.1 / total, title, ha="left", va="top", fontsize=13, fontweight="bold", color=INK)
    svg, png = _save(fig, title)
    caption = (
        "Drawn from the ontology as loaded into the graph. Above: each arrow collects the ts: object properties "
        "whose rdfs:domain and rdfs:range fall under the two classes (where the ontology leaves a domain or range "
        "open, the class the data most often uses there); ↻ marks properties within one class. Below: the "
        "rdfs:subClassOf trees under Actor, Place, Event and Statement, with the number of instances in the "
        "graph in brackets."
    )
    alt = "Ontology: " + "; ".join(f"{lab(d)} to {lab(g)}: {', '.join(sorted(v))}" for (d, g), v in sorted(rel.items()))
    return Picture("ontology", title, caption, alt, svg, png)


def _box_edge(centre, toward, half):
    """Where the line from a box's centre towards a point leaves the box."""
    (x, y), (tx, ty), (hw, hh) = centre, toward, half
    dx, dy = tx - x, ty - y
    t = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    return (x + dx * t, y + dy * t)


def _tree_lines(root, kids, parents, lab):
    """(depth, continuation flags, is-last, class) per line of an indented subclass tree; a class
    with several parents is drawn under the first one only."""
    out = []

    def walk(c, depth, prefix, last):
        out.append((depth, prefix, last, c))
        ch = sorted(kids.get(c, []), key=lambda x: (lab(x).lower(), x))
        ch = [x for x in ch if sorted(parents.get(x, []))[0] == c]
        for i, x in enumerate(ch):
            walk(x, depth + 1, prefix + ([not last] if depth else []), i == len(ch) - 1)

    walk(root, 0, [], True)
    return out


def all_pictures(built) -> list[Picture]:
    import matplotlib

    with matplotlib.rc_context(RC):
        return [structure_picture(built), assistance_picture(built), timeline_picture(built),
                ontology_picture(built)]
