"""`tajsec describe`: an entity card built from the graph: types, labels, variants, and every
statement about it or pointing to it, dated where the graph dates it, each with its source."""
from __future__ import annotations

import re

import pyoxigraph as ox

from tajsec.namespaces import PREFIXES, expand, shorten

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


class NotFound(Exception):
    pass


class Ambiguous(Exception):
    def __init__(self, candidates):
        super().__init__(f"{len(candidates)} candidates")
        self.candidates = candidates


def _exists(built, iri: str) -> bool:
    node = ox.NamedNode(iri)
    return next(iter(built.store.quads_for_pattern(node, None, None, None)), None) is not None


_CANDIDATES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ts: <https://w3id.org/tajsec/onto/>
SELECT DISTINCT ?needle ?e ?label (GROUP_CONCAT(DISTINCT STR(?t); separator=" ") AS ?types) WHERE {
  { ?e rdfs:label ?l } UNION { ?e skos:altLabel ?l }
  FILTER(CONTAINS(LCASE(STR(?l)), LCASE(STR(?needle))))
  FILTER NOT EXISTS { ?e a ts:Statement }
  FILTER NOT EXISTS { ?e a ts:Quantity }
  FILTER NOT EXISTS { ?e a ts:Interval }
  FILTER NOT EXISTS { ?e a ts:Instant }
  ?e rdfs:label ?label .
  OPTIONAL { ?e a ?t FILTER(STRSTARTS(STR(?t), STR(ts:))) }
} GROUP BY ?needle ?e ?label ORDER BY ?label ?e
"""


def resolve(built, term: str) -> str:
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
    rows = list(built.query(_CANDIDATES, substitutions={ox.Variable("needle"): ox.Literal(term)}))
    if not rows:
        raise NotFound(f"{term!r}: no entity has a label or variant containing it")
    # Prefer, in turn: an exact label; a whole-word match on an actor or place; any whole-word
    # match; any substring match. The first tier with candidates decides.
    word = re.compile(rf"(?<!\w){re.escape(term.lower())}(?!\w)")

    def types_of(r) -> str:
        return r["types"].value if r["types"] is not None else ""

    def is_named_thing(r):
        return any(t in types_of(r) for t in ("onto/Actor", "onto/Place"))

    tiers = [
        [r for r in rows if r["label"].value.lower() == term.lower()],
        [r for r in rows if word.search(r["label"].value.lower()) and is_named_thing(r)],
        [r for r in rows if word.search(r["label"].value.lower())],
        rows,
    ]
    chosen = next(t for t in tiers if t)
    distinct = {r["e"].value for r in chosen}
    if len(distinct) == 1:
        return chosen[0]["e"].value
    raise Ambiguous([(r["e"].value, r["label"].value,
                      " ".join(shorten(t) for t in types_of(r).split())) for r in chosen])


_FACTS = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX ts: <https://w3id.org/tajsec/onto/>
SELECT ?entity ?node ?label ?kind ?role ?date ?begin ?end ?section ?footnote ?quote
       (GROUP_CONCAT(DISTINCT STR(?src); separator=" ") AS ?sources) WHERE {
  { ?node ?role ?entity } UNION { ?entity ?role ?node . FILTER(?role = ts:quantity) }
  FILTER(?node != ?entity)
  { ?node a ts:Statement } UNION { ?node a ts:Event } UNION { ?node a ts:Agreement }
  ?node rdfs:label ?label .
  OPTIONAL { ?node a ?kind . FILTER(STRSTARTS(STR(?kind), STR(ts:)))
             FILTER NOT EXISTS { ?sub rdfs:subClassOf ?kind . ?node a ?sub . FILTER(?sub != ?kind) } }
  OPTIONAL { ?node schema:startDate ?d1 }
  OPTIONAL { ?node ts:validDuring|<http://www.w3.org/ns/org#memberDuring> ?i .
             OPTIONAL { ?i time:hasBeginning/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?b }
             OPTIONAL { ?i time:hasEnd/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?e } }
  BIND(STR(?b) AS ?begin)
  BIND(STR(?e) AS ?end)
  BIND(COALESCE(STR(?d1), ?begin, ?end) AS ?date)
  OPTIONAL { ?node ts:inSection/rdfs:label ?section }
  OPTIONAL { ?node ts:footnote/ts:footnoteNumber ?footnote }
  OPTIONAL { ?node ts:evidenceQuote ?quote }
  OPTIONAL { ?node prov:wasDerivedFrom ?src }
}
GROUP BY ?entity ?node ?label ?kind ?role ?date ?begin ?end ?section ?footnote ?quote
ORDER BY ?date ?node
"""


def describe(built, iri: str) -> dict:
    node = ox.NamedNode(iri)
    card = {"iri": iri, "name": shorten(iri), "labels": [], "altLabels": [], "types": [],
            "exactMatch": [], "mentions": [], "statements": []}
    for q in built.store.quads_for_pattern(node, None, None, None):
        p = q.predicate.value
        if p == RDFS_LABEL:
            card["labels"].append(q.object.value)
        elif p == PREFIXES["skos"] + "altLabel":
            card["altLabels"].append(q.object.value)
        elif p == PREFIXES["rdf"] + "type" and q.object.value.startswith(PREFIXES["ts"]):
            card["types"].append(shorten(q.object.value))
        elif p == PREFIXES["skos"] + "exactMatch":
            card["exactMatch"].append(q.object.value)
        elif p == PREFIXES["ts"] + "evidenceQuote":
            card["mentions"].append(q.object.value)
    for k in ("labels", "altLabels", "types", "exactMatch", "mentions"):
        card[k] = sorted(set(card[k]))
    seen = {}
    for row in built.query(_FACTS, substitutions={ox.Variable("entity"): node}):
        key = row["node"].value
        entry = seen.get(key)
        if entry is None:
            entry = {"node": shorten(key), "label": row["label"].value,
                     "kind": shorten(row["kind"].value) if row["kind"] else None,
                     "roles": [], "date": row["date"].value if row["date"] else None,
                     "begin": row["begin"].value if row["begin"] else None,
                     "end": row["end"].value if row["end"] else None,
                     "section": row["section"].value if row["section"] else None,
                     "footnote": int(row["footnote"].value) if row["footnote"] else None,
                     "quote": row["quote"].value if row["quote"] else None,
                     "sources": sorted(shorten(s) for s in row["sources"].value.split())}
            seen[key] = entry
            card["statements"].append(entry)
        role = shorten(row["role"].value)
        if role not in entry["roles"]:
            entry["roles"].append(role)
    card["statements"].sort(key=lambda e: (e["date"] is None, e["date"] or "", e["node"]))
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
    lines.append(f"  {len(card['statements'])} statements and events (dated ones first, in time order):")
    for s in card["statements"]:
        if s["begin"] or s["end"]:
            when = f"{s['begin'] or '?'} – {s['end'] or '?'}"
        else:
            when = s["date"] or "undated"
        lines.append(f"  - [{when}] {s['label']}  ({s['kind'] or 'statement'}; {', '.join(s['roles'])})")
        where = s["section"] or "?"
        if s["footnote"]:
            where += f", footnote {s['footnote']}"
        lines.append(f"      {s['node']} | section: {where} | sources: {', '.join(s['sources'])}")
        if s["quote"]:
            lines.append(f"      \u201c{s['quote']}\u201d")
    return "\n".join(lines)
