"""The vocabulary of a merge: our graph names, the namespaces we read, and the predicates that
decide what is a link, a label, an ontology change or a value worth comparing."""
from __future__ import annotations

from typing import Callable

import pyoxigraph as ox

from tajsec.core.namespaces import PREFIXES, TS

GRAPH_BASE = "https://w3id.org/tajsec/graph/"
INPUT_GRAPH_BASE = GRAPH_BASE + "input/"
META_GRAPH = ox.NamedNode(GRAPH_BASE + "merge-metadata")
MERGE_ACTIVITY = ox.NamedNode(META_GRAPH.value + "#activity")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
SCHEMA_HTTP = "http://schema.org/"  # Wikidata and many others still write schema.org with http
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
WDP = "http://www.wikidata.org/prop/"
WDPS = "http://www.wikidata.org/prop/statement/"
WDPQ = "http://www.wikidata.org/prop/qualifier/"

#: Extra prefixes used to display terms in the report and in the merged TriG.
DISPLAY_PREFIXES = {
    **PREFIXES,
    "dcat": DCAT,
    "p": WDP,
    "pq": WDPQ,
    "ps": WDPS,
    "spdx": SPDX,
    "void": VOID,
    "wd": WD,
    "wds": "http://www.wikidata.org/entity/statement/",
    "wdt": WDT,
}

OWL_IMPORTS = OWL + "imports"

#: Predicates that change what a term means when they point at it (or start from it).
AXIOM_PREDICATES = frozenset([
    RDFS + "subClassOf", RDFS + "subPropertyOf", RDFS + "domain", RDFS + "range",
    OWL + "equivalentClass", OWL + "equivalentProperty", OWL + "disjointWith", OWL + "inverseOf",
    OWL + "sameAs", OWL + "propertyDisjointWith", OWL + "complementOf", OWL + "disjointUnionOf",
    OWL + "propertyChainAxiom", OWL + "hasKey", OWL + "differentFrom",
])
#: Of those, the ones that constrain the object as much as the subject.
SYMMETRIC_AXIOMS = frozenset([
    OWL + "equivalentClass", OWL + "equivalentProperty", OWL + "disjointWith", OWL + "inverseOf",
    OWL + "sameAs", OWL + "propertyDisjointWith", OWL + "complementOf",
])

LINK_PREDICATES = frozenset([SKOS + "exactMatch", OWL + "sameAs"])
LABEL_PREDICATES = frozenset([
    RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel",
    SCHEMA + "name", SCHEMA + "alternateName", SCHEMA_HTTP + "name", SCHEMA_HTTP + "alternateName",
    FOAF + "name",
])
OUR_LABEL_PREDICATES = frozenset([RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel"])

#: Our nodes that are not entities a third party would describe (statements, quantities, time).
NOT_ENTITIES = frozenset(TS + c for c in ("Statement", "Quantity", "Interval", "Instant", "Footnote", "Section"))

#: Predicates never compared for conflicts: names, types, notes, links and provenance, which
#: legitimately differ between sources.
NOT_COMPARED_NAMESPACES = (SKOS, PROV, DCTERMS, "http://www.wikidata.org/", "http://wikiba.se/ontology#")
NOT_COMPARED = frozenset([
    RDF + "type", RDFS + "label", RDFS + "comment", RDFS + "seeAlso", RDFS + "isDefinedBy",
    OWL + "sameAs", OWL_IMPORTS, OWL + "versionInfo", FOAF + "name", FOAF + "page", FOAF + "homepage",
    TS + "quantity",  # compared through the measurement pattern instead
    *(ns + local for ns in (SCHEMA, SCHEMA_HTTP)
      for local in ("name", "alternateName", "description", "sameAs", "url", "identifier", "image")),
])

#: External properties compared with ours: Wikidata property -> (kind, our aspect or predicate).
WIKIDATA_PROPERTIES = {
    "P1128": ("aspect", TS + "aspect-personnel"),     # employees
    "P1082": ("aspect", TS + "aspect-population"),    # population
    "P2043": ("aspect", TS + "aspect-length"),        # length
    "P749": ("predicate", ORG + "subOrganizationOf"),  # parent organization
    "P131": ("predicate", SCHEMA + "containedInPlace"),  # located in the administrative territorial entity
}
OTHER_PROPERTIES = {
    SCHEMA + "numberOfEmployees": ("aspect", TS + "aspect-personnel"),
    SCHEMA_HTTP + "numberOfEmployees": ("aspect", TS + "aspect-personnel"),
}

MEDIA_TYPES = {
    ox.RdfFormat.TURTLE: "text/turtle", ox.RdfFormat.N_TRIPLES: "application/n-triples",
    ox.RdfFormat.N_QUADS: "application/n-quads", ox.RdfFormat.TRIG: "application/trig",
    ox.RdfFormat.JSON_LD: "application/ld+json", ox.RdfFormat.RDF_XML: "application/rdf+xml",
}

#: Report lists longer than this are cut (the counts stay exact).
REPORT_LIMIT = 1000

Progress = Callable[[str, int, int], None]
"""progress(label, done, total): called while inputs are read (bytes) and written (quads)."""
