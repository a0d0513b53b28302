"""The SHACL shapes as the docs site shows them: an index of node shapes and their property
shapes (read with the project's one loader), the list of shapes on a term's page, and the
shapes page."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from tajsec.core.namespaces import shorten, sparql_prologue
from tajsec.core.terms import Term, solutions
from tajsec.graph.index import term_key
from tajsec.io.load import parse_file
from tajsec.site.frame import page
from tajsec.site.links import PageContext
from tajsec.site.text import esc, local_name, slug
from tajsec.site.vocab import SH, TYPE

if TYPE_CHECKING:
    from tajsec.site.model import SiteModel

SHAPES_PAGE = "shapes/index.html"

_NODE_SHAPES = """SELECT ?s ?label ?target WHERE { ?s a sh:NodeShape . OPTIONAL { ?s rdfs:label ?label }
  OPTIONAL { ?s sh:targetClass ?target } } ORDER BY ?s ?target"""
_PROPERTY_SHAPES = """SELECT ?ns ?ps ?path WHERE {
  ?ns a sh:NodeShape .
  ?ns (sh:property|sh:xone/rdf:rest*/rdf:first|sh:or/rdf:rest*/rdf:first|sh:and/rdf:rest*/rdf:first) ?ps .
  ?ps sh:path ?path } ORDER BY ?ns ?path ?ps"""


@dataclass
class ShapeIndex:
    """node shape IRI -> {"label", "targets", "props"}; each property shape a dict with its IRI
    (None if blank), path, constraints (sorted (predicate, object) pairs), message, severity."""
    node_shapes: dict[str, dict] = field(default_factory=dict)
    path_shapes: dict[str, list[tuple[str, dict]]] = field(default_factory=lambda: defaultdict(list))
    class_value_shapes: dict[str, list[tuple[str, dict]]] = field(default_factory=lambda: defaultdict(list))

    def paths(self) -> dict[str, str]:
        """Where each shape is shown on the site."""
        out = {"shapes": SHAPES_PAGE}
        for ns, d in self.node_shapes.items():
            out[ns] = f"{SHAPES_PAGE}#{slug(local_name(ns))}"
            for ps in d["props"]:
                if ps["iri"]:
                    out[ps["iri"]] = f"{SHAPES_PAGE}#{slug(local_name(ps['iri']))}"
        return out


def _rows(store: ox.Store, sparql: str) -> list[dict]:
    res = solutions(store.query(sparql_prologue() + sparql))
    names = [v.value for v in res.variables]
    return [{n: r[n] for n in names} for r in res]


def _property_shape(store: ox.Store, ps: ox.NamedNode | ox.BlankNode, path: str) -> dict:
    cons = []
    message = severity = None
    for q in store.quads_for_pattern(ps, None, None, None):
        p = q.predicate.value
        if p == SH + "message":
            message = cast(Term, q.object).value
        elif p == SH + "severity":
            severity = local_name(cast(Term, q.object).value)
        elif p not in (SH + "path", TYPE):
            cons.append((p, cast(Term, q.object)))  # no triple terms: the loader refuses them
    cons.sort(key=lambda c: (c[0], term_key(c[1])))
    return {"iri": ps.value if isinstance(ps, ox.NamedNode) else None, "path": path,
            "constraints": cons, "message": message, "severity": severity}


def load_shapes(shape_files: list[Path]) -> ShapeIndex:
    store = ox.Store()
    for f in shape_files:
        store.extend(parse_file(f, ox.DefaultGraph()))
    index = ShapeIndex()
    node_shapes = index.node_shapes
    for r in _rows(store, _NODE_SHAPES):
        if not isinstance(r["s"], ox.NamedNode):
            continue
        d = node_shapes.setdefault(r["s"].value, {"label": None, "targets": [], "props": []})
        if r["label"] is not None:
            d["label"] = r["label"].value
        if r["target"] is not None and r["target"].value not in d["targets"]:
            d["targets"].append(r["target"].value)
    seen = set()
    for r in _rows(store, _PROPERTY_SHAPES):
        ns = r["ns"].value
        if ns not in node_shapes or not isinstance(r["path"], ox.NamedNode):
            continue
        key = (ns, str(r["ps"]))
        if key in seen:
            continue
        seen.add(key)
        node_shapes[ns]["props"].append(_property_shape(store, r["ps"], r["path"].value))
    for d in node_shapes.values():
        d["props"].sort(key=lambda p: (p["path"], p["iri"] or "", repr(p["constraints"])))
    for ns, d in sorted(node_shapes.items()):
        for ps in d["props"]:
            index.path_shapes[ps["path"]].append((ns, ps))
            for p, o in ps["constraints"]:
                if p == SH + "class" and isinstance(o, ox.NamedNode):
                    index.class_value_shapes[o.value].append((ns, ps))
    return index


def shapes_list(ctx: PageContext, items: list[tuple[str, dict]]) -> str:
    m = ctx.model
    lis = []
    for ns, ps in items:
        target = ps["iri"] if ps["iri"] else ns
        name = shorten(ps["iri"]) if ps["iri"] else f"{shorten(ns)} (a property shape inside it)"
        cons = ", ".join(f"{local_name(p)} {esc(shorten(o.value) if isinstance(o, ox.NamedNode) else o.value)}"
                         for p, o in ps["constraints"] if not isinstance(o, ox.BlankNode))
        lis.append(f"<li>{ctx.a(m.path[target], esc(name))}"
                   + (f" <small>({cons})</small>" if cons else "")
                   + (f'<br><span class="msg">{esc(ps["message"])}</span>' if ps["message"] else "") + "</li>")
    return "<ul>" + "".join(lis) + "</ul>"


def shapes_page(m: SiteModel) -> tuple[str, bytes]:
    ctx = PageContext(m, SHAPES_PAGE)
    body = ["<h1>SHACL shapes</h1>",
            (f"<p>The {len(m.shapes.node_shapes)} node shapes in <code>shapes/</code>: the contract for data "
            "written in the ontology. Each property shape lists its constraints, severity and message.</p>"),
            '<ul class="toc">']
    for ns in sorted(m.shapes.node_shapes):
        body.append(f'<li><a href="#{slug(local_name(ns))}">{esc(shorten(ns))}</a></li>')
    body.append("</ul>")
    for ns, d in sorted(m.shapes.node_shapes.items()):
        targets = ", ".join(ctx.iri_link(t) for t in d["targets"]) or "none"
        body.append(f'<section class="shape" id="{slug(local_name(ns))}"><h2>{esc(d["label"] or shorten(ns))} '
                    f"<code>{esc(shorten(ns))}</code></h2><p>Target classes: {targets}</p>")
        rows = []
        for ps in d["props"]:
            ident = f' id="{slug(local_name(ps["iri"]))}"' if ps["iri"] else ""
            cons = "<br>".join(
                f"<code>sh:{esc(local_name(p))}</code> "
                + (ctx.iri_link(o.value) if isinstance(o, ox.NamedNode) else
                   "(a list or node)" if isinstance(o, ox.BlankNode) else f"<code>{esc(o.value)}</code>")
                for p, o in ps["constraints"])
            rows.append(f"<tr{ident}><td>{ctx.iri_link(ps['path'])}<br><small>"
                        f"{esc(shorten(ps['iri'])) if ps['iri'] else 'unnamed, inside a list'}</small></td>"
                        f"<td>{cons}</td><td>{esc(ps['severity'] or '')}</td><td>{esc(ps['message'] or '')}</td></tr>")
        body.append('<table class="list"><thead><tr><th>path</th><th>constraints</th><th>severity</th>'
                    "<th>message</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></section>")
    return SHAPES_PAGE, page(ctx, "SHACL shapes", "\n".join(body), [("index.html", "Home")])
