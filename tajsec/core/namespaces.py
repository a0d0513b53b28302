"""The project's namespaces and the standard ones it uses: one table, used everywhere."""
TS = "https://w3id.org/tajsec/onto/"
TSD = "https://w3id.org/tajsec/id/"
TSSH = "https://w3id.org/tajsec/shapes/"
ONTOLOGY_IRI = "https://w3id.org/tajsec/onto"

PREFIXES = {
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "time": "http://www.w3.org/2006/time#",
    "ts": TS,
    "tsd": TSD,
    "tssh": TSSH,
    "vann": "http://purl.org/vocab/vann/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def sparql_prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))


def shorten(iri: str) -> str:
    """Prefixed name for an IRI in a known namespace, else the IRI unchanged."""
    best = None
    for p, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            best = p
    if best is None:
        return iri
    return f"{best}:{iri[len(PREFIXES[best]):]}"


def expand(name: str) -> str | None:
    """IRI for a prefixed name such as tsd:gaffur-mirzoev, or None if the prefix is unknown."""
    if ":" not in name:
        return None
    p, local = name.split(":", 1)
    ns = PREFIXES.get(p)
    return ns + local if ns else None
