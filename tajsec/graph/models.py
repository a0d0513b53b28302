"""Typed models of what the readers of the graph (the docs site, `tajsec describe`, coverage)
share: an entity, a statement with its provenance and time, and a quantity."""
from __future__ import annotations

from dataclasses import dataclass

from tajsec.core.namespaces import PREFIXES, TS
from tajsec.graph.evidence import Provenance, provenance
from tajsec.graph.index import GraphView
from tajsec.graph.time import TimeSpan, node_span

RDF_TYPE = PREFIXES["rdf"] + "type"
SKOS = PREFIXES["skos"]
SCHEMA = PREFIXES["schema"]


@dataclass(frozen=True)
class Entity:
    iri: str
    label: str
    alt_labels: tuple[str, ...]
    types: tuple[str, ...]  # its rdf:types, sorted


@dataclass(frozen=True)
class Quantity:
    iri: str
    text: str | None  # ts:valueText, the number as the paper words it
    value: str | None
    min_value: str | None
    max_value: str | None
    units: tuple[str, ...]
    hedges: tuple[str, ...]  # e.g. ts:hedge-up-to
    reference_periods: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    """A statement, event or agreement: what it is, when, and where the paper says it."""
    iri: str
    label: str
    span: TimeSpan | None
    provenance: Provenance
    negated: bool
    quantities: tuple[Quantity, ...]
    claim_holders: tuple[str, ...]


def read_entity(g: GraphView, iri: str) -> Entity:
    return Entity(iri, g.label(iri), tuple(sorted({o.value for o in g.objects(iri, SKOS + "altLabel")})),
                  tuple(sorted(g.iris(iri, RDF_TYPE))))


def _lexical(g: GraphView, n: str, p: str) -> str | None:
    o = g.first(n, p)
    return o.value if o is not None else None


def read_quantity(g: GraphView, q: str) -> Quantity:
    return Quantity(q, _lexical(g, q, TS + "valueText"), _lexical(g, q, SCHEMA + "value"),
                    _lexical(g, q, SCHEMA + "minValue"), _lexical(g, q, SCHEMA + "maxValue"),
                    tuple(g.iris(q, TS + "unit")), tuple(g.iris(q, TS + "hedge")),
                    tuple(g.iris(q, TS + "referencePeriod")))


def read_statement(g: GraphView, n: str) -> Statement:
    return Statement(
        iri=n, label=g.label(n), span=node_span(g, n), provenance=provenance(g, n),
        negated=any(o.value == "true" for o in g.objects(n, TS + "negated")),
        quantities=tuple(read_quantity(g, q) for q in g.iris(n, TS + "quantity")),
        claim_holders=tuple(g.iris(n, TS + "claimHolder")),
    )
