"""The entity pages of the docs site (one per actor, place, event, agreement and document) and
their index."""
from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from tajsec.core.namespaces import TS
from tajsec.graph.evidence import provenance
from tajsec.graph.time import pretty_date
from tajsec.site.cards import card
from tajsec.site.frame import page
from tajsec.site.links import PageContext
from tajsec.site.model import SiteModel
from tajsec.site.rdf import schema_org_block
from tajsec.site.text import esc, local_name, slug
from tajsec.site.vocab import ALT, ENTITY_ROOTS, HIDDEN_ON_ENTITY, PROV, ROOT_TITLES, SKOS, TYPE


def entity_page(m: SiteModel, e: str) -> tuple[str, bytes]:
    g = m.g
    ctx = PageContext(m, m.path[e])
    name = g.label(e)
    kinds = m.kinds(e)
    std = sorted(t for t in g.types.get(e, ()) if not t.startswith(TS))
    facts = []
    facts.append(f"<dt>IRI</dt><dd><code>{esc(e)}</code></dd>")
    if kinds:
        facts.append("<dt>Type</dt><dd>" + ", ".join(ctx.iri_link(k) for k in kinds) + "</dd>")
    if std:
        facts.append("<dt>Standard types</dt><dd>" + ", ".join(ctx.iri_link(t) for t in std) + "</dd>")
    alts = sorted({o.value for o in g.objects(e, ALT)})
    if alts:
        facts.append("<dt>Also written</dt><dd>" + "; ".join(f"\u201c{esc(a)}\u201d" for a in alts) + "</dd>")
    for w in g.iris(e, SKOS + "exactMatch"):
        qid = local_name(w)
        facts.append(f'<dt>Wikidata</dt><dd><a class="ext" href="{esc(w)}">{esc(qid)}</a></dd>')
    own: dict[str, list] = defaultdict(list)
    for p, o in g.out.get(e, []):
        if p in HIDDEN_ON_ENTITY or g.is_derived(e, p, o):
            continue
        own[p].append(o)
    for p in sorted(own, key=lambda p: (g.label(p).lower(), p)):
        facts.append(f"<dt>{ctx.prop_name(p)}</dt><dd>{', '.join(ctx.value(o) for o in own[p])}</dd>")
    intro = []
    prov = provenance(g, e)
    if prov.quote is not None or prov.sections:
        where = " in section " + ", ".join(ctx.iri_link(s) for s in prov.sections) if prov.sections else ""
        intro.append(f'<p class="first-mention">First named{where}:</p>')
        if prov.quote is not None:
            intro.append(f'<blockquote class="quote">\u201c{esc(prov.quote)}\u201d</blockquote>')
    for note in prov.notes:
        intro.append(f'<details class="note"><summary>Editorial note</summary><p>{esc(note)}</p></details>')

    about = m.statements_about(e)

    def sort_key(item: tuple[str, list[str]]) -> tuple:
        s, _ = item
        return (*m.time_key(s), g.label(s).lower(), s)

    about.sort(key=sort_key)
    dated = sum(1 for s, _ in about if not m.time_key(s)[0])
    cards = "\n".join(card(ctx, s, roles, anchor=(m.home.get(s) == e)) for s, roles in about)
    body = [f"<h1>{esc(name)}</h1>", f'<dl class="facts">{"".join(facts)}</dl>', *intro]
    if e in m.papers:
        n = sum(1 for s, p in g.inc.get(e, []) if p == PROV + "wasDerivedFrom")
        body.append(f'<p class="note-box">Every one of the {n:,} statements of the graph is derived from this '
                    f"text; they are listed on the pages of its sections (see Related below) and of the "
                    f"entities they are about.</p>")
    body.append(f'<h2 id="statements">Statements ({len(about)})</h2>')
    if about:
        body.append(f'<p class="hint">Every statement, event and agreement that names {esc(name)}; the '
                    f"{dated} dated ones first, in time order, then the undated ones.</p>")
        body.append(f'<div class="cards">{cards}</div>')
    else:
        body.append("<p>No statement names it.</p>")
    related_rows = related(ctx, e)
    if related_rows:
        body.append(f'<h2 id="related">Related ({len(related_rows)})</h2>')
        body.append('<table class="related"><thead><tr><th>link</th><th>entity</th></tr></thead><tbody>'
                    + "".join(related_rows) + "</tbody></table>")
        body.append('<p class="hint"><span class="badge">derived</span> marks a shortcut triple the build '
                    "derived from a statement.</p>")
    root = m.entity_root(e)
    crumbs = [("index.html", "Home"), ("entities/index.html", "Entities"),
              (f"entities/index.html#{slug(local_name(root)) if root else 'other'}", ROOT_TITLES[root])]
    return m.path[e], page(ctx, name, "\n".join(body), crumbs, head="\n" + schema_org_block(m, e))


def related(ctx: PageContext, e: str) -> list[str]:
    m = ctx.model
    g = m.g
    rows = []
    for p, o in g.out.get(e, []):
        if isinstance(o, ox.NamedNode) and o.value in m.entity_set and o.value != e and p not in (TYPE,):
            badge = ' <span class="badge">derived</span>' if g.is_derived(e, p, o) else ""
            rows.append(((0, g.label(p).lower(), g.label(o.value).lower(), o.value),
                         f"<tr><td>{ctx.prop_name(p)} →</td><td>{ctx.iri_link(o.value)}{badge}</td></tr>"))
    for s, p in g.inc.get(e, []):
        if s in m.entity_set and s != e:
            badge = ' <span class="badge">derived</span>' if g.is_derived(s, p, ox.NamedNode(e)) else ""
            rows.append(((1, g.label(p).lower(), g.label(s).lower(), s),
                         f"<tr><td>← {ctx.prop_name(p)}</td><td>{ctx.iri_link(s)}{badge}</td></tr>"))
    rows.sort()
    return [r for _, r in rows]


def entities_index(m: SiteModel) -> tuple[str, bytes]:
    ctx = PageContext(m, "entities/index.html")
    groups: dict[str, list[str]] = defaultdict(list)
    for e in m.entities:
        groups[m.entity_root(e)].append(e)
    parts = ["<h1>Entities</h1>",
             (f"<p>{len(m.entities):,} pages, one per actor, place, event, agreement and document of the "
             "graph. Statements, quantities and time intervals have no page of their own: they are shown on "
             "the pages of the entities they name, and each statement has its home on the page of the "
             "section of the paper that makes it.</p>"), '<ul class="toc">']
    order = [r for r in ENTITY_ROOTS if r in groups] + ([""] if "" in groups else [])
    for r in order:
        parts.append(f'<li><a href="#{slug(local_name(r)) if r else "other"}">{esc(ROOT_TITLES[r])}</a> '
                     f"({len(groups[r])})</li>")
    parts.append("</ul>")
    for r in order:
        ident = slug(local_name(r)) if r else "other"
        parts.append(f'<h2 id="{ident}">{esc(ROOT_TITLES[r])} ({len(groups[r])})</h2>')
        rows = []
        for e in groups[r]:
            n = len(m.statements_about(e))
            start, _ = m.node_dates(e) if r == TS + "Event" else (None, None)
            key = ((start or "9999") if r == TS + "Event" else "", m.g.label(e).lower(), e)
            kinds = ", ".join(esc(m.g.label(k)) for k in m.kinds(e))
            when = f'<td>{esc(pretty_date(start)) if start else ""}</td>' if r == TS + "Event" else ""
            rows.append((key, (f"<tr>{when}<td>{ctx.iri_link(e)}</td><td>{kinds}</td>"
                              f'<td class="num">{n}</td></tr>')))
        rows.sort()
        head = "<th>date</th>" if r == TS + "Event" else ""
        parts.append(f'<table class="list"><thead><tr>{head}<th>name</th><th>type</th>'
                     f'<th class="num">statements</th></tr></thead><tbody>'
                     + "".join(x for _, x in rows) + "</tbody></table>")
    return "entities/index.html", page(ctx, "Entities", "\n".join(parts), [("index.html", "Home")])
