"""The machine-readable side of the docs site: beside each page of a node (entity, class,
property, concept scheme; the ontology's and the shapes' index pages stand for the whole
ontology and all the shapes, as /onto and /shapes do in serve), its description in Turtle and
JSON-LD (the same triples `tajsec serve` gives for the IRI: tajsec.graph.describe_rdf),
`<link rel="alternate">` to them in the page's head, and on an entity page a schema.org JSON-LD
block for search engines."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from tajsec.core.namespaces import ONTOLOGY_IRI, PREFIXES, TS
from tajsec.graph.describe_rdf import ALL_SHAPES, describe_node, graph_triples, ontology_graphs, shapes_store
from tajsec.site.text import esc
from tajsec.site.vocab import ALT, SCHEMA

if TYPE_CHECKING:
    from tajsec.site.links import PageContext
    from tajsec.site.model import SiteModel

# (extension, media type, serialiser) of each file written beside a node's page
ALTERNATES = ((".ttl", "text/turtle", ox.RdfFormat.TURTLE), (".jsonld", "application/ld+json", ox.RdfFormat.JSON_LD))
# the schema.org type of an entity, by the first of its ts: types (with super-classes) listed here
SCHEMA_TYPES = ((TS + "Person", "Person"), (TS + "Organisation", "Organization"), (TS + "Place", "Place"),
                (TS + "Event", "Event"), (TS + "Agreement", "CreativeWork"), (TS + "Document", "CreativeWork"))


def rdf_files(m: SiteModel) -> dict[str, bytes]:
    """The Turtle and JSON-LD description beside every node's page, and beside the ontology's
    and the shapes' index pages the whole ontology and all the shapes (as serve's /onto and
    /shapes)."""
    files = {}
    for path, iri in sorted(m.described.items()):
        if iri == ONTOLOGY_IRI:
            triples = graph_triples(m.built.store, ontology_graphs(m.project, m.built))
        elif iri == ALL_SHAPES:
            triples = graph_triples(shapes_store(m.project))
        else:
            triples = describe_node(m.built.store, iri)
        triples = _canonical(triples)
        stem = path[: -len(".html")]
        for ext, _, fmt in ALTERNATES:
            files[stem + ext] = cast(bytes, ox.serialize(triples, format=fmt, prefixes=PREFIXES))  # no file: bytes
    return files


def _canonical(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples with their blank nodes named by RDFC-1.0, sorted: a parse names blank nodes at
    random, and the site's files must be the same bytes from the same inputs."""
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted((ox.Triple(q.subject, q.predicate, q.object) for q in ds), key=str)


def alternate_links(ctx: PageContext) -> str:
    """The `<link rel="alternate">` elements of the page `ctx.here`: its node's RDF files, if it
    is a node's page or the ontology's or the shapes' index; the home page and the other
    indexes (entities, questions) have no RDF of their own."""
    if ctx.here not in ctx.model.described:
        return ""
    stem = ctx.here.rsplit("/", 1)[-1][: -len(".html")]
    return "".join(f'\n<link rel="alternate" type="{media}" href="{esc(stem + ext)}">' for ext, media, _ in ALTERNATES)


def schema_org_block(m: SiteModel, e: str) -> str:
    """A `<script type="application/ld+json">` describing entity `e` in schema.org terms."""
    types = m.g.all_types(e)
    kind = next((name for iri, name in SCHEMA_TYPES if iri in types), "Thing")
    data: dict = {"@context": SCHEMA.rstrip("/"), "@type": kind, "@id": e, "name": m.g.label(e)}
    alts = sorted({o.value for o in m.g.objects(e, ALT)})
    if alts:
        data["alternateName"] = alts
    same = sorted(m.g.iris(e, PREFIXES["skos"] + "exactMatch"))
    if same:
        data["sameAs"] = same
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    # JSON inside <script> must not close the element
    return '<script type="application/ld+json">\n' + text.replace("</", "<\\/") + "\n</script>"
