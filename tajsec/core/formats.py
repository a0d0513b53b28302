"""The one table of formats: names, media types, and content negotiation by the Accept header.

`RESULTS` are the SPARQL 1.1 results formats (SELECT and ASK answers); `GRAPHS` the RDF
formats for graph answers (CONSTRUCT, DESCRIBE). Each entry: format name -> media types, the
first of which is the one we answer with.
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
    "turtle": ("text/turtle", "application/x-turtle"),
    "ntriples": ("application/n-triples", "text/plain"),
    "rdfxml": ("application/rdf+xml",),
    "jsonld": ("application/ld+json",),
    "nquads": ("application/n-quads",),
}
TEXT_TYPES = {"csv", "tsv", "turtle", "ntriples", "nquads"}


def content_type(name: str) -> str:
    media = (RESULTS.get(name) or GRAPHS[name])[0]
    return f"{media}; charset=utf-8" if name in TEXT_TYPES else media


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """(media range, q) pairs in the order of preference; malformed parts are skipped."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for i, part in enumerate(header.split(",")):
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
        ranges.append((media, q, -i))
    ranges.sort(key=lambda r: (r[1], r[2]), reverse=True)
    return [(m, q) for m, q, _ in ranges]


def _specificity(media_range: str, media: str) -> int | None:
    if media_range == media:
        return 2
    if media_range.endswith("/*") and media.startswith(media_range[:-1]):
        return 1
    if media_range == "*/*":
        return 0
    return None


def negotiate(accept: str | None, table: dict) -> str | None:
    """The format of `table` the client prefers (the table's first entry for `*/*`), or None
    when the Accept header allows none of them."""
    best, best_key = None, None
    for name, types in table.items():
        q, spec = -1.0, -1
        for rng, rq in parse_accept(accept):
            for t in types:
                s = _specificity(rng, t)
                if s is not None and s > spec:
                    q, spec = rq, s
        if q > 0 and (best_key is None or (q, spec) > best_key):
            best, best_key = name, (q, spec)
    return best
