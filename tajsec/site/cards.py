"""The card of a statement, event or agreement: what it says, when, and where the paper says it."""
from __future__ import annotations

from collections import defaultdict

from tajsec.core.namespaces import TS
from tajsec.graph.models import read_statement
from tajsec.site.links import PageContext
from tajsec.site.text import esc
from tajsec.site.vocab import HIDDEN_ON_CARD, PROPERTY_ORDER
from tajsec.timeline.words import when_text

_ORDER = {p: i for i, p in enumerate(PROPERTY_ORDER)}


def card(ctx: PageContext, n: str, roles: list[str] | None = None, anchor: bool = True) -> str:
    """A statement, event or agreement: what it says, when, and where the paper says it."""
    m = ctx.model
    g = m.g
    kinds = m.kinds(n)
    st = read_statement(g, n)
    negated = st.negated
    head = []
    if st.span:
        head.append(f'<span class="when">{esc(st.span.pretty())}</span>')
    elif n in m.timeline.things and m.timeline.dated(n):  # no date of its own: the bounds time gives
        head.append(f'<span class="when">{esc(when_text(m.timeline, m.timeline.things[n].key))}</span>')
    head += [f'<span class="kind">{ctx.iri_link(k)}</span>' for k in kinds]
    if negated and TS + "Claim" in g.all_types(n):
        # a negated claim states the denial in its own text: it is a denial, not a claim the paper rejects
        head.append('<span class="neg">a denial: the holder says that something is not so</span>')
    elif negated:
        head.append('<span class="neg">negated: the paper says this is not so</span>')
    if roles:
        head.append('<span class="role">as ' + ", ".join(ctx.prop_name(r) for r in roles) + "</span>")
    title = esc(g.label(n))
    if n in m.entity_set:  # an event or agreement has its own page
        title = ctx.a(m.path[n], title)
    rows = []
    summary = ""
    if TS + "RelationStatement" in g.all_types(n):
        subj, pred, obj = g.first(n, TS + "subject"), g.first(n, TS + "predicate"), g.first(n, TS + "object")
        obj = obj if obj is not None else g.first(n, TS + "value")
        if subj is not None and pred is not None and obj is not None:
            summary = (f'<p class="triple{" negated" if negated else ""}">{ctx.value(subj)} '
                       f'<span class="pred">{"<b>not</b> " if negated else ""}{ctx.prop_name(pred.value)}</span> '
                       f"{ctx.value(obj)}</p>")
    props = [(p, o) for p, o in g.out.get(n, []) if p not in HIDDEN_ON_CARD and not g.is_derived(n, p, o)]
    grouped: dict[str, list] = defaultdict(list)
    for p, o in props:
        grouped[p].append(o)
    for p in sorted(grouped, key=lambda p: (_ORDER.get(p, len(_ORDER)), g.label(p).lower(), p)):
        vals = ", ".join(ctx.value(o) for o in grouped[p])
        rows.append(f"<dt>{ctx.prop_name(p)}</dt><dd>{vals}</dd>")
    prov = st.provenance
    quote = prov.quote
    src = []
    for s in prov.sections:
        src.append("section " + ctx.iri_link(s))
    for f in prov.footnotes:
        src.append(ctx.iri_link(f.iri, f"footnote {esc(f.number if f.number is not None else g.label(f.iri))}"))
    if prov.pages:
        src.append("page " + ", ".join(esc(p) for p in prov.pages))
    cited = [w for w in prov.sources if w not in m.papers]
    if cited:
        src.append("cites " + "; ".join(ctx.iri_link(w) for w in cited))
    notes = prov.notes
    cls = "card" + (" negated" if negated else "")
    ident = f' id="{m.anchor(n)}"' if anchor and n in m.statement_set else ""
    out = [f'<article class="{cls}"{ident}>', f'<div class="card-head">{" ".join(head)}</div>',
           f'<h3>{title}</h3>', summary]
    if rows:
        out.append(f'<dl class="props">{"".join(rows)}</dl>')
    if quote is not None:
        out.append(f'<blockquote class="quote">\u201c{esc(quote)}\u201d</blockquote>')
    if src:
        out.append(f'<p class="src">{" · ".join(src)}</p>')
    for note in notes:
        out.append(f'<details class="note"><summary>Editorial note</summary><p>{esc(note)}</p></details>')
    out.append("</article>")
    return "\n".join(x for x in out if x)
