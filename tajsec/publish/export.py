"""`tajsec export`: the built graph in one file, in a standard RDF format, deterministic.

Profiles:
- ``full``: everything the build holds, asserted (ontology/ and instances/) and derived (the
  shortcut layer and the interoperability profile of ``queries/construct-*.rq``).
- ``interop``: only the standard-vocabulary view, as the build materialises it: ``rdfs:label``,
  every ``skos:``, ``foaf:``, ``org:``, ``schema:``, ``time:`` and ``prov:`` property, and
  ``rdf:type`` to classes of those vocabularies; the ontology's own declarations (classes,
  properties, the ontology header, our declarations of standard terms) are left out.

Formats: ``ttl``, ``nt``, ``trig`` and ``nq`` (one named graph per source file plus the derived
graph), ``jsonld`` (compacted with the context kept in ``contexts/tajsec.jsonld``, embedded in the
output so that nothing is fetched when it is read; one flat @graph), ``jsonld-graphs`` (the same,
with one named graph object per graph, as JSON-LD 1.1 allows: what TriG holds), ``rdfxml``.

Same checkout, same bytes: triples are sorted by their N-Triples form and serialised by
pyoxigraph (which, unlike an rdflib round trip, keeps every literal as written), with the prefix
block sorted by name. Turtle, TriG and RDF/XML use the prefixes of `tajsec.core.namespaces`.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from tajsec.core.namespaces import OWL, PREFIXES, RDF, RDF_TYPE, RDFS, RDFS_LABEL, XSD_STRING
from tajsec.core.project import Project
from tajsec.core.terms import Resource
from tajsec.io.write import serialize_sorted
from tajsec.io.write import sort_key as _key

if TYPE_CHECKING:
    from tajsec.graph.build import Built

FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "jsonld-graphs": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
PROFILES = ("full", "interop")
EXTENSIONS = {"ttl": ".ttl", "nt": ".nt", "trig": ".trig", "nq": ".nq", "jsonld": ".jsonld", "jsonld-graphs": ".jsonld",
              "rdfxml": ".rdf"}
#: Formats that keep the named graphs.
DATASET_FORMATS = ("trig", "nq", "jsonld-graphs")

INTEROP_NAMESPACES = tuple(PREFIXES[p] for p in ("skos", "foaf", "org", "schema", "time", "prov"))
#: Types that make a subject a vocabulary term rather than data.
VOCABULARY_TYPES = frozenset(
    [OWL + t for t in (
        "Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty", "Ontology", "FunctionalProperty",
        "InverseFunctionalProperty", "TransitiveProperty", "SymmetricProperty", "AsymmetricProperty",
        "ReflexiveProperty", "IrreflexiveProperty", "Restriction")]
    + [RDFS + "Class", RDFS + "Datatype", RDF + "Property"])


class ExportError(ValueError):
    pass


# ---- JSON-LD ----

def context_path(project: Project) -> Path:
    return project.root / "contexts" / "tajsec.jsonld"


def context_document() -> dict:
    """What contexts/tajsec.jsonld holds: one term per namespace of tajsec.core.namespaces."""
    return {"@context": dict(sorted(PREFIXES.items()))}


def load_context(project: Project) -> dict:
    """The "@context" value of the context file kept in the repository (never fetched)."""
    path = context_path(project)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ExportError(f"{path}: cannot read the JSON-LD context: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise ExportError(f"{path}:{e.lineno}:{e.colno}: not JSON: {e.msg}") from None
    ctx = doc.get("@context")
    if not isinstance(ctx, dict) or not all(isinstance(v, str) for v in ctx.values()):
        raise ExportError(f"{path}: expected {{\"@context\": {{prefix: namespace IRI, ...}}}}")
    return ctx


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    best = None
    for p, ns in prefixes.items():
        if iri.startswith(ns) and not iri[len(ns):].startswith("//") and (
                best is None or len(ns) > len(prefixes[best])):
            best = p
    return iri if best is None else f"{best}:{iri[len(prefixes[best]):]}"


def _node_objects(triples: Iterable[ox.Triple], context: dict[str, str]) -> list[dict]:
    """One node object per subject, subjects, properties and values sorted."""
    nodes: dict[str, dict[str, list]] = {}
    for t in sorted(set(triples), key=_key):
        s = cast(Resource, t.subject)  # no triple terms: the loader refuses them
        sid = f"_:{s.value}" if isinstance(s, ox.BlankNode) else _compact(s.value, context)
        node = nodes.setdefault(sid, {})
        o = t.object
        if t.predicate.value == RDF_TYPE and isinstance(o, ox.NamedNode):
            node.setdefault("@type", []).append(_compact(o.value, context))
            continue
        key = _compact(t.predicate.value, context)
        if isinstance(o, ox.NamedNode):
            v = {"@id": _compact(o.value, context)}
        elif isinstance(o, ox.BlankNode):
            v = {"@id": f"_:{o.value}"}
        elif isinstance(o, ox.Literal):
            v = {"@value": o.value}
            if o.language:
                v["@language"] = o.language
            elif o.datatype.value != XSD_STRING:
                v["@type"] = _compact(o.datatype.value, context)
        else:
            raise ExportError(f"cannot write {o} in JSON-LD 1.0/1.1 without RDF 1.2 support")
        node.setdefault(key, []).append(v)
    out = []
    for sid in sorted(nodes):
        props = nodes[sid]
        obj: dict = {"@id": sid}
        if "@type" in props:
            obj["@type"] = sorted(props.pop("@type"))
        for k in sorted(props):
            obj[k] = sorted(props[k], key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
        out.append(obj)
    return out


def jsonld_document(triples: Iterable[ox.Triple], context: dict[str, str]) -> dict:
    """A compacted JSON-LD document: the context inline, one node object per subject in @graph,
    subjects, properties and values sorted."""
    return {"@context": context, "@graph": _node_objects(triples, context)}


def jsonld_dataset_document(quads: Iterable[ox.Quad], context: dict[str, str]) -> dict:
    """A compacted JSON-LD document that keeps the named graphs: the default graph's node objects
    at the top of @graph, then one graph object per named graph (its IRI as @id, its node objects
    in its own @graph), sorted by graph name. Blank node labels are scoped to the document, as in
    TriG."""
    by_graph: dict = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(q.triple)
    top = _node_objects(by_graph.pop(ox.DefaultGraph(), []), context)
    by_id = {n["@id"]: n for n in top}
    named = []
    for g in sorted(by_graph, key=lambda g: g.value):
        gid = f"_:{g.value}" if isinstance(g, ox.BlankNode) else _compact(g.value, context)
        members = _node_objects(by_graph[g], context)
        if gid in by_id:  # the graph's name is also described in the default graph: one object
            by_id[gid]["@graph"] = members
        else:
            named.append({"@id": gid, "@graph": members})
    return {"@context": context, "@graph": top + named}


# ---- Export ----

def _vocabulary_terms(store: ox.Store) -> set:
    terms = set()
    for t in VOCABULARY_TYPES:
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(t), None):
            terms.add(q.subject)
    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode) and g.value.endswith("/ontology/standard-terms.ttl"):
            terms |= {q.subject for q in store.quads_for_pattern(None, None, None, g)}
    return terms


def interop_filter(store: ox.Store) -> Callable[[ox.Quad], bool]:
    """A predicate on quads: is this triple part of the interoperability view?"""
    vocab = _vocabulary_terms(store)

    def keep(q: ox.Quad) -> bool:
        p = q.predicate.value
        if q.subject in vocab:
            return False
        if p == RDF_TYPE:
            return isinstance(q.object, ox.NamedNode) and q.object.value.startswith(INTEROP_NAMESPACES)
        return p == RDFS_LABEL or p.startswith(INTEROP_NAMESPACES)

    return keep


def export_quads(built: Built, profile: str = "full") -> list[ox.Quad]:
    """The quads an export holds (every named graph of the build), filtered by profile."""
    if profile not in PROFILES:
        raise ExportError(f"unknown profile {profile!r} (known: {', '.join(PROFILES)})")
    quads = list(built.store.quads_for_pattern(None, None, None, None))
    if profile == "interop":
        keep = interop_filter(built.store)
        quads = [q for q in quads if keep(q)]
    return quads


def export(project: Project, fmt: str, profile: str = "full", built: Built | None = None) -> bytes:
    """The built graph as `fmt` (see FORMATS) in `profile` (full, interop).
    `built` defaults to a fresh build of `project`. Raises ExportError for an unknown format or
    profile, or an unusable context file."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    if built is None:
        from tajsec.graph.build import build

        built = build(project)
    quads = export_quads(built, profile)
    if fmt == "jsonld-graphs":
        return _json_bytes(jsonld_dataset_document(quads, load_context(project)))
    if fmt in DATASET_FORMATS:
        return serialize_sorted(quads, FORMATS[fmt])
    triples = [q.triple for q in quads]
    if fmt == "jsonld":
        return _json_bytes(jsonld_document(triples, load_context(project)))
    return serialize_sorted(triples, FORMATS[fmt])


def _json_bytes(doc: dict) -> bytes:
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_context(project: Project) -> Path:
    """(Re)write contexts/tajsec.jsonld from tajsec.core.namespaces."""
    from tajsec.io.write import atomic_write_bytes

    path = context_path(project)
    atomic_write_bytes(path, (json.dumps(context_document(), indent=2) + "\n").encode("utf-8"))
    return path
