"""The ontology pages of the docs site: a page per class, property and concept scheme, and the
index of terms with the class tree."""
from __future__ import annotations

from collections import defaultdict

from tajsec.core.namespaces import ONTOLOGY_IRI, TS, TSD, shorten
from tajsec.site.frame import licence_link, page
from tajsec.site.links import PageContext
from tajsec.site.model import SiteModel
from tajsec.site.shapes import shapes_list
from tajsec.site.text import esc, local_name, slug
from tajsec.site.vocab import DCT, LABEL, OWL, RDFS, SKOS


def annotation_lines(ctx: PageContext, t: str) -> list[str]:
    m = ctx.model
    g = m.g
    out = []
    for o in g.objects(t, SKOS + "definition"):
        out.append(f'<p class="definition">{esc(o.value)}</p>')
    for p, name in ((SKOS + "example", "Example"), (SKOS + "scopeNote", "Scope note"),
                    (SKOS + "editorialNote", "Editorial note"), (SKOS + "historyNote", "History"),
                    (RDFS + "comment", "Comment")):
        for o in g.objects(t, p):
            out.append(f'<p class="annot"><span class="annot-name">{name}:</span> {esc(o.value)}</p>')
    if any(o.value == "true" for o in g.objects(t, OWL + "deprecated")):
        repl = ", ".join(ctx.iri_link(x) for x in g.iris(t, DCT + "isReplacedBy"))
        out.append(f'<p class="note-box">Deprecated{"; replaced by " + repl if repl else ""}.</p>')
    return out


def class_page(m: SiteModel, c: str) -> tuple[str, bytes]:
    g = m.g
    ctx = PageContext(m, m.path[c])
    name = g.label(c)
    body = [f"<h1>{esc(name)} <small class=\"kind-tag\">class</small></h1>",
            f'<p class="iri"><code>{esc(shorten(c))}</code> · <code>{esc(c)}</code></p>', *annotation_lines(ctx, c)]
    supers = sorted(g.supers.get(c, ()))
    own_supers = [s for s in supers if s.startswith(TS)]
    aligned = [s for s in supers if not s.startswith(TS)]
    subs = sorted(s for s in m.classes if c in g.supers.get(s, ()))
    rows = []
    if own_supers:
        rows.append("<dt>Subclass of</dt><dd>" + ", ".join(ctx.iri_link(s) for s in own_supers) + "</dd>")
    if subs:
        rows.append("<dt>Subclasses</dt><dd>" + ", ".join(ctx.iri_link(s) for s in subs) + "</dd>")
    chain = sorted(a for a in g.ancestors(c) if a != c and a.startswith(TS) and a not in own_supers)
    if chain:
        rows.append("<dt>Also a kind of</dt><dd>" + ", ".join(ctx.iri_link(s) for s in chain) + "</dd>")
    for p, label in ((OWL + "equivalentClass", "Equivalent to"), (OWL + "disjointWith", "Disjoint with")):
        vals = g.iris(c, p)
        if vals:
            rows.append(f"<dt>{label}</dt><dd>" + ", ".join(ctx.iri_link(v) for v in vals) + "</dd>")
    body.append(f'<dl class="facts">{"".join(rows)}</dl>')
    # alignments: superclasses outside ts:, with those they inherit
    ext = sorted({a for a in g.ancestors(c) if not a.startswith(TS)})
    body.append("<h2>Alignments to standard vocabularies</h2>")
    if ext:
        body.append("<ul>" + "".join(
            f"<li>{ctx.iri_link(a)} {('<small>(directly)</small>' if a in aligned else '<small>(inherited)</small>')}"
            f"{' — ' + esc(g.label(a)) if g.objects(a, LABEL) else ''}</li>" for a in ext) + "</ul>")
    else:
        body.append("<p>None.</p>")
    dom = sorted(p for p in m.properties if c in g.iris(p, RDFS + "domain"))
    rng = sorted(p for p in m.properties if c in g.iris(p, RDFS + "range"))
    body.append("<h2>Properties</h2>")
    if dom or rng:
        if dom:
            body.append("<p>With this class as <b>domain</b>: " + ", ".join(ctx.iri_link(p) for p in dom) + "</p>")
        if rng:
            body.append("<p>With this class as <b>range</b>: " + ", ".join(ctx.iri_link(p) for p in rng) + "</p>")
    else:
        body.append("<p>No property names this class as its domain or range.</p>")
    body.append("<h2>SHACL shapes</h2>")
    targeting = [ns for ns, d in sorted(m.shapes.node_shapes.items()) if c in d["targets"]]
    valued = m.shapes.class_value_shapes.get(c, [])
    if targeting:
        body.append("<p>Node shapes with this <code>sh:targetClass</code>:</p><ul>" + "".join(
            f"<li>{ctx.a(m.path[ns], esc(shorten(ns)))} — {len(m.shapes.node_shapes[ns]['props'])} property "
            f"shapes</li>" for ns in targeting) + "</ul>")
    if valued:
        body.append("<p>Property shapes whose values must be of this class (<code>sh:class</code>):</p>"
                    + shapes_list(ctx, valued))
    if not targeting and not valued:
        body.append("<p>No shape targets this class or requires values of it.</p>")
    inst = sorted((e for e in m.entities if c in g.types.get(e, ())), key=lambda e: (g.label(e).lower(), e))
    direct = sum(1 for n in g.out if n.startswith(TSD) and c in g.types.get(n, ()))
    body.append(f"<h2>In the graph</h2><p>{direct:,} nodes have this type"
                f"{' (counting those of its subclasses, which the build types with it too)' if subs else ''}."
                "</p>")
    if inst:
        body.append('<ul class="cols">' + "".join(f"<li>{ctx.iri_link(e)}</li>" for e in inst) + "</ul>")
    crumbs = [("index.html", "Home"), ("terms/index.html", "Ontology")]
    return m.path[c], page(ctx, name, "\n".join(body), crumbs)


def property_page(m: SiteModel, p: str) -> tuple[str, bytes]:
    g = m.g
    ctx = PageContext(m, m.path[p])
    name = g.label(p)
    types = g.types.get(p, set())
    kind = ("object property" if OWL + "ObjectProperty" in types else
            "datatype property" if OWL + "DatatypeProperty" in types else "annotation property")
    body = [f"<h1>{esc(name)} <small class=\"kind-tag\">{kind}</small></h1>",
            f'<p class="iri"><code>{esc(shorten(p))}</code> · <code>{esc(p)}</code></p>', *annotation_lines(ctx, p)]
    rows = []
    for prop, label in ((RDFS + "domain", "Domain"), (RDFS + "range", "Range"),
                        (OWL + "inverseOf", "Inverse of"), (OWL + "equivalentProperty", "Equivalent to")):
        vals = g.iris(p, prop)
        if vals:
            rows.append(f"<dt>{label}</dt><dd>" + ", ".join(ctx.iri_link(v) for v in vals) + "</dd>")
    chars = sorted(local_name(t) for t in types if t.startswith(OWL) and t not in (
        OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty"))
    if chars:
        rows.append("<dt>Characteristics</dt><dd>" + ", ".join(esc(c) for c in chars) + "</dd>")
    supers = g.iris(p, RDFS + "subPropertyOf")
    own = [s for s in supers if s.startswith(TS)]
    ext = [s for s in supers if not s.startswith(TS)]
    if own:
        rows.append("<dt>Subproperty of</dt><dd>" + ", ".join(ctx.iri_link(s) for s in own) + "</dd>")
    subs = sorted(s for s in m.properties if p in g.iris(s, RDFS + "subPropertyOf"))
    if subs:
        rows.append("<dt>Subproperties</dt><dd>" + ", ".join(ctx.iri_link(s) for s in subs) + "</dd>")
    body.append(f'<dl class="facts">{"".join(rows)}</dl>')
    body.append("<h2>Alignments to standard vocabularies</h2>")
    if ext:
        body.append("<ul>" + "".join(f"<li>sub-property of {ctx.iri_link(s)}</li>" for s in ext) + "</ul>")
    else:
        body.append("<p>None.</p>")
    body.append("<h2>SHACL shapes</h2>")
    items = m.shapes.path_shapes.get(p, [])
    if items:
        body.append("<p>Property shapes with this <code>sh:path</code>:</p>" + shapes_list(ctx, items))
    else:
        body.append("<p>No shape constrains this property.</p>")
    uses = [(s, o) for s in sorted(g.out) for q, o in g.out[s] if q == p and s.startswith(TSD)]
    body.append(f"<h2>In the graph</h2><p>Used in {len(uses):,} triples.</p>")
    if uses:
        ex = []
        for s, o in uses[:8]:
            ex.append(f"<li>{ctx.iri_link(s)} → {ctx.value(o)}</li>")
        body.append("<p>For example:</p><ul>" + "".join(ex) + "</ul>")
    crumbs = [("index.html", "Home"), ("terms/index.html", "Ontology")]
    return m.path[p], page(ctx, name, "\n".join(body), crumbs)


def scheme_page(m: SiteModel, s: str) -> tuple[str, bytes]:
    g = m.g
    ctx = PageContext(m, m.path[s])
    name = g.label(s)
    concepts = sorted((c for c, sc in m.concepts.items() if sc == s), key=lambda c: (g.label(c).lower(), c))
    body = [f"<h1>{esc(name)} <small class=\"kind-tag\">concept scheme</small></h1>",
            f'<p class="iri"><code>{esc(shorten(s))}</code> · <code>{esc(s)}</code></p>', *annotation_lines(ctx, s),
            f"<h2>Concepts ({len(concepts)})</h2>"]
    for c in concepts:
        types = ", ".join(ctx.iri_link(t) for t in sorted(g.types.get(c, ())) if t.startswith(TS))
        notation = g.first(c, SKOS + "notation")
        uses = len([1 for x, _ in g.inc.get(c, []) if x.startswith(TSD)])
        extra = []
        if types:
            extra.append("a " + types)
        if notation is not None:
            extra.append(f"notation <code>{esc(notation.value)}</code>")
        for b in g.iris(c, SKOS + "broader"):
            extra.append("broader " + ctx.iri_link(b))
        extra.append(f"used {uses:,} time{'s' if uses != 1 else ''} in the data")
        body.append(f'<section class="concept" id="{slug(local_name(c))}"><h3>{esc(g.label(c))} '
                    f"<code>{esc(shorten(c))}</code></h3>{''.join(annotation_lines(ctx, c))}"
                    f'<p class="meta">{" · ".join(extra)}</p></section>')
    crumbs = [("index.html", "Home"), ("terms/index.html", "Ontology")]
    return m.path[s], page(ctx, name, "\n".join(body), crumbs)


def class_tree_html(ctx: PageContext) -> str:
    m = ctx.model
    g = m.g
    kids: dict[str, list[str]] = defaultdict(list)
    roots = []
    for c in m.classes:
        ps = sorted(x for x in g.supers.get(c, ()) if x.startswith(TS) and x in m.path)
        if ps:
            kids[ps[0]].append(c)
        else:
            roots.append(c)

    def walk(c: str) -> str:
        ch = sorted(kids.get(c, []), key=lambda x: (g.label(x).lower(), x))
        inner = "<ul>" + "".join(walk(x) for x in ch) + "</ul>" if ch else ""
        return f"<li>{ctx.iri_link(c)}{inner}</li>"

    roots.sort(key=lambda x: (g.label(x).lower(), x))
    return '<ul class="tree">' + "".join(walk(r) for r in roots) + "</ul>"


def terms_index(m: SiteModel) -> tuple[str, bytes]:
    g = m.g
    ctx = PageContext(m, "terms/index.html")
    title = g.first(ONTOLOGY_IRI, DCT + "title")
    desc = g.first(ONTOLOGY_IRI, DCT + "description")
    vi = g.first(ONTOLOGY_IRI, OWL + "versionIRI")
    body = [f"<h1>{esc(title.value if title is not None else 'The ts: ontology')}</h1>"]
    if desc is not None:
        body.append(f"<p>{esc(desc.value)}</p>")
    body.append('<dl class="facts">'
                f"<dt>Ontology IRI</dt><dd><code>{esc(ONTOLOGY_IRI)}</code></dd>"
                + (f"<dt>Version</dt><dd>{esc(m.version)} (<code>{esc(vi.value)}</code>)</dd>"
                   if vi is not None else "")
                + f"<dt>Namespace</dt><dd><code>ts: &lt;{esc(TS)}&gt;</code></dd>"
                f"<dt>Licence</dt><dd>{licence_link(m)}</dd>"
                f"<dt>Terms</dt><dd>{len(m.classes)} classes, {len(m.properties)} properties, "
                f"{len(m.schemes)} concept schemes with {len(m.concepts)} concepts</dd></dl>")
    body.append(f'<p>The picture of the main classes is on the {ctx.a("index.html#picture-ontology", "home page")}; '
                f'the SHACL shapes are on {ctx.a("shapes/index.html", "their own page")}.</p>')
    body.append('<h2 id="classes">Classes</h2>' + class_tree_html(ctx))
    body.append('<h2 id="properties">Properties</h2>')
    groups = [("Object properties", OWL + "ObjectProperty"), ("Datatype properties", OWL + "DatatypeProperty"),
              ("Annotation properties", OWL + "AnnotationProperty")]
    for gname, t in groups:
        ps = sorted((p for p in m.properties if t in g.types.get(p, ())), key=lambda p: (g.label(p).lower(), p))
        if not ps:
            continue
        rows = "".join(
            f"<tr><td>{ctx.iri_link(p)}</td><td><code>{esc(shorten(p))}</code></td>"
            f"<td>{', '.join(ctx.iri_link(d) for d in g.iris(p, RDFS + 'domain'))}</td>"
            f"<td>{', '.join(ctx.iri_link(r) for r in g.iris(p, RDFS + 'range'))}</td></tr>" for p in ps)
        body.append(f"<h3>{gname} ({len(ps)})</h3><table class=\"list\"><thead><tr><th>label</th><th>name</th>"
                    f"<th>domain</th><th>range</th></tr></thead><tbody>{rows}</tbody></table>")
    body.append('<h2 id="schemes">Concept schemes</h2><ul>')
    for s in sorted(m.schemes, key=lambda s: (g.label(s).lower(), s)):
        n = sum(1 for sc in m.concepts.values() if sc == s)
        body.append(f"<li>{ctx.iri_link(s)} ({n} concepts)</li>")
    body.append("</ul>")
    return "terms/index.html", page(ctx, "Ontology", "\n".join(body), [("index.html", "Home")])
