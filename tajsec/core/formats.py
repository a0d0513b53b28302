"""The one table of formats: names, media types, and content negotiation by the Accept header.

`RESULTS` are the SPARQL 1.1 results formats (SELECT and ASK answers); `GRAPHS` the RDF
formats for graph answers (CONSTRUCT, DESCRIBE). Each entry: format name -> media types, the
first of which is the one we answer with. The first entry of each table is the default (for
`*/*` or no Accept header).
"""
from __future__ import annotations

import pyoxigraph as ox

# RDF files we read, by extension (lower-cased)
EXTENSIONS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


RESULTS = {
    "json": ("application/sparql-results+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
}
GRAPHS = {
    "turtle": ("text/turtle", "application/x-turtle", "text/n3", "text/rdf+n3"),
    "ntriples": ("application/n-triples", "text/plain"),
    "rdfxml": ("application/rdf+xml", "application/xml", "text/xml"),
    "jsonld": ("application/ld+json", "application/json"),
    "nquads": ("application/n-quads",),
    "trig": ("application/trig",),
}
# a web page, for dereferenced IRIs that a browser asks for (tajsec.web.resources)
PAGES = {"html": ("text/html", "application/xhtml+xml")}
TEXT_TYPES = {"csv", "tsv", "turtle", "ntriples", "nquads", "trig", "html"}

# Short names some clients send in a `format`/`output`/`results` parameter (SPARQLWrapper sends
# all three; Virtuoso and Fuseki read them) -> the media types they stand for, in either table.
ALIASES = {
    "json": "application/sparql-results+json, application/ld+json",
    "xml": "application/sparql-results+xml, application/rdf+xml",
    "csv": "text/csv", "tsv": "text/tab-separated-values",
    "turtle": "text/turtle", "ttl": "text/turtle", "n3": "text/turtle",
    "rdf": "application/rdf+xml", "rdf+xml": "application/rdf+xml", "rdfxml": "application/rdf+xml",
    "json-ld": "application/ld+json", "jsonld": "application/ld+json",
    "nt": "application/n-triples", "ntriples": "application/n-triples", "n-triples": "application/n-triples",
    "nq": "application/n-quads", "nquads": "application/n-quads", "trig": "application/trig",
}


def content_type(name: str) -> str:
    media = (RESULTS.get(name) or GRAPHS.get(name) or PAGES[name])[0]
    return f"{media}; charset=utf-8" if name in TEXT_TYPES else media


def media_types(table: dict) -> list[str]:
    """Every media type `table` answers to, for a 406's list of what is supported."""
    return [t for types in table.values() for t in types]


def accept_from_aliases(values: list[str]) -> str:
    """An Accept header equivalent to format parameters (`json`, `text/csv`, ...); ValueError
    names an unknown one."""
    parts = []
    for v in (v.strip() for v in values):
        if not v:
            continue
        if "/" in v:
            parts.append(v)
        elif v.lower() in ALIASES:
            parts.append(ALIASES[v.lower()])
        else:
            raise ValueError(f"unknown format {v[:40]!r}; known: {', '.join(sorted(ALIASES))} or a media type")
    return ", ".join(parts)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """(media range, q) pairs in the order the client wrote them; malformed parts are skipped."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(f[2:])))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _specificity(media_range: str, media: str) -> int | None:
    if media_range == media:
        return 2
    if media_range.endswith("/*") and media.startswith(media_range[:-1]):
        return 1
    if media_range == "*/*":
        return 0
    return None


def negotiate(accept: str | None, table: dict) -> str | None:
    """The format of `table` the client prefers, or None when the Accept header allows none.

    Each media type takes the q of the most specific range that matches it (RFC 9110: `text/csv;q=0`
    excludes CSV even beside `*/*`). The highest q wins; among equal q, the range the client
    wrote first; among formats matched by the same wildcard, the table's order (its default first).
    """
    ranges = parse_accept(accept)
    best, best_key = None, None
    for order, (name, types) in enumerate(table.items()):
        q, spec, position = -1.0, -1, 0
        for t in types:
            for i, (rng, rq) in enumerate(ranges):
                s = _specificity(rng, t)
                if s is not None and (s > spec or (s == spec and rq > q)):
                    q, spec, position = rq, s, i
        key = (q, -position, -order)
        if q > 0 and (best_key is None or key > best_key):
            best, best_key = name, key
    return best
