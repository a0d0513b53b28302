"""The machine-readable side of the docs site: beside each page of a node (entity, class,
property, concept scheme; the ontology's and the shapes' index pages stand for the whole
ontology and all the shapes, as /onto and /shapes do in serve), its description in Turtle and
JSON-LD (the same triples `tajsec serve` gives for the IRI: tajsec.graph.describe_rdf),
`<link rel="alternate">` to them in the page's head, and on an entity page a schema.org JSON-LD
block for search engines.

Pages that describe no node have alternates too: the home page the dataset's VoID/DCAT
description (`void.ttl`, `void.jsonld`), the entities index the type and label of every entity
it lists, a question page its SPARQL query and expected answer (`NAME.rq`, `NAME.csv`), and the
questions index a CSV of the questions and their files."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from tajsec.core.namespaces import ONTOLOGY_IRI, PREFIXES, RDF_TYPE, RDFS, TS
from tajsec.graph.describe_rdf import ALL_SHAPES, describe_node, graph_triples, ontology_graphs, shapes_store
from tajsec.publish.void import dataset_description
from tajsec.site.text import esc, slug
from tajsec.site.vocab import ALT, SCHEMA
from tajsec.sparql.queries import QueryFile

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
        files.update(_rdf_beside(path, triples))
    void = list(ox.parse(dataset_description(m.project, m.built).encode("utf-8"), format=ox.RdfFormat.TURTLE))
    files.update(_rdf_beside(HOME, [ox.Triple(q.subject, q.predicate, q.object) for q in void], stem="void"))
    files.update(_rdf_beside(ENTITIES_INDEX, _entity_list(m)))
    files.update(_question_files(m))
    return files


HOME, ENTITIES_INDEX, QUESTIONS_INDEX = "index.html", "entities/index.html", "questions/index.html"


def _rdf_beside(page: str, triples: list[ox.Triple], stem: str | None = None) -> dict[str, bytes]:
    """The Turtle and JSON-LD files of `triples`, named after `page` (or `stem`) in its folder."""
    folder, _, name = page.rpartition("/")
    base = (folder + "/" if folder else "") + (stem or name[: -len(".html")])
    triples = _canonical(triples)
    return {base + ext: cast(bytes, ox.serialize(triples, format=fmt, prefixes=PREFIXES))  # no file: bytes
            for ext, _, fmt in ALTERNATES}


def _entity_list(m: SiteModel) -> list[ox.Triple]:
    """What the entities index says of each entity: its ts: types and its English label."""
    out = []
    for e in m.entities:
        node = ox.NamedNode(e)
        out += [ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(t))
                for t in sorted(m.g.iris(e, RDF_TYPE)) if t.startswith(TS)]
        out.append(ox.Triple(node, ox.NamedNode(RDFS + "label"), ox.Literal(m.g.label(e), language="en")))
    return out


def _question_files(m: SiteModel) -> dict[str, bytes]:
    """Beside each question page its query and expected answer, and the questions index as CSV."""
    files, lines = {}, ["name,title,query,expected"]
    for path in m.project.question_queries:
        qf = QueryFile.read(path)
        name = slug(qf.name)
        files[f"questions/{name}.rq"] = path.read_bytes()
        expected = m.project.question_expected(path)
        if expected.is_file():
            files[f"questions/{name}.csv"] = expected.read_bytes()
        lines.append(",".join(_csv_cell(v) for v in (qf.name, qf.title, f"{name}.rq",
                                                    f"{name}.csv" if expected.is_file() else "")))
    files["questions/index.csv"] = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return files


def _csv_cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\r\n') else value


def _canonical(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The triples with their blank nodes named by RDFC-1.0, sorted: a parse names blank nodes at
    random, and the site's files must be the same bytes from the same inputs."""
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted((ox.Triple(q.subject, q.predicate, q.object) for q in ds), key=str)


def alternate_links(ctx: PageContext) -> str:
    """The `<link rel="alternate">` elements of the page `ctx.here` (see the module's docstring)."""
    stem = ctx.here.rsplit("/", 1)[-1][: -len(".html")]
    if ctx.here in ctx.model.described or ctx.here == ENTITIES_INDEX:
        links = [(stem + ext, media) for ext, media, _ in ALTERNATES]
    elif ctx.here == HOME:
        links = [("void" + ext, media) for ext, media, _ in ALTERNATES]
    elif ctx.here == QUESTIONS_INDEX:
        links = [("index.csv", "text/csv")]
    elif ctx.here == "timeline.html":
        links = [("timeline.csv", "text/csv")]
    elif ctx.here.startswith("questions/"):
        links = [(stem + ".rq", "application/sparql-query"), (stem + ".csv", "text/csv")]
    else:
        return ""
    return "".join(f'\n<link rel="alternate" type="{media}" href="{esc(href)}">' for href, media in links)


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
