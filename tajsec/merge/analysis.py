"""Matching one input with ours: entities both sides describe (same IRI, shared external IRI,
direct links), candidates by label for review, and the entities only the input has."""
from __future__ import annotations

import heapq
from collections.abc import Iterator

import pyoxigraph as ox

from tajsec.core.namespaces import TS
from tajsec.core.terms import Resource, Term
from tajsec.merge.conflicts import compared, conflicts
from tajsec.merge.names import normalise_name, skeleton
from tajsec.merge.ours import Ours
from tajsec.merge.report import Candidate, InputInfo, Match, MergeReport
from tajsec.merge.terms import nt, short
from tajsec.merge.vocabulary import (
    LABEL_PREDICATES,
    LINK_PREDICATES,
    OTHER_PROPERTIES,
    REPORT_LIMIT,
    SCHEMA,
    SCHEMA_HTTP,
    WDP,
    WDPQ,
    WDPS,
    WDT,
    WIKIDATA_PROPERTIES,
)

SAME_SPELLING = "same spelling after normalisation"


class InputView:
    """One input's graphs in the analysis store, and its blank nodes' canonical labels."""

    def __init__(self, store: ox.Store, info: InputInfo, labels: dict) -> None:
        self.store, self.info, self.labels, self.given = store, info, labels, info.path
        self.graphs = [ox.NamedNode(info.graph), *(ox.NamedNode(g) for g in info.subgraphs.values())]

    def quads(self, s: Resource | ox.Triple | None = None, p: ox.NamedNode | None = None,
              o: Term | None = None) -> Iterator[ox.Quad]:
        for g in self.graphs:
            yield from self.store.quads_for_pattern(s, p, o, g)

    def describes(self, term: Resource | ox.Triple) -> bool:
        return next(iter(self.quads(term)), None) is not None

    def label(self, term: Resource | ox.Triple) -> str | None:
        found = sorted(q.object.value for q in self.quads(term) if q.predicate.value in LABEL_PREDICATES
                       and isinstance(q.object, ox.Literal))
        return found[0] if found else None


def analyse(store: ox.Store, info: InputInfo, labels: dict, ours: Ours, report: MergeReport) -> None:
    """Matches, candidates, conflicts and new entities of one input."""
    view = InputView(store, info, labels)
    matches = find_matches(view, ours)
    matched_theirs = {m.theirs for m in matches.values()}
    candidates, labelled = find_candidates(view, ours, matched_theirs)
    report.matches.extend(matches.values())
    report.candidates.extend(candidates.values())
    paired = matched_theirs | {c.theirs for c in candidates.values()}
    new = [t for t in labelled if t not in paired]  # labelled, neither matched nor candidate
    report.new_entities_total[view.given] = len(new)
    report.new_entities[view.given] = [
        f"{short(t)} {view.label(labelled[t])!r}" for t in heapq.nsmallest(REPORT_LIMIT, new)]
    conflicts(store, view.graphs, info, labels, ours, matches, candidates, report)


def find_matches(view: InputView, ours: Ours) -> dict[tuple[str, str], Match]:
    """Entities both sides describe: by same IRI, by a shared external IRI, by a direct link."""
    matches: dict[tuple[str, str], Match] = {}

    def add(our_iri: str, theirs: Resource | ox.Triple, basis: str, via: str | None) -> None:
        key = (our_iri, nt(theirs, view.labels))
        if key not in matches:
            matches[key] = Match(f"<{our_iri}>", key[1], view.given, basis, via and f"<{via}>",
                                 ours.labels.get(our_iri), view.label(theirs))

    for iri in sorted(ours.entities):
        if view.describes(ox.NamedNode(iri)):
            add(iri, ox.NamedNode(iri), "same IRI", None)
    # the same external IRI: they describe it, or link to it
    for ext, our_iris in sorted(ours.external.items()):
        node = ox.NamedNode(ext)
        for our_iri in sorted(our_iris):
            if view.describes(node):
                add(our_iri, node, "shared external IRI", ext)
            for lp in LINK_PREDICATES:
                for q in view.quads(None, ox.NamedNode(lp), node):
                    add(our_iri, q.subject, "shared external IRI", ext)
                for q in view.quads(node, ox.NamedNode(lp), None):
                    if not isinstance(q.object, ox.Literal):
                        add(our_iri, q.object, "shared external IRI", ext)
    # linked to one of ours directly
    for lp in LINK_PREDICATES:
        for q in view.quads(None, ox.NamedNode(lp), None):
            for a, b in ((q.subject, q.object), (q.object, q.subject)):
                if isinstance(a, ox.NamedNode) and a.value in ours.entities and not isinstance(b, ox.Literal) \
                        and not (isinstance(b, ox.NamedNode) and b.value in ours.entities):
                    add(a.value, b, f"linked with {short(lp)}", None)
    return matches


def find_candidates(view: InputView, ours: Ours, matched_theirs: set[str]
                    ) -> tuple[dict[tuple[str, str], Candidate], dict[str, Resource]]:
    """Candidate matches by normalised label (never asserted), and every labelled node of the
    input (N-Triples form -> term)."""
    candidates: dict[tuple[str, str], Candidate] = {}
    labelled: dict[str, Resource] = {}
    for lp in sorted(LABEL_PREDICATES):
        for q in view.quads(None, ox.NamedNode(lp), None):
            if not isinstance(q.object, ox.Literal) or isinstance(q.subject, ox.Triple):
                continue
            theirs = nt(q.subject, view.labels)
            labelled.setdefault(theirs, q.subject)
            if theirs in matched_theirs:
                continue
            for c in _label_hits(view.given, ours, theirs, q.object.value):
                ck = (c.ours, theirs)
                if ck not in candidates or cand_rank(c) < cand_rank(candidates[ck]):
                    candidates[ck] = c
    return candidates, labelled


def _label_hits(given: str, ours: Ours, theirs: str, their_label: str) -> list[Candidate]:
    """Our entities whose label has the same normalised spelling, or failing that the same
    consonant skeleton, as `their_label`."""
    n = normalise_name(their_label)
    if not n:
        return []
    hits = [(x, SAME_SPELLING, n) for x in ours.strong.get(n, ())]
    if not hits:
        k = skeleton(n)
        hits = [(x, "same consonant skeleton", k) for x in ours.weak.get(k, ())]
    return [Candidate(f"<{our_iri}>", theirs, given, our_label, their_label, key, rule)
            for (our_iri, our_label), rule, key in hits if f"<{our_iri}>" != theirs]


def cand_rank(c: Candidate) -> tuple:
    return (c.rule != SAME_SPELLING, c.their_label, c.our_label)


def sort_report(report: MergeReport) -> None:
    report.matches.sort(key=lambda m: (m.input, m.ours, m.theirs))
    report.candidates.sort(key=lambda c: (c.input, c.ours, c.theirs))
    report.conflicts.sort(key=lambda c: (c.input, c.ours, c.theirs, c.property))
    report.ontology_changes.sort(key=lambda h: (h.input, h.subject, h.predicate, h.object))
    report.standard_term_axioms.sort(key=lambda h: (h.input, h.subject, h.predicate, h.object))
    report.unresolved_imports.sort(key=lambda u: (u.input, u.subject, u.imported))


def analysis_predicates(ours: Ours) -> frozenset[str]:
    """Predicates of input triples the analysis looks at (the rest only goes to the output):
    names, links, the measurement pattern, mapped properties, and every predicate our entities use
    that conflicts are looked for in."""
    preds = set(LABEL_PREDICATES) | set(LINK_PREDICATES) | set(OTHER_PROPERTIES)
    preds |= {TS + x for x in ("measuredEntity", "aspect", "quantity", "partOf", "valueText", "hedge",
                               "referencePeriod")}
    preds |= {ns + x for ns in (SCHEMA, SCHEMA_HTTP) for x in ("value", "minValue", "maxValue")}
    for pid in WIKIDATA_PROPERTIES:
        preds |= {WDT + pid, WDP + pid, WDPS + pid}
    preds.add(WDPQ + "P585")
    preds |= {p for p in ours.predicates if compared(p)}
    return frozenset(preds)
