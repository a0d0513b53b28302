"""The home page of the docs site: what the dataset is, its source and licence, counts, the
pictures, how to query and how to cite it."""
from __future__ import annotations

from tajsec.core.namespaces import ONTOLOGY_IRI, TS, TSD, sparql_prologue
from tajsec.core.terms import solutions
from tajsec.graph.build import Built
from tajsec.site.frame import licence_link, page
from tajsec.site.links import PageContext
from tajsec.site.model import SiteModel
from tajsec.site.pictures import Picture
from tajsec.site.text import esc
from tajsec.site.vocab import DCT, OWL


def count(built: Built, sparql: str) -> int:
    """The ?n of a one-row SELECT (0 if unbound)."""
    res = list(solutions(built.query(sparql_prologue() + sparql)))
    return int(float(res[0]["n"].value)) if res and res[0]["n"] is not None else 0


def home_page(m: SiteModel, pictures: list[Picture], qs: list[dict]) -> tuple[str, bytes]:
    ctx = PageContext(m, "index.html")
    g = m.g
    def c(sparql: str) -> int:
        return count(m.built, sparql)

    triples = c("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    by_class = []
    for cls in [TS + x for x in ("Actor", "Person", "State", "Organisation", "GovernmentBody", "SecurityForce",
                                 "Collective", "Place", "Event", "Agreement", "Document", "Footnote")]:
        if cls in m.path:
            n = c(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{cls}> FILTER(STRSTARTS(STR(?e), STR(tsd:))) }}")
            by_class.append((cls, n))
    kinds = []
    for cls in sorted(x for x in m.classes if TS + "Statement" in g.ancestors(x) and x != TS + "Statement"):
        n = c(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{cls}> }}")
        kinds.append((cls, n))
    statements = c("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ts:Statement }")
    quantities = c("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ts:Quantity }")
    claims = c("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ts:Claim }")
    footnotes = c("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ts:Footnote }")
    quotes = c("SELECT (COUNT(DISTINCT ?q) AS ?n) WHERE { ?s ts:evidenceQuote ?q }")
    sections = c("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a ts:Section }")
    fn_min = c("SELECT (MIN(?x) AS ?n) WHERE { ?f a ts:Footnote ; ts:footnoteNumber ?x }")
    fn_max = c("SELECT (MAX(?x) AS ?n) WHERE { ?f a ts:Footnote ; ts:footnoteNumber ?x }")
    paper = sorted(m.papers)[0] if m.papers else None
    author = g.iris(paper, DCT + "creator") if paper else []
    author_html = ", ".join(ctx.iri_link(a) for a in author) or "Anna Matveeva"
    paper_html = ctx.iri_link(paper, f"<cite>{esc(g.label(paper))}</cite>") if paper else \
        "<cite>Tajikistan: Evolution of the Security Sector and the War on Terror</cite>"
    lic = licence_link(m)
    vi = g.first(ONTOLOGY_IRI, OWL + "versionIRI")
    first_q = qs[0]["qf"].name if qs else "agencies-largest-by-personnel"
    body = [
        '<section class="hero"><h1>tajsec: Tajikistan\'s security sector as linked data</h1>',
        (f"<p class=\"lead\">A knowledge graph of every fact in one scholarly paper: {author_html}, {paper_html} "
        "(written late 2004). Each fact keeps its section, footnote, a short verbatim evidence quote and the "
        "work the footnote cites; numbers keep the paper's hedges (\u201cup to 30,000\u201d, \u201cbetween "
        "6,000 and 7,000\u201d), views keep their holders, posts keep their dates.</p></section>"),
        '<nav class="cards-nav" aria-label="sections">',
        ctx.a("index.html#pictures", "<b>Pictures</b><span>structure, assistance, timeline, ontology</span>"),
        ctx.a("entities/index.html", f"<b>Entities</b><span>{len(m.entities):,} pages: actors, places, "
                                      "events, agreements, sources</span>"),
        ctx.a("terms/index.html", f"<b>Ontology</b><span>{len(m.classes)} classes, {len(m.properties)} "
                                   f"properties, {len(m.schemes)} concept schemes</span>"),
        ctx.a("questions/index.html", f"<b>Questions</b><span>{len(qs)} competency questions with their "
                                       "answers</span>"),
        ctx.a("shapes/index.html", f"<b>Shapes</b><span>{len(m.shapes.node_shapes)} SHACL node shapes</span>"),
        ctx.a("timeline.html", "<b>Timeline</b><span>every dated or ordered statement, in time order</span>"),
        "</nav>",
        '<h2 id="source">Source and licence</h2>',
        (f"<p>The only source is the paper by {author_html}, {paper_html}: {sections} sections and "
        f"{footnotes} footnotes (numbered {fn_min} to {fn_max} in the text). Nothing from outside the paper is added, "
        "except links to Wikidata for well-known entities. Where the paper is inconsistent, every form is kept "
        "and an editorial note says so.</p>"),
        (f"<p>The ontology and the data are published under {lic}. The evidence quotes are short verbatim "
        "extracts of the paper, given with attribution, as data.</p>"),
        '<h2 id="counts">What is in it</h2>',
        '<div class="stats">',
        (f'<div><b>{triples:,}</b><span>triples ({m.built.asserted_triples:,} asserted, '
        f"{m.built.derived_triples:,} derived)</span></div>"),
        f"<div><b>{len(m.entities):,}</b><span>entities</span></div>",
        f"<div><b>{statements:,}</b><span>statements</span></div>",
        f"<div><b>{quantities:,}</b><span>quantities</span></div>",
        f"<div><b>{claims:,}</b><span>attributed claims</span></div>",
        f"<div><b>{footnotes:,}</b><span>footnotes</span></div>",
        f"<div><b>{quotes:,}</b><span>evidence quotes</span></div>",
        f"<div><b>{len(qs):,}</b><span>competency questions</span></div>",
        "</div>",
        '<div class="two">',
        '<table class="list"><caption>Entities by class</caption><tbody>'
        + "".join(f"<tr><td>{ctx.iri_link(k)}</td><td class=\"num\">{n:,}</td></tr>" for k, n in by_class)
        + "</tbody></table>",
        '<table class="list"><caption>Statements by kind</caption><tbody>'
        + "".join(f"<tr><td>{ctx.iri_link(k)}</td><td class=\"num\">{n:,}</td></tr>" for k, n in kinds)
        + "</tbody></table>",
        "</div>",
        '<h2 id="pictures">Pictures</h2>',
        "<p>Drawn from the graph by <code>tajsec docs</code>; click a picture to open it at full size.</p>",
    ]
    for p in pictures:
        svg, png = f"pictures/{p.name}.svg", f"pictures/{p.name}.png"
        body.append(
            f'<figure class="picture" id="picture-{esc(p.name)}"><a href="{esc(ctx.href(svg))}">'
            f'<picture><source srcset="{esc(ctx.href(svg))}" type="image/svg+xml">'
            f'<img src="{esc(ctx.href(png))}" alt="{esc(p.alt)}"></picture></a>'
            f"<figcaption><b>{esc(p.title)}.</b> {esc(p.caption)} "
            f'({ctx.a(svg, "SVG")}, {ctx.a(png, "PNG")})</figcaption></figure>')
    body += [
        '<h2 id="query">How to query it</h2>',
        "<p>With the <code>tajsec</code> command line, in a checkout of the repository:</p>",
        "<pre><code>"
        + esc(f"tajsec questions                       # list the competency questions\n"
              f"tajsec query {first_q}\n"
              "tajsec query -e 'PREFIX tsd: <https://w3id.org/tajsec/id/>\n"
              "  PREFIX org: <http://www.w3.org/ns/org#>\n"
              "  SELECT ?parent WHERE { tsd:drug-control-agency org:subOrganizationOf ?parent }'\n"
              "tajsec describe \"Drug Control Agency\"     # an entity card\n"
              "tajsec serve                           # SPARQL endpoint and query page on 127.0.0.1:7878")
        + "</code></pre>",
        ("<p>The graph uses W3C ORG, FOAF, PROV-O, OWL-Time, SKOS and schema.org terms as well as its own, so "
        "it can be queried with the standard vocabularies alone: people are <code>foaf:Person</code>, "
        "organisations <code>org:Organization</code>, events <code>schema:Event</code> with "
        "<code>schema:startDate</code>, numbers <code>schema:QuantitativeValue</code>, and every statement "
        "reaches its source with <code>prov:wasDerivedFrom</code>. Prefixes: "
        f"<code>ts: &lt;{esc(TS)}&gt;</code>, <code>tsd: &lt;{esc(TSD)}&gt;</code>.</p>"),
        '<h2 id="cite">How to cite it</h2>',
        '<blockquote class="cite">tajsec: a knowledge graph of Tajikistan\'s security sector, version '
        f"{esc(m.version)}"
        + (f" (<code>{esc(vi.value)}</code>)" if vi is not None else "")
        + ". Built from Anna Matveeva, <cite>Tajikistan: Evolution of the Security Sector and the War on "
        f"Terror</cite> (written late 2004). Licence: {lic}.</blockquote>",
        ("<p>Cite the paper for its content, and this graph for the encoding. A single fact can be cited by "
        "its IRI, shown on each entity page.</p>"),
    ]
    return "index.html", page(ctx, "Tajikistan's security sector as linked data", "\n".join(body))
