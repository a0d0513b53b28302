"""Conflicting values: for each pair of entities matched (or offered as candidates), the values
both sides give for the same property or measured aspect, listed side by side when they disagree."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

import pyoxigraph as ox

from tajsec.core.terms import AnyTerm, Resource, solutions
from tajsec.merge.facts import THEIR_MEASUREMENTS, WIKIDATA_FACTS, Fact, measurement_facts
from tajsec.merge.ours import Ours
from tajsec.merge.report import Conflict, InputInfo, MergeReport, Value
from tajsec.merge.terms import literal_text, nt, number, short
from tajsec.merge.vocabulary import (
    NOT_COMPARED,
    NOT_COMPARED_NAMESPACES,
    OTHER_PROPERTIES,
    SCHEMA,
    SCHEMA_HTTP,
    WDP,
    WDPS,
    WDT,
    WIKIDATA_PROPERTIES,
)


def conflicts(store: ox.Store, graphs: list[ox.NamedNode], info: InputInfo, labels: dict, ours: Ours,
              matches: dict, candidates: dict, report: MergeReport) -> None:
    """Adds to `report` the conflicts between ours and one input (`graphs` of `store`)."""
    pairs = _pairs(matches, candidates)
    if not pairs:
        return
    equiv = _equivalences(matches, ours)
    theirs_facts = their_facts(store, graphs, info.path, labels)
    blank_nodes = {"_:" + lab: b for b, lab in reversed(labels.items())}
    seen = set()
    for our_iri, theirs_text, basis in sorted(pairs):
        if (our_iri, theirs_text) in seen:
            continue
        seen.add((our_iri, theirs_text))
        ours_all = list(ours.facts.get(f"<{our_iri}>", [])) + _our_predicate_facts(store, ours, our_iri)
        theirs_all = list(theirs_facts.get(theirs_text, []))
        their_term = term_of(theirs_text, blank_nodes)
        if their_term is not None:
            theirs_all += _their_predicate_facts(store, graphs, their_term, info.path, labels)
        for key, o_vals, t_vals in _disagreements(ours_all, theirs_all, lambda text: equiv.get(text, text)):
            kind, iri = key.split(" ", 1)
            prop = f"{short(iri)} (measured aspect)" if kind == "aspect" else short(iri)
            report.conflicts.append(Conflict(
                f"<{our_iri}>", theirs_text, info.path, basis, prop,
                sorted((Value(f.shown, f.source, f.node, f.detail) for f in o_vals), key=value_key),
                sorted((Value(f.shown, f.source, f.node, f.detail) for f in t_vals), key=value_key)))


def _pairs(matches: dict, candidates: dict) -> list[tuple[str, str, str]]:
    """(our IRI, their N-Triples, basis) of every match and candidate."""
    pairs = []
    for m in matches.values():
        via = f" {short(m.via)}" if m.via else ""
        pairs.append((m.ours[1:-1], m.theirs, m.basis + via))
    for c in candidates.values():
        pairs.append((c.ours[1:-1], c.theirs, f"candidate by label {c.their_label!r}, if accepted"))
    return pairs


def _equivalences(matches: dict, ours: Ours) -> dict[str, str]:
    """For comparing IRI values: their IRI -> our IRI."""
    equiv: dict[str, str] = {}
    for m in matches.values():
        equiv.setdefault(m.theirs, m.ours)
    for ext, our_iris in ours.external.items():
        if len(our_iris) == 1:
            equiv.setdefault(f"<{ext}>", f"<{next(iter(our_iris))}>")
    return equiv


def _disagreements(ours_all: list[Fact], theirs_all: list[Fact],
                   canon: Callable[[str], str]) -> Iterator[tuple[str, list[Fact], list[Fact]]]:
    """(key, our facts, their facts) for each key both sides have, where some value of theirs
    agrees with none of ours."""
    by_key_ours: dict[str, list[Fact]] = defaultdict(list)
    for f in ours_all:
        by_key_ours[f.key].append(f)
    by_key_theirs: dict[str, list[Fact]] = defaultdict(list)
    for f in theirs_all:
        by_key_theirs[f.key].append(f)
    for key in sorted(set(by_key_ours) & set(by_key_theirs)):
        o_vals, t_vals = by_key_ours[key], by_key_theirs[key]
        if not all(any(agree(t, o, canon) for o in o_vals) for t in t_vals):
            yield key, o_vals, t_vals


def their_facts(store: ox.Store, graphs: list[ox.NamedNode], given: str, labels: dict) -> dict[str, list[Fact]]:
    """An input's facts from the measurement pattern and from mapped properties, keyed by the
    N-Triples form of the entity."""
    facts = measurement_facts(store, THEIR_MEASUREMENTS, lambda g: given, labels, default_graph=graphs)
    direct = " ".join(f"<{WDT}{p}>" for p in WIKIDATA_PROPERTIES)
    full = " ".join(f"(<{WDP}{p}> <{WDPS}{p}>)" for p in WIKIDATA_PROPERTIES)
    wikidata: dict[str, list[Fact]] = defaultdict(list)
    for r in solutions(store.query(WIKIDATA_FACTS % {"direct": direct, "full": full}, default_graph=[*graphs])):
        pid = r["prop"].value.rsplit("/", 1)[-1]
        kind, target = WIKIDATA_PROPERTIES[pid]
        detail = f"point in time {r['time'].value}" if r["time"] is not None else None
        node = nt(r["st"], labels) if r["st"] is not None else None
        wikidata[nt(r["x"], labels)].append(mapped_fact(kind, target, r["v"], given, node, detail, labels,
                                                        f"{short(r['prop'].value)}"))
    for x, found in wikidata.items():
        # wdt: is the "truthy" copy of a full statement: keep the statement, with its qualifiers
        full_values = {(f.key, f.shown) for f in found if f.node is not None}
        facts[x].extend(f for f in found if f.node is not None or (f.key, f.shown) not in full_values)
    for prop, (kind, target) in OTHER_PROPERTIES.items():
        for g in graphs:
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, g):
                v = q.object
                if not isinstance(v, ox.Literal):
                    inner = [x.object for x in store.quads_for_pattern(v, ox.NamedNode(SCHEMA + "value"), None, g)] + \
                            [x.object for x in store.quads_for_pattern(v, ox.NamedNode(SCHEMA_HTTP + "value"), None, g)]
                    v = inner[0] if inner else v
                fact = mapped_fact(kind, target, v, given, None, None, labels, short(prop))
                facts[nt(q.subject, labels)].append(fact)
    return facts


def _our_predicate_facts(store: ox.Store, ours: Ours, our_iri: str) -> list[Fact]:
    out = []
    for q in store.quads_for_pattern(ox.NamedNode(our_iri), None, None, None):
        src = ours.graphs.get(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else None
        if src is None or not compared(q.predicate.value):
            continue
        out.append(Fact("predicate " + q.predicate.value, q.object, literal_text(q.object), src))
    return out


def _their_predicate_facts(store: ox.Store, graphs: list[ox.NamedNode], term: Resource, given: str,
                           labels: dict) -> list[Fact]:
    return [Fact("predicate " + q.predicate.value, q.object, literal_text(q.object, labels), given)
            for g in graphs for q in store.quads_for_pattern(term, None, None, g) if compared(q.predicate.value)]


def value_key(v: Value) -> tuple:
    return (v.value, v.source, v.node or "", v.detail or "")


def compared(p: str) -> bool:
    return p not in NOT_COMPARED and not p.startswith(NOT_COMPARED_NAMESPACES)


def term_of(text: str, blank_nodes: dict[str, ox.BlankNode]) -> ox.NamedNode | ox.BlankNode | None:
    """The term of an N-Triples IRI or canonically labelled blank node (`blank_nodes`: "_:label" -> node)."""
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    return blank_nodes.get(text)


def mapped_fact(kind: str, target: str, v: AnyTerm, source: str, node: str | None, detail: str | None,
                labels: dict | None, via: str) -> Fact:
    detail = "; ".join(x for x in (f"via {via}", detail) if x)
    if kind == "aspect":
        n = number(v)
        return Fact("aspect " + target, (n, n) if n is not None else v, literal_text(v, labels), source, node, detail)
    return Fact("predicate " + target, v, literal_text(v, labels), source, node, detail)


def agree(t: Fact, o: Fact, canon: Callable[[str], str]) -> bool:
    a, b = t.term, o.term
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)):
            return False
        (alo, ahi), (blo, bhi) = a, b
        lo = max(x for x in (alo, blo) if x is not None) if (alo is not None or blo is not None) else None
        hi = min(x for x in (ahi, bhi) if x is not None) if (ahi is not None or bhi is not None) else None
        return lo is None or hi is None or lo <= hi
    if isinstance(a, ox.Literal) and isinstance(b, ox.Literal):
        na, nb = number(a), number(b)
        if na is not None and nb is not None:
            return na == nb
        return a.value == b.value and (a.language or "").lower() == (b.language or "").lower()
    if isinstance(a, ox.Literal) or isinstance(b, ox.Literal):
        return False
    return canon(nt(a)) == canon(nt(b))
