"""`tajsec describe`: an entity card built from the graph: types, labels, variants, and every
statement about it or pointing to it, dated where the graph dates it, each with its source."""
from __future__ import annotations

import re

import pyoxigraph as ox

from tajsec.core.errors import TajsecError
from tajsec.core.namespaces import PREFIXES, RDFS_LABEL, expand, shorten
from tajsec.core.terms import solutions
from tajsec.graph.build import Built
from tajsec.graph.evidence import provenance
from tajsec.graph.index import StoreView
from tajsec.graph.models import read_entity, read_statement
from tajsec.graph.time import TimeSpan

RDFS_LABEL = RDFS_LABEL


class NotFound(TajsecError):
    pass


class Ambiguous(TajsecError):
    def __init__(self, candidates: list) -> None:
        super().__init__(f"{len(candidates)} candidates")
        self.candidates = candidates


def _exists(built: Built, iri: str) -> bool:
    node = ox.NamedNode(iri)
    return next(iter(built.store.quads_for_pattern(node, None, None, None)), None) is not None


_CANDIDATES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ts: <https://w3id.org/tajsec/onto/>
SELECT DISTINCT ?needle ?e ?label ?l (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types) WHERE {
  { ?e rdfs:label ?l } UNION { ?e skos:altLabel ?l }
  FILTER(CONTAINS(LCASE(STR(?l)), LCASE(STR(?needle))))
  FILTER NOT EXISTS { ?e a ts:Statement }
  FILTER NOT EXISTS { ?e a ts:Quantity }
  FILTER NOT EXISTS { ?e a ts:Interval }
  FILTER NOT EXISTS { ?e a ts:Instant }
  ?e rdfs:label ?label .
  OPTIONAL { ?e a ?t FILTER(STRSTARTS(STR(?t), STR(ts:))) }
} GROUP BY ?needle ?e ?label ?l ORDER BY ?label ?e ?l
"""


def resolve(built: Built, term: str) -> str:
    """The IRI that `term` names: an IRI, a prefixed name, or a label (exact match first,
    then substring; a label matching several entities raises Ambiguous)."""
    if term.startswith("<") and term.endswith(">"):
        term = term[1:-1]
    if "://" in term:
        if _exists(built, term):
            return term
        raise NotFound(f"{term}: no statement in the graph is about this IRI")
    iri = expand(term) if term.split(":", 1)[0] in PREFIXES else None
    if iri:
        if _exists(built, iri):
            return iri
        raise NotFound(f"{term}: no statement in the graph is about {iri}")
    rows = list(solutions(built.query(_CANDIDATES, substitutions={ox.Variable("needle"): ox.Literal(term)})))
    if not rows:
        raise NotFound(f"{term!r}: no entity has a label or variant containing it")
    # Prefer, in turn: an exact label or spelling variant (the city "Dushanbe" and the government,
    # also written "Dushanbe", are then both candidates: never a silent pick); a whole-word match
    # on an actor or place; any whole-word match; any substring match. The first tier with
    # candidates decides.
    word = re.compile(rf"(?<!\w){re.escape(term.lower())}(?!\w)")

    def types_of(r: ox.QuerySolution) -> str:
        return r["types"].value if r["types"] is not None else ""

    def is_named_thing(r: ox.QuerySolution) -> bool:
        return any(t in types_of(r) for t in ("onto/Actor", "onto/Place"))

    tiers = [
        [r for r in rows if r["l"].value.lower() == term.lower()],
        [r for r in rows if word.search(r["l"].value.lower()) and is_named_thing(r)],
        [r for r in rows if word.search(r["l"].value.lower())],
        rows,
    ]
    chosen = next(t for t in tiers if t)
    distinct = {r["e"].value for r in chosen}
    if len(distinct) == 1:
        return chosen[0]["e"].value
    seen: set[str] = set()
    candidates = []
    for r in chosen:
        if r["e"].value not in seen:
            seen.add(r["e"].value)
            candidates.append((r["e"].value, r["label"].value, " ".join(shorten(t) for t in types_of(r).split())))
    raise Ambiguous(candidates)


# the statements, events and agreements that name the entity (or hold its quantity), with the
# properties by which they name it and their most specific ts: kind
_FACTS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX ts: <https://w3id.org/tajsec/onto/>
SELECT ?entity ?node ?kind ?role WHERE {
  { ?node ?role ?entity } UNION { ?entity ?role ?node . FILTER(?role = ts:quantity) }
  FILTER(?node != ?entity)
  { ?node a ts:Statement } UNION { ?node a ts:Event } UNION { ?node a ts:Agreement }
  ?node rdfs:label ?label .
  OPTIONAL { ?node a ?kind . FILTER(STRSTARTS(STR(?kind), STR(ts:)))
             FILTER NOT EXISTS { ?sub rdfs:subClassOf ?kind . ?node a ?sub . FILTER(?sub != ?kind) } }
}
GROUP BY ?entity ?node ?kind ?role
ORDER BY ?node
"""


def _statement_entry(view: StoreView, iri: str, kind: str | None) -> dict:
    st = read_statement(view, iri)
    span = st.span or TimeSpan(None, None)
    # begin and end are given for a span of time; a single date is given as the date alone
    is_range = span.interval or (span.end is not None and span.end != span.begin)
    prov = st.provenance
    footnote = next((int(f.number) for f in prov.footnotes if f.number is not None), None)
    return {"node": shorten(iri), "label": st.label, "kind": shorten(kind) if kind else None, "roles": [],
            "date": span.date, "begin": span.begin if is_range else None, "end": span.end if is_range else None,
            "section": view.label(prov.sections[0]) if prov.sections else None,
            "footnote": footnote, "quote": prov.quote, "sources": sorted(shorten(s) for s in prov.sources)}


def describe(built: Built, iri: str) -> dict:
    view = StoreView(built.store)
    entity = read_entity(view, iri)
    ts_types = [t for t in entity.types if t.startswith(PREFIXES["ts"])]
    statements: list[dict] = []
    card = {"iri": iri, "name": shorten(iri), "labels": sorted({o.value for o in view.objects(iri, RDFS_LABEL)}),
            "altLabels": list(entity.alt_labels), "types": sorted(shorten(t) for t in ts_types),
            "exactMatch": sorted(set(view.iris(iri, PREFIXES["skos"] + "exactMatch"))),
            "mentions": sorted(set(provenance(view, iri).quotes)), "statements": statements}
    seen: dict[str, dict] = {}
    for row in solutions(built.query(_FACTS, substitutions={ox.Variable("entity"): ox.NamedNode(iri)})):
        key = row["node"].value
        entry = seen.get(key)
        if entry is None:
            entry = seen[key] = _statement_entry(view, key, row["kind"].value if row["kind"] else None)
            statements.append(entry)
        role = shorten(row["role"].value)
        if role not in entry["roles"]:
            entry["roles"].append(role)
    for entry in statements:
        entry["roles"].sort()  # the store returns them in no fixed order
    statements.sort(key=lambda e: (e["date"] is None, e["date"] or "", e["node"]))
    return card


def card_text(card: dict) -> str:
    lines = [f"{card['labels'][0] if card['labels'] else card['name']}  <{card['iri']}>"]
    if card["types"]:
        lines.append(f"  types: {', '.join(card['types'])}")
    if card["altLabels"]:
        lines.append(f"  also written: {'; '.join(card['altLabels'])}")
    if card["exactMatch"]:
        lines.append(f"  same as: {', '.join(card['exactMatch'])}")
    for m in card["mentions"]:
        lines.append(f"  mentioned: \u201c{m}\u201d")
    as_of = f" in effect as of {card['asOf']}" if card.get("asOf") else ""
    lines.append(f"  {len(card['statements'])} statements and events{as_of} (dated ones first, in time order):")
    for s in card["statements"]:
        when = f"{s['begin'] or '?'} – {s['end'] or '?'}" if s["begin"] or s["end"] else s["date"] or "undated"
        mark = f"{s['inEffect']}: " if s.get("inEffect") else ""
        lines.append(f"  - {mark}[{when}] {s['label']}  ({s['kind'] or 'statement'}; {', '.join(s['roles'])})")
        where = s["section"] or "?"
        if s["footnote"]:
            where += f", footnote {s['footnote']}"
        lines.append(f"      {s['node']} | section: {where} | sources: {', '.join(s['sources'])}")
        if s["quote"]:
            lines.append(f"      \u201c{s['quote']}\u201d")
    return "\n".join(lines)
