"""Every IRI tajsec writes in code: our namespaces and graph names, the standard vocabularies,
the one prefix table, and `shorten`/`expand`. No other module spells an IRI out (a test checks)."""
from __future__ import annotations

# -- ours ----------------------------------------------------------------------------------------
BASE = "https://w3id.org/tajsec/"
TS = BASE + "onto/"
TSD = BASE + "id/"
TSSH = BASE + "shapes/"
ONTOLOGY_IRI = BASE + "onto"
ONTOLOGY_RELEASE_BASE = TS + "release/"  # owl:versionIRI: ONTOLOGY_RELEASE_BASE + the version
DATASET = BASE + "dataset"
MAPPING_SET = BASE + "mappings/wikidata.sssom.tsv"
GRAPH_BASE = BASE + "graph/"  # each source file is loaded into GRAPH_BASE + its path
ONTOLOGY_GRAPH_BASE = GRAPH_BASE + "ontology/"
DERIVED_GRAPH = GRAPH_BASE + "derived"  # the shortcut layer and the interoperability profile
DERIVED_RULE_GRAPH_BASE = DERIVED_GRAPH + "/"  # tajsec.graph.cache.standing: each rule's conclusions, + its name
INPUT_GRAPH_BASE = GRAPH_BASE + "input/"  # merge: one graph per input, named by its SHA-256
MERGE_METADATA_GRAPH = GRAPH_BASE + "merge-metadata"

# -- standard vocabularies -------------------------------------------------------------------------
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SH = "http://www.w3.org/ns/shacl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
SCHEMA_HTTP = "http://schema.org/"  # Wikidata and many others still write schema.org with http
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
TIME = "http://www.w3.org/2006/time#"
DCTERMS = "http://purl.org/dc/terms/"
VANN = "http://purl.org/vocab/vann/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
SEMAPV = "https://w3id.org/semapv/vocab/"
SD = "http://www.w3.org/ns/sparql-service-description#"
W3C_FORMATS = "http://www.w3.org/ns/formats/"  # IRIs of the RDF and SPARQL results formats

RDF_TYPE = RDF + "type"
RDFS_LABEL = RDFS + "label"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"
RDF_LANG_STRING = RDF + "langString"
RDF_FIRST, RDF_REST, RDF_NIL = RDF + "first", RDF + "rest", RDF + "nil"  # RDF collections in query patterns
# tajsec.shacl.terms: the private datatype prefix under which SHACL holds literals as written
AS_WRITTEN = "urn:tajsec:as-written:"
OWL_IMPORTS = OWL + "imports"

# -- time as data (issue 14; the time model in ontology/README.md, "Time") ----------------------
TS_NOT_BEFORE = TS + "notBefore"  # the earliest moment an instant can be (xsd:dateTime, inclusive)
TS_NOT_AFTER = TS + "notAfter"  # the latest moment (xsd:dateTime, inclusive)
TS_PRECISION = TS + "precision"  # time:unitYear / unitMonth / unitDay: the precision the paper gives
TS_BOUND_REASON = TS + "boundReason"
TS_BOUNDED_BY = TS + "boundedBy"
TS_STATUS_FORMER = TS + "status-former"
TS_PLAN_STATUSES = tuple(TS + "status-" + s for s in ("planned", "envisaged", "promised", "pledged"))
PAPER_PRESENT = TSD + "time-paper-present"
TIME_HAS_TIME = TIME + "hasTime"
TIME_HAS_BEGINNING = TIME + "hasBeginning"
TIME_HAS_END = TIME + "hasEnd"
TIME_INSTANT_VALUES = tuple(TIME + p for p in ("inXSDDateTimeStamp", "inXSDDateTime", "inXSDDate",
                                               "inXSDgYearMonth", "inXSDgYear"))
TIME_RELATIONS = tuple(TIME + p for p in (
    "before", "after", "intervalBefore", "intervalAfter", "intervalMeets", "intervalMetBy",
    "intervalOverlaps", "intervalOverlappedBy", "intervalStarts", "intervalStartedBy", "intervalDuring",
    "intervalContains", "intervalFinishes", "intervalFinishedBy", "intervalEquals"))
# the as-of view (tajsec.timeline.asof): its one extra graph and the marks it holds
AS_OF_GRAPH = GRAPH_BASE + "as-of"
TS_IN_EFFECT = TS + "inEffect"
TS_IN_EFFECT_CERTAINLY = TS + "in-effect-certainly"
TS_IN_EFFECT_POSSIBLY = TS + "in-effect-possibly"
TS_AS_OF_DATE = TS + "asOfDate"

# -- Wikidata --------------------------------------------------------------------------------------
WIKIDATA = "http://www.wikidata.org/"
WD = WIKIDATA + "entity/"
WDS = WD + "statement/"
WDT = WIKIDATA + "prop/direct/"
WDP = WIKIDATA + "prop/"
WDPS = WIKIDATA + "prop/statement/"
WDPQ = WIKIDATA + "prop/qualifier/"
WIKIBASE = "http://wikiba.se/ontology#"

# -- documents we point at -------------------------------------------------------------------------
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
#: owlready2 imports the Python module this annotation names: stripped before anything reaches it
OWLREADY_PYTHON_MODULE = "http://www.lesfleursdunormal.fr/static/_downloads/owlready_ontology.owl#python_module"

PREFIXES = {
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sh": SH,
    "skos": SKOS,
    "time": TIME,
    "ts": TS,
    "tsd": TSD,
    "tssh": TSSH,
    "vann": VANN,
    "xsd": XSD,
}


def sparql_prologue() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(PREFIXES.items()))


def shorten(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """Prefixed name for an IRI in a known namespace (the longest that matches), else the IRI."""
    prefixes = PREFIXES if prefixes is None else prefixes
    best = None
    for p, ns in prefixes.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(prefixes[best])):
            best = p
    if best is None:
        return iri
    return f"{best}:{iri[len(prefixes[best]):]}"


def expand(name: str) -> str | None:
    """IRI for a prefixed name such as tsd:gaffur-mirzoev, or None if the prefix is unknown."""
    if ":" not in name:
        return None
    p, local = name.split(":", 1)
    ns = PREFIXES.get(p)
    return ns + local if ns else None
