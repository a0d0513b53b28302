"""The released ontology: the three source modules (ontology/*.ttl) as one OWL 2 DL document.

The source files are one ontology split for editing (core.ttl holds the only header), so the
release is their union under that header, stamped with what only a release knows:
``dcterms:issued`` and ``dcterms:modified`` (the date of the version's entry in CHANGELOG.md) and
``owl:priorVersion`` (the versionIRI of the release listed before it there). A fact we do not
know is left out, and the file says so in a comment at its top.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox

from tajsec.core.namespaces import DCTERMS, ONTOLOGY_IRI, ONTOLOGY_RELEASE_BASE, OWL, RDF_TYPE, XSD
from tajsec.core.project import Project
from tajsec.core.terms import Resource
from tajsec.io.load import graph_name_for, load_into
from tajsec.io.write import serialize_sorted

RELEASE_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}
#: "## [0.2.0] - 2027-01-15" or "## [0.1.0]" (Keep a Changelog); [Unreleased] is not a release.
_ENTRY = re.compile(r"^## \[(?P<version>[^\]]+)\](?:\s*-\s*(?P<date>\d{4}-\d{2}-\d{2}))?\s*$", re.M)

ONTOLOGY = ox.NamedNode(ONTOLOGY_IRI)


class ReleaseError(ValueError):
    pass


@dataclass(frozen=True)
class Release:
    version: str
    date: str | None  # the CHANGELOG entry's date, if it gives one
    prior: str | None  # the version released before, if any


def releases(changelog: str) -> list[tuple[str, str | None]]:
    """(version, date or None) of each released version in CHANGELOG text, newest first."""
    return [(m["version"], m["date"]) for m in _ENTRY.finditer(changelog) if m["version"].lower() != "unreleased"]


def release_of(changelog: str, version: str) -> Release:
    """What CHANGELOG text says of `version`: its date and the version released before it."""
    listed = releases(changelog)
    for i, (v, date) in enumerate(listed):
        if v == version:
            return Release(version, date, listed[i + 1][0] if i + 1 < len(listed) else None)
    raise ReleaseError(f"CHANGELOG.md has no entry for version {version}: add one before releasing")


def version_iri(version: str) -> str:
    return ONTOLOGY_RELEASE_BASE + version


def source_triples(project: Project) -> list[ox.Triple]:
    """Every triple of ontology/*.ttl, read by the one loader."""
    store = ox.Store()
    for f in project.ontology_files:
        load_into(store, f, graph_name_for(f, project.root))
    return list({q.triple for q in store.quads_for_pattern(None, None, None, None)})


def _version_of(triples: list[ox.Triple]) -> str:
    info = [cast(ox.Literal, t.object).value for t in triples
            if t.subject == ONTOLOGY and t.predicate.value == OWL + "versionInfo"]
    if len(info) != 1:
        raise ReleaseError(f"the ontology header needs exactly one owl:versionInfo (found {len(info)})")
    return info[0]


def release_triples(project: Project) -> tuple[list[ox.Triple], list[str]]:
    """The released ontology's triples, and a note for each header fact left out."""
    triples = source_triples(project)
    headers = {cast(Resource, t.subject) for t in triples  # the loader refuses triple terms
               if t.predicate.value == RDF_TYPE and t.object == ox.NamedNode(OWL + "Ontology")}
    if headers != {ONTOLOGY}:
        found = sorted(h.value for h in headers)
        raise ReleaseError(f"expected one owl:Ontology header, {ONTOLOGY_IRI}; found {found}")
    version = _version_of(triples)
    release = release_of((project.root / "CHANGELOG.md").read_text(encoding="utf-8"), version)
    notes = []
    if release.date:
        date = ox.Literal(release.date, datatype=ox.NamedNode(XSD + "date"))
        triples += [ox.Triple(ONTOLOGY, ox.NamedNode(DCTERMS + p), date) for p in ("issued", "modified")]
    else:
        notes.append(f"dcterms:issued and dcterms:modified left out: CHANGELOG.md's entry for {version} gives no date.")
    if release.prior:
        prior = ox.NamedNode(version_iri(release.prior))
        triples.append(ox.Triple(ONTOLOGY, ox.NamedNode(OWL + "priorVersion"), prior))
    else:
        notes.append(f"no owl:priorVersion: {version} is the first release in CHANGELOG.md.")
    return triples, notes


def release_document(project: Project, fmt: str = "ttl") -> bytes:
    """The released ontology as Turtle, N-Triples or RDF/XML, deterministic."""
    if fmt not in RELEASE_FORMATS:
        raise ReleaseError(f"the ontology is released as {', '.join(RELEASE_FORMATS)}, not {fmt!r}")
    triples, notes = release_triples(project)
    body = serialize_sorted(triples, RELEASE_FORMATS[fmt])
    if fmt != "ttl":
        return body
    head = "".join(f"# {n}\n" for n in [
        "The tajsec ontology, released: ontology/*.ttl as one OWL 2 DL document (tajsec export --ontology).",
        *notes])
    return head.encode("utf-8") + b"\n" + body
