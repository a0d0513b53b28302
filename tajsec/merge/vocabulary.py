"""The vocabulary of a merge: our graph names, the namespaces we read, and the predicates that
decide what is a link, a label, an ontology change or a value worth comparing."""
from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox

from tajsec.core.namespaces import (
    DCAT,
    DCTERMS,
    FOAF,
    MERGE_METADATA_GRAPH,
    ORG,
    OWL,
    OWL_IMPORTS,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SCHEMA_HTTP,
    SKOS,
    SPDX,
    TS,
    VOID,
    WD,
    WDP,
    WDPQ,
    WDPS,
    WDS,
    WDT,
    WIKIBASE,
    WIKIDATA,
)

META_GRAPH = ox.NamedNode(MERGE_METADATA_GRAPH)
MERGE_ACTIVITY = ox.NamedNode(META_GRAPH.value + "#activity")


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
    "wds": WDS,
    "wdt": WDT,
}

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
NOT_COMPARED_NAMESPACES = (SKOS, PROV, DCTERMS, WIKIDATA, WIKIBASE)
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

#: Report lists longer than this are cut (the counts stay exact).
REPORT_LIMIT = 1000

Progress = Callable[[str, int, int], None]
"""progress(label, done, total): called while inputs are read (bytes) and written (quads)."""
