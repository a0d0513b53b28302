"""The structure picture: Tajikistan's security agencies, their sub-units and control lines."""
from __future__ import annotations

import math

from tajsec.core.namespaces import TS
from tajsec.graph.build import Built
from tajsec.site.pictures.common import (
    ACCENT,
    INK,
    MUTED,
    NEGATIVE,
    PREFIX_ORG,
    Picture,
    label_map,
    new_figure,
    query_rows,
    save_figure,
    text_right_edge,
    wrap_text,
)
from tajsec.site.text import fmt_number, local_name

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
""" % " ".join(f"tsd:{s}" for s in TAJIK_SECTIONS)  # noqa: UP031 - the query's own braces would all double in an f-string

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


def tajik_agencies(built: Built) -> list[str]:
    return [r["a"] for r in query_rows(built, _TAJIK_AGENCIES)]


def personnel(built: Built) -> dict[str, tuple[float, str]]:
    """Entity -> (headline figure, as printed): the largest value or upper bound the paper gives."""
    best: dict[str, tuple[float, str]] = {}
    for r in query_rows(built, _PERSONNEL):
        num = r["v"] or r["max"] or r["min"]
        if num is None:
            continue
        n = float(num)
        if r["min"] and r["max"]:
            text = f"{fmt_number(r['min'])}–{fmt_number(r['max'])}"
        elif r["max"]:
            text = f"up to {fmt_number(r['max'])}"
        elif r["min"] and not r["v"]:
            text = f"over {fmt_number(r['min'])}"
        else:
            text = fmt_number(r["v"])
        if r["e"] not in best or n > best[r["e"]][0]:
            best[r["e"]] = (n, text)
    return best


def structure_picture(built: Built) -> Picture:
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    labels = label_map(built)
    members = set(tajik_agencies(built))
    links = query_rows(built, _STRUCTURE_LINKS)
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

    def key(e: str) -> tuple[float, str, str]:
        return (-staff.get(e, (0, ""))[0], labels.get(e, e).lower(), e)

    for v in children.values():
        v.sort(key=key)

    def subtree_size(n: str) -> int:
        return sum(subtree_size(c) for c in children.get(n, [])) or 1

    def root_order(e: str) -> tuple[int, float, str, str]:
        return (-subtree_size(e), -staff.get(e, (0, ""))[0], labels.get(e, e).lower(), e)

    roots = sorted((m for m in members if m not in parent), key=root_order)
    pos: dict[str, tuple[float, float]] = {}
    row: list[float] = [0]

    def place(n: str, depth: int) -> float:
        kids = children.get(n, [])
        if not kids:
            y = row[0]
            row[0] += 1
        else:
            ys = [place(c, depth + 1) for c in kids]
            y = (ys[0] + ys[-1]) / 2
        pos[n] = (depth * 4.0, y)
        return y

    for root in roots:
        place(root, 0)
        row[0] += 0.35  # a little air between trees
    n_rows = row[0]

    height = max(5.5, 0.5 * n_rows + 1.7)
    fig = new_figure(11.5, height)
    ax = fig.add_axes((0.0, 0.9 / height, 1.0, 1 - 1.45 / height))
    ax.set_axis_off()
    max_depth = max(x for x, _ in pos.values()) if pos else 0
    ax.set_xlim(-0.45 - 0.28 * len(other_edges) - 0.35, max_depth + 5.0)
    ax.set_ylim(n_rows + 0.2, -1.0)

    biggest = max([v for v, _ in staff.values()] + [1])

    def size(e: str) -> float | None:  # marker area in pt^2, proportional to personnel
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
            r_pt = 4.0
        else:
            ax.scatter([x], [y], s=s, marker="o", facecolor="#9ec5e8", edgecolor=ACCENT, linewidth=1.2, zorder=3)
            r_pt = math.sqrt(s) / 2
        radius[e] = r_pt / pt_per_unit
        name = wrap_text(labels.get(e, local_name(e)), 30)
        t = ax.annotate(name, (x, y), xytext=(r_pt + 5, 0), textcoords="offset points", va="center",
                        ha="left", fontsize=9.5, color=INK, zorder=4,
                        fontweight="bold" if e not in parent else "normal")
        label_end[e] = text_right_edge(ax, t)
        if e in staff:
            below = 6.5 * (name.count("\n") + 1) + 6.5
            t2 = ax.annotate(f"{staff[e][1]} personnel", (x, y), xytext=(r_pt + 5, -below),
                             textcoords="offset points", va="center", ha="left", fontsize=8, color=MUTED, zorder=4)
            label_end[e] = max(label_end[e], text_right_edge(ax, t2))

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
            notes.append(f"{labels.get(s, local_name(s))} does not report to {labels.get(o, local_name(o))}")

    handles = [
        Line2D([], [], color=MUTED, lw=1.3, label="sub-organisation of (org:subOrganizationOf)"),
        Line2D([], [], color=ACCENT, lw=1.6, marker=">", markersize=6, label="controls / supervises (ts:controls)"),
        Line2D([], [], color=NEGATIVE, lw=1.3, linestyle=(0, (4, 3)),
               label="does NOT report to (negated ts:reportsTo)"),
        Line2D([], [], color=MUTED, lw=1.3, linestyle=(0, (1, 2)), label="successor of (ts:successorOf)"),
        Line2D([], [], linestyle="none", marker="o", markersize=12, markerfacecolor="#9ec5e8", markeredgecolor=ACCENT,
               label="area ∝ personnel (largest figure given)"),
        Line2D([], [], linestyle="none", marker="s", markersize=6, markerfacecolor="white", markeredgecolor=MUTED,
               label="personnel not given"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8.5)
    title = "Tajikistan's security sector: agencies, sub-units and control lines"
    fig.text(0.01, 0.985, title, ha="left", va="top", fontsize=13, fontweight="bold", color=INK)
    svg, png = save_figure(fig, title)
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
        labels.get(e, local_name(e)) + (f" ({staff[e][1]} personnel)" if e in staff else "")
        for e in sorted(pos, key=lambda e: (pos[e][1], pos[e][0])))
    return Picture("structure", title, caption, alt, svg, png)
