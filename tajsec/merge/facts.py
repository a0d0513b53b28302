"""Facts compared for conflicts: values of the measurement pattern and of mapped properties, read
from a store with SPARQL."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from tajsec.core.terms import AnyTerm, Term, solutions
from tajsec.merge.terms import nt, number, short

Bounds = tuple[Decimal | None, Decimal | None]


@dataclass
class Fact:
    key: str                 # "aspect <IRI>" or "predicate <IRI>"
    term: AnyTerm | Bounds   # an RDF term, or (low, high) for quantities
    shown: str
    source: str
    node: str | None = None
    detail: str | None = None


MEASUREMENTS = """
PREFIX schema: <https://schema.org/>
PREFIX ts: <https://w3id.org/tajsec/onto/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT * WHERE {
  %(pattern)s
  OPTIONAL { ?q schema:value ?v } OPTIONAL { ?q schema:minValue ?min } OPTIONAL { ?q schema:maxValue ?max }
  OPTIONAL { ?q ts:valueText ?text } OPTIONAL { ?q ts:hedge ?hedge }
  OPTIONAL { ?q ts:referencePeriod/rdfs:label ?period }
  FILTER NOT EXISTS { ?q ts:partOf ?whole }
}"""
OUR_MEASUREMENTS = MEASUREMENTS % {
    "pattern": "GRAPH ?g { ?m ts:measuredEntity ?e ; ts:aspect ?aspect ; ts:quantity ?q }"}
THEIR_MEASUREMENTS = MEASUREMENTS % {"pattern": "?m ts:measuredEntity ?e ; ts:aspect ?aspect ; ts:quantity ?q ."}

WIKIDATA_FACTS = """
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
SELECT ?x ?prop ?v ?st ?time WHERE {
  { VALUES ?prop { %(direct)s } ?x ?prop ?v . }
  UNION
  { VALUES (?prop ?ps) { %(full)s } ?x ?prop ?st . ?st ?ps ?v .
    OPTIONAL { ?st pq:P585 ?time } }
}"""


def measurement_facts(store: ox.Store, rows_query: str, source_of: Callable[[Term], str],
                      labels: dict | None = None, **kw: Any) -> dict:
    """Aspect facts of the measurement pattern, keyed by the measured entity's N-Triples form."""
    facts: dict[str, list[Fact]] = defaultdict(list)
    for r in solutions(store.query(rows_query, **kw)):
        lo = hi = None
        v, mn, mx = number(r["v"]), number(r["min"]), number(r["max"])
        if v is not None:
            lo = hi = v
        if mn is not None:
            lo = mn
        if mx is not None:
            hi = mx
        if lo is None and hi is None:
            continue
        shown = r["text"].value if r["text"] is not None else (
            str(v) if v is not None else f"{mn if mn is not None else ''}..{mx if mx is not None else ''}")
        detail = "; ".join(x for x in (
            f"hedge {short(r['hedge'].value)}" if r["hedge"] is not None else None,
            f"period {r['period'].value}" if r["period"] is not None else None) if x)
        facts[nt(r["e"], labels)].append(Fact(
            "aspect " + r["aspect"].value, (lo, hi), shown, source_of(r["g"]), nt(r["m"], labels), detail or None))
    return facts
