"""Dereferenceable IRIs for `tajsec serve`: `/id/{name}`, `/onto/{name}`, `/onto`, `/shapes` and
`/shapes/{name}` answer with the docs page for a browser and RDF for a machine, by the Accept
header (q-values honoured) or by an extension (`/id/{name}.ttl`, `.nt`, `.rdf`, `.jsonld`, `.html`).

Why not the worker pool: a request here names a node; it runs no query text a client wrote. The
description is read from the built store and the docs site's model, both made before the pool
forks, in time bounded by the node's own triples, so the sandbox (there to bound arbitrary
queries) has nothing to bound. The docs pages come from a `DocsPages` the caller gives
(`tajsec.cli.serve.SitePages`: web/ and site/ sit in the same layer and do not import each other).

The RDF of a node (tajsec.graph.describe_rdf, shared with the static site) is its Concise Bounded
Description (every triple with it as subject, and those of the blank nodes they reach); for an /id/
node, plus its statements (the statements, events and agreements that point to it other than by
citing it, each with its own triples) and their sources (the label and type of what they and the
node cite with prov:wasDerivedFrom, ts:inSection and ts:footnote). The HTML is the docs page with a
`<base>` under `/docs/`, where this module serves the rest of the docs site.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, cast

import pyoxigraph as ox

from tajsec.core import formats
from tajsec.core.namespaces import ONTOLOGY_IRI, PREFIXES, TS, TSD, TSSH
from tajsec.core.project import Project
from tajsec.graph.build import Built
from tajsec.graph.describe_rdf import ALL_SHAPES, describe_node, graph_triples, ontology_graphs, shapes_store
from tajsec.sparql.worker import GRAPH_FORMATS

DOCS = "/docs/"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")
# what a dereferenced IRI can be served as: the docs page, or the RDF formats that hold triples
# (Turtle first: the answer to `*/*`; a browser names text/html)
SERVED = {"turtle": formats.GRAPHS["turtle"], "html": formats.PAGES["html"],
          **{name: formats.GRAPHS[name] for name in ("ntriples", "rdfxml", "jsonld")}}
EXTENSIONS = {".html": "html"}
for _ext, _fmt in formats.EXTENSIONS.items():
    _name = next((n for n, f in GRAPH_FORMATS.items() if f == _fmt), None)
    if _name in SERVED and _name not in EXTENSIONS.values():
        EXTENSIONS[_ext] = _name
# where each dereferenceable path prefix points: (path prefix, IRI namespace)
NAMESPACES = (("/id/", TSD), ("/onto/", TS), ("/shapes/", TSSH))


@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    return Answer(status, (message + "\n").encode("utf-8"), headers=headers or {})


class DocsPages(Protocol):
    """The docs site as the server sees it (`tajsec.cli.serve` makes one from `tajsec.site`)."""

    def path_of(self, iri: str) -> str | None:
        """The site path (with a #fragment when it is shown on another node's page) of `iri`."""

    def file(self, path: str) -> bytes | None:
        """The bytes of the site's file at `path`, or None."""


class LinkedData:
    """What the server needs to dereference IRIs; make it before the worker pool forks."""

    def __init__(self, project: Project, built: Built, pages: DocsPages):
        self.store = built.store
        self.pages = pages
        self.shapes = shapes_store(project)
        self.ontology_graphs = ontology_graphs(project, built)

    # -- which path is which resource

    def handles(self, path: str) -> bool:
        stem, _ = _split_extension(path)
        return stem in ("/onto", "/shapes") or path.startswith(DOCS) or any(
            path.startswith(prefix) for prefix, _ in NAMESPACES)

    def answer(self, path: str, accept: str | None) -> Answer:
        """The answer to a GET of `path` (as sent: not percent-decoded; no query string) with this
        Accept header."""
        if path.startswith(DOCS):
            return self._docs_file(path[len(DOCS):])
        stem, forced = _split_extension(path)
        iri = self._iri(stem)
        if iri is None:
            return _text(404, f"no resource at {path[:200]}; dereferenceable IRIs are /id/{{name}}, "
                              "/onto/{name}, /onto and /shapes")
        fmt = forced or formats.negotiate(accept, SERVED)
        link = _link_header(stem, iri)
        if fmt is None:
            return _text(406, "supported: " + ", ".join(formats.media_types(SERVED)), {"Link": link})
        headers = {"Link": link, "Content-Location": stem + _extension(fmt)}
        if fmt == "html":
            return self._html(iri, headers)
        body = ox.serialize(self.describe(iri), format=GRAPH_FORMATS[fmt], prefixes=PREFIXES)
        return Answer(200, cast(bytes, body), formats.content_type(fmt), headers)  # no output file: bytes back

    def _iri(self, path: str) -> str | None:
        """The IRI `path` stands for, if the graph (or the shapes) knows it."""
        if path == "/onto":
            return ONTOLOGY_IRI
        if path == "/shapes":
            return ALL_SHAPES
        for prefix, namespace in NAMESPACES:
            name = path[len(prefix):]
            if path.startswith(prefix) and NAME.fullmatch(name):
                iri = namespace + name
                node = ox.NamedNode(iri)
                store = self.shapes if namespace == TSSH else self.store
                if next(iter(store.quads_for_pattern(node, None, None, None)), None) is not None:
                    return iri
        return None

    # -- RDF

    def describe(self, iri: str) -> list[ox.Triple]:
        """The triples served for `iri` (see the module's docstring), sorted."""
        if iri == ONTOLOGY_IRI:
            return graph_triples(self.store, self.ontology_graphs)
        if iri == ALL_SHAPES:
            return graph_triples(self.shapes)
        store = self.shapes if iri.startswith(TSSH) else self.store
        return describe_node(store, iri)

    # -- HTML

    def _html(self, iri: str, headers: dict[str, str]) -> Answer:
        target = "shapes/index.html" if iri == ALL_SHAPES else self.pages.path_of(iri)
        if target is None:
            return _text(406, "this node has no page of its own; ask for RDF: "
                              + ", ".join(formats.media_types(formats.GRAPHS)), headers)
        page, _, fragment = target.partition("#")
        if fragment:  # a statement or a concept: shown on another node's page
            return _text(303, f"see {DOCS}{target}", {**headers, "Location": f"{DOCS}{target}"})
        body = self.pages.file(page)
        if body is None:
            return _text(404, f"no page for {iri}")
        base = f'<head>\n<base href="{DOCS}{page}">'.encode()
        return Answer(200, body.replace(b"<head>", base, 1), formats.content_type("html"), headers)

    def _docs_file(self, path: str) -> Answer:
        if path in ("", "/"):
            path = "index.html"
        if ".." in path.split("/"):
            return _text(404, "not found")
        body = self.pages.file(path)
        if body is None:
            return _text(404, f"the docs site has no file {path[:200]}")
        media = {"css": "text/css; charset=utf-8", "svg": "image/svg+xml", "png": "image/png",
                 "html": formats.content_type("html")}.get(path.rsplit(".", 1)[-1], "application/octet-stream")
        return Answer(200, body, media)


def _link_header(stem: str, iri: str) -> str:
    """The canonical IRI and every representation of it this server has."""
    alternates = [f'<{stem}{_extension(n)}>; rel="alternate"; type="{SERVED[n][0]}"' for n in SERVED]
    return ", ".join([f'<{iri}>; rel="canonical"', *alternates])


def _split_extension(path: str) -> tuple[str, str | None]:
    """`/id/x.ttl` -> (`/id/x`, "turtle"); a path without one of our extensions -> (path, None)."""
    for ext, name in EXTENSIONS.items():
        if path.endswith(ext):
            return path[: -len(ext)], name
    return path, None


def _extension(fmt: str) -> str:
    return next(ext for ext, name in EXTENSIONS.items() if name == fmt)
