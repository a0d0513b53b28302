"""The namespaces and property lists the pages of the docs site are written with."""
from __future__ import annotations

from tajsec.core.namespaces import PREFIXES, TS
from tajsec.graph.evidence import PROVENANCE_PROPERTIES

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
SKOS = PREFIXES["skos"]
SH = PREFIXES["sh"]
SCHEMA = PREFIXES["schema"]
PROV = PREFIXES["prov"]
ORG = PREFIXES["org"]
DCT = PREFIXES["dcterms"]
XSD = PREFIXES["xsd"]

TYPE = RDF + "type"
LABEL = RDFS + "label"
ALT = SKOS + "altLabel"

ENTITY_ROOTS = (TS + "Actor", TS + "Place", TS + "Event", TS + "Agreement", TS + "Document")
ROOT_TITLES = {TS + "Actor": "Actors", TS + "Place": "Places", TS + "Event": "Events",
               TS + "Agreement": "Agreements", TS + "Document": "Documents and sources", "": "Other"}

# provenance is shown in a statement's footer rather than in its list of properties
HIDDEN_ON_CARD = PROVENANCE_PROPERTIES | {TYPE, LABEL}
HIDDEN_ON_ENTITY = PROVENANCE_PROPERTIES | {TYPE, LABEL, ALT, SKOS + "exactMatch"}
# properties shown first on a statement, in this order; the rest follow alphabetically
PROPERTY_ORDER = [TS + p for p in (
    "subject", "predicate", "object", "value", "negated", "measuredEntity", "aspect", "commodity", "quantity",
    "provider", "recipient", "assistanceKind", "viaProgramme", "purpose", "claimHolder", "claimKind",
    "claimText", "about", "designatedGroup", "designator", "designatedAs", "outsourcedFunction",
    "outsourcedBy", "outsourcedTo", "locatedPlace", "distanceFrom", "direction", "agreement",
    "obligedParty", "termText", "concerns", "status", "reportedOn", "validDuring", "timeText", "statedBy")]
PROPERTY_ORDER[5:5] = [ORG + "member", ORG + "organization", ORG + "role", ORG + "memberDuring"]
