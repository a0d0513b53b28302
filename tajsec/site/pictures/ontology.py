"""The ontology picture: the main classes of the ts: vocabulary and the properties between them."""
from __future__ import annotations

import math

from tajsec.core.namespaces import TS
from tajsec.graph.build import Built
from tajsec.site.pictures.common import (
    ACCENT,
    INK,
    MUTED,
    Picture,
    label_map,
    new_figure,
    query_rows,
    save_figure,
    wrap_text,
)
from tajsec.site.text import local_name

Point = tuple[float, float]

MAIN_CLASSES = ["Actor", "Place", "Event", "Statement"]
RELATION_CLASSES = ["Actor", "Place", "Event", "Agreement", "Statement", "Quantity", "Document"]


def ontology_picture(built: Built) -> Picture:
    import itertools

    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    labels = label_map(built)

    def lab(x: str) -> str:
        return labels.get(x, local_name(x))

    sub = query_rows(built, """
      SELECT ?c ?super WHERE { ?c a owl:Class ; rdfs:subClassOf ?super .
        FILTER(STRSTARTS(STR(?c), STR(ts:)) && STRSTARTS(STR(?super), STR(ts:)) && ?c != ?super) }
      ORDER BY ?c ?super""")
    counts = {r["c"]: int(r["n"]) for r in query_rows(built, """
      SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?c . FILTER(STRSTARTS(STR(?c), STR(ts:)))
        FILTER(STRSTARTS(STR(?x), STR(tsd:))) } GROUP BY ?c ORDER BY ?c""")}
    props = query_rows(built, """
      SELECT ?p ?d ?r WHERE { ?p a owl:ObjectProperty . FILTER(STRSTARTS(STR(?p), STR(ts:)))
        OPTIONAL { ?p rdfs:domain ?d } OPTIONAL { ?p rdfs:range ?r } } ORDER BY ?p ?d ?r""")
    # where the ontology declares no domain (or range), the class its subjects (objects) most often have
    usage = query_rows(built, """
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

    def ancestors(c: str) -> list[str]:
        seen, todo = [], [c]
        while todo:
            x = todo.pop(0)
            if x in seen:
                continue
            seen.append(x)
            todo += sorted(parents.get(x, []))
        return seen

    main_iris = [TS + c for c in RELATION_CLASSES]

    def main_of(c: str | None) -> str | None:
        for a in ancestors(c) if c else []:
            if a in main_iris:
                return a
        return None

    used: dict[tuple[str, str], dict[str, int]] = {}
    for r in usage:
        mc = main_of(r["c"])
        if mc:
            counts = used.setdefault((r["p"], r["side"]), {})
            counts[mc] = max(counts.get(mc, 0), int(r["n"]))

    def most_used(p: str, side: str) -> str | None:
        counts = used.get((p, side), {})
        return sorted(counts, key=lambda c: (-counts[c], c))[0] if counts else None

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

    def seg_point_dist(p: Point, a: Point, b: Point) -> float:
        (px, py), (ax_, ay), (bx, by) = p, a, b
        dx, dy = bx - ax_, by - ay
        t = max(0.0, min(1.0, ((px - ax_) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot((ax_ + t * dx - px) / GX, (ay + t * dy - py) / GY)

    def crosses(a: Point, b: Point, c: Point, d: Point) -> bool:
        def orient(p: Point, q: Point, r: Point) -> float:
            v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
            return (v > 1e-9) - (v < -1e-9)
        if len({a, b, c, d}) < 4:
            return False
        return orient(a, b, c) * orient(a, b, d) < 0 and orient(c, d, a) * orient(c, d, b) < 0

    # geometry of every possible line between two cells, computed once
    spots = [*cells, (0.0, 0.0)]
    length = {(i, j): math.hypot((spots[i][0] - spots[j][0]) / GX, (spots[i][1] - spots[j][1]) / GY)
              for i in range(len(spots)) for j in range(len(spots))}
    blocking = {(i, j): frozenset(k for k in range(len(spots)) if k not in (i, j)
                                  and seg_point_dist(spots[k], spots[i], spots[j]) < 0.3)
                for i in range(len(spots)) for j in range(len(spots)) if i != j}
    crossing: dict[tuple, bool] = {}

    def cross(i: int, j: int, k: int, l_: int) -> bool:
        key = (i, j, k, l_)
        if key not in crossing:
            crossing[key] = crosses(spots[i], spots[j], spots[k], spots[l_])
        return crossing[key]

    hub_spot = len(spots) - 1
    node_pairs = [(others.index(x) if x != hub else -1, others.index(y) if y != hub else -1) for x, y in pairs]

    def layout_cost(at: tuple[int, ...]) -> float:
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
    pos = dict(zip(others, (cells[i] for i in best), strict=True))
    pos[hub] = (0.0, 0.0)

    h_top = 6.4
    trees = [_tree_lines(TS + c, kids, parents, lab) for c in MAIN_CLASSES]
    tall = max(len(t) for t in trees)
    h_tree = 0.2 * tall + 0.8
    total = 0.5 + h_top + h_tree + 0.2
    fig = new_figure(13, total)
    ax = fig.add_axes((0.0, (h_tree + 0.2) / total, 1.0, h_top / total))
    ax.set_axis_off()
    ax.set_xlim(-6.6, 6.6)
    ax.set_ylim(-3.3, 3.3)
    box = {"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#d9e2ec", "lw": 0.6}
    half = {c: ((0.25 + 0.15 * len(lab(c))) / 2 + 0.08, 0.26 + 0.08) for c in pos}  # a class box, with margin
    for (d, g), name_set in sorted(rel.items()):
        names = sorted(name_set)
        (x0, y0), (x1, y1) = pos[d], pos[g]
        if d == g:  # properties within one class: a note on the outer side of its box
            text = "↻ " + wrap_text(", ".join(names[:6]) + (f" +{len(names) - 6}" if len(names) > 6 else ""), 36)
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
            text = (wrap_text(f"{lab(d)} → {lab(g)}: " + ", ".join(names), 34) + "\n"
                    + wrap_text(f"{lab(g)} → {lab(d)}: " + ", ".join(sorted(rel[(g, d)])), 34))
        else:
            text = wrap_text(", ".join(names[:6]) + (f" +{len(names) - 6}" if len(names) > 6 else ""), 34)
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
    svg, png = save_figure(fig, title)
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

    def walk(c: str, depth: int, prefix: list[bool], last: bool) -> None:
        out.append((depth, prefix, last, c))
        ch = sorted(kids.get(c, []), key=lambda x: (lab(x).lower(), x))
        ch = [x for x in ch if sorted(parents.get(x, []))[0] == c]
        for i, x in enumerate(ch):
            walk(x, depth + 1, prefix + ([not last] if depth else []), i == len(ch) - 1)

    walk(root, 0, [], True)
    return out
