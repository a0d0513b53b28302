"""The one reader of time as data: for every statement, event and agreement of a graph, the bounds
of its beginning and its end, tightened by the relative-time relations between nodes.

Where a thing's time is read from, first that applies (one key per thing; relations on the thing
and on its time node constrain the same moments):
  1. `time:hasTime`, `ts:validDuring`, `org:memberDuring`, or its `ts:quantity`'s
     `ts:referencePeriod`: a temporal node, that is an instant (`time:inXSD*` value and/or
     `ts:notBefore`/`ts:notAfter`; its beginning and end are one moment) or an interval
     (`time:hasBeginning`/`time:hasEnd` instants; a missing one is open);
  2. `schema:startDate` / `schema:endDate` on the thing (an event with no end is an instant).
An instant's value is normalised at its precision where it has no `ts:notBefore`/`ts:notAfter`
(so other people's data and ours before issue 14 work), and met with them where it has.
`ts:reportedOn` (when a plan was reported) is read beside. An agreement begins when a signing
event (`ts:agreement`) that was done took place.

Relations (OWL-Time `time:before`/`time:after` and the interval relations) become constraints
`p <= q` between the beginnings and ends, propagated until nothing changes; a moment whose
earliest bound passes its latest is an inconsistency. Strict relations ("before") are kept as
`<=`: bounds are at the second and the paper is never that precise.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from tajsec.core.namespaces import (
    ORG,
    PAPER_PRESENT,
    RDF_TYPE,
    RDFS,
    SCHEMA,
    TIME,
    TIME_HAS_BEGINNING,
    TIME_HAS_END,
    TIME_HAS_TIME,
    TIME_INSTANT_VALUES,
    TIME_RELATIONS,
    TS,
    TS_NOT_AFTER,
    TS_NOT_BEFORE,
    TS_PLAN_STATUSES,
    TS_STATUS_FORMER,
)
from tajsec.core.terms import solutions
from tajsec.timeline.bounds import UNKNOWN, Bounds, moment, span

Point = tuple[str, str]  # (key, "b" | "e")
KINDS = {TS + "Statement": "statement", TS + "Event": "event", TS + "Agreement": "agreement"}
TIME_NODE_PROPERTIES = (TIME_HAS_TIME, TS + "validDuring", ORG + "memberDuring")
INSTANT_TYPES = (TS + "Instant", TIME + "Instant")
INTERVAL_TYPES = (TS + "Interval", TIME + "Interval", TIME + "ProperInterval")
#: the paper's present when the graph has no node for it (time model: the latest dated item the
#: paper cites is 3 November 2004; it speaks of 2005 as the future)
DEFAULT_PRESENT = Bounds(span("2004-11-03").lo, span("2004").hi)  # type: ignore[union-attr]


def _rel(name: str) -> str:
    return TIME + name


# each relation X r Y as constraints between (X|Y, b|e) points: ("Xe", "Yb") means end(X) <= begin(Y);
# an "=" pair is two constraints
RELATION_RULES: dict[str, tuple[tuple[str, str, str], ...]] = {
    _rel("before"): (("Xe", "<=", "Yb"),),
    _rel("intervalBefore"): (("Xe", "<=", "Yb"),),
    _rel("after"): (("Ye", "<=", "Xb"),),
    _rel("intervalAfter"): (("Ye", "<=", "Xb"),),
    _rel("intervalMeets"): (("Xe", "=", "Yb"),),
    _rel("intervalMetBy"): (("Ye", "=", "Xb"),),
    _rel("intervalOverlaps"): (("Xb", "<=", "Yb"), ("Yb", "<=", "Xe"), ("Xe", "<=", "Ye")),
    _rel("intervalOverlappedBy"): (("Yb", "<=", "Xb"), ("Xb", "<=", "Ye"), ("Ye", "<=", "Xe")),
    _rel("intervalStarts"): (("Xb", "=", "Yb"), ("Xe", "<=", "Ye")),
    _rel("intervalStartedBy"): (("Xb", "=", "Yb"), ("Ye", "<=", "Xe")),
    _rel("intervalDuring"): (("Yb", "<=", "Xb"), ("Xe", "<=", "Ye")),
    _rel("intervalContains"): (("Xb", "<=", "Yb"), ("Ye", "<=", "Xe")),
    _rel("intervalFinishes"): (("Xe", "=", "Ye"), ("Yb", "<=", "Xb")),
    _rel("intervalFinishedBy"): (("Xe", "=", "Ye"), ("Xb", "<=", "Yb")),
    _rel("intervalEquals"): (("Xb", "=", "Yb"), ("Xe", "=", "Ye")),
}
assert set(RELATION_RULES) == set(TIME_RELATIONS)


@dataclass
class Thing:
    """A statement, event or agreement, and where its time is."""
    iri: str
    kind: str  # statement | event | agreement
    key: str  # the node whose beginning and end are this thing's (its temporal node, or itself)
    status: str | None = None  # "former", "plan" or None
    reported: Bounds | None = None  # ts:reportedOn


@dataclass(frozen=True)
class Inconsistency:
    """A moment no value fits: its bounds after propagation, and the relations involved."""
    key: str
    which: str  # "beginning" | "end"
    bounds: Bounds


@dataclass
class Timeline:
    """Every thing's beginning and end bounds, after propagation."""
    things: dict[str, Thing]
    points: dict[Point, Bounds]
    relations: list[tuple[str, str, str]]  # (x, relation, y) as stated, between keys
    present: Bounds = DEFAULT_PRESENT
    instants: set[str] = field(default_factory=set)  # keys whose beginning is their end
    inconsistencies: list[Inconsistency] = field(default_factory=list)

    def begin(self, key: str) -> Bounds:
        return self.points.get((key, "b"), UNKNOWN)

    def end(self, key: str) -> Bounds:
        return self.points.get((key, "e"), UNKNOWN)

    def dated(self, iri: str) -> bool:
        """Whether anything bounds the thing's time (a date of its own, or a relation)."""
        k = self.things[iri].key
        return self.begin(k).known or self.end(k).known


class _Triples:
    """The objects of the few properties time needs, read once, predicate by predicate."""

    def __init__(self, store: ox.Store, predicates: tuple[str, ...]) -> None:
        self.by: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = {}
        for p in predicates:
            table: dict[str, list] = defaultdict(list)
            for q in store.quads_for_pattern(None, ox.NamedNode(p), None, None):
                s, o = q.subject, q.object
                if isinstance(s, ox.NamedNode) and isinstance(o, (ox.NamedNode, ox.Literal)) \
                        and o not in table[s.value]:
                    table[s.value].append(o)
            self.by[p] = table

    def objects(self, s: str, p: str) -> list:
        return self.by[p].get(s, [])

    def first(self, s: str, p: str) -> ox.NamedNode | ox.Literal | None:
        objs = self.by[p].get(s)
        return objs[0] if objs else None

    def subjects(self, p: str) -> list[str]:
        return list(self.by[p])


_KIND_IRIS = " ".join(f"<{k}>" for k in KINDS)
_THINGS = f"""
SELECT DISTINCT ?n ?k WHERE {{
  ?n a ?c . ?c <{RDFS}subClassOf>* ?k . VALUES ?k {{ {_KIND_IRIS} }}
  FILTER(isIRI(?n))
}}"""

_PREDICATES = (RDF_TYPE, *TIME_NODE_PROPERTIES, TS + "quantity", TS + "referencePeriod", TIME_HAS_BEGINNING,
               TIME_HAS_END, *TIME_INSTANT_VALUES, TS_NOT_BEFORE, TS_NOT_AFTER, SCHEMA + "startDate",
               SCHEMA + "endDate", TS + "reportedOn", TS + "status", TS + "agreement", *TIME_RELATIONS)


def _literal_span(t: ox.NamedNode | ox.Literal | None) -> Bounds:
    return (span(t.value) or UNKNOWN) if isinstance(t, ox.Literal) else UNKNOWN


class _Builder:
    def __init__(self, store: ox.Store) -> None:
        self.g = _Triples(store, _PREDICATES)
        self.points: dict[Point, Bounds] = {}
        self.constraints: list[tuple[Point, Point]] = []
        self.seen: set[str] = set()
        self.instants: set[str] = set()

    def le(self, p: Point, q: Point) -> None:
        self.constraints.append((p, q))

    def eq(self, p: Point, q: Point) -> None:
        self.constraints += [(p, q), (q, p)]

    def bound(self, p: Point, b: Bounds) -> None:
        self.points[p] = self.points.get(p, UNKNOWN).meet(b)

    def is_instant(self, n: str) -> bool:
        types = {t.value for t in self.g.objects(n, RDF_TYPE)}
        if types & set(INSTANT_TYPES):
            return True
        if types & set(INTERVAL_TYPES) or self.g.first(n, TIME_HAS_BEGINNING) or self.g.first(n, TIME_HAS_END):
            return False
        return any(self.g.first(n, p) is not None for p in (*TIME_INSTANT_VALUES, TS_NOT_BEFORE, TS_NOT_AFTER))

    def temporal(self, n: str) -> None:
        """The bounds of temporal node `n` (an instant or an interval) and those it is made of."""
        if n in self.seen:
            return
        self.seen.add(n)
        self.le((n, "b"), (n, "e"))
        if self.is_instant(n):
            self.instants.add(n)
            self.eq((n, "b"), (n, "e"))
            b = UNKNOWN
            for p in TIME_INSTANT_VALUES:
                for v in self.g.objects(n, p):
                    b = b.meet(_literal_span(v))
            lo, hi = self.g.first(n, TS_NOT_BEFORE), self.g.first(n, TS_NOT_AFTER)
            m_lo = moment(lo.value) if isinstance(lo, ox.Literal) else None
            m_hi = moment(hi.value) if isinstance(hi, ox.Literal) else None
            b = b.meet(Bounds(m_lo or UNKNOWN.lo, m_hi or UNKNOWN.hi))
            self.bound((n, "b"), b)
            return
        for p, end in ((TIME_HAS_BEGINNING, "b"), (TIME_HAS_END, "e")):
            inst = self.g.first(n, p)
            if isinstance(inst, ox.NamedNode):
                self.temporal(inst.value)
                self.eq((n, end), (inst.value, end))

    def key_of(self, n: str) -> str:
        for p in TIME_NODE_PROPERTIES:
            t = self.g.first(n, p)
            if isinstance(t, ox.NamedNode):
                return t.value
        for q in self.g.objects(n, TS + "quantity"):
            t = self.g.first(q.value, TS + "referencePeriod") if isinstance(q, ox.NamedNode) else None
            if isinstance(t, ox.NamedNode):
                return t.value
        return n


def _status(g: _Triples, n: str) -> str | None:
    statuses = {s.value for s in g.objects(n, TS + "status")}
    if TS_STATUS_FORMER in statuses:
        return "former"
    return "plan" if statuses & set(TS_PLAN_STATUSES) else None


def read_timeline(store: ox.Store) -> Timeline:
    """The timeline of the graph in `store` (the union of its graphs)."""
    b = _Builder(store)
    g = b.g
    things: dict[str, Thing] = {}
    for row in solutions(store.query(_THINGS, use_default_graph_as_union=True)):
        iri, kind = row["n"].value, KINDS[row["k"].value]
        if iri in things and things[iri].kind != "statement":
            continue  # a node that is an event (or agreement) and a statement is read as the event
        reported = g.first(iri, TS + "reportedOn")
        things[iri] = Thing(iri, kind, b.key_of(iri), _status(g, iri),
                            _literal_span(reported) if reported is not None else None)
    for t in things.values():
        if t.key != t.iri:
            b.temporal(t.key)
            continue
        b.le((t.iri, "b"), (t.iri, "e"))
        start, end = g.first(t.iri, SCHEMA + "startDate"), g.first(t.iri, SCHEMA + "endDate")
        if start is not None:
            b.bound((t.iri, "b"), _literal_span(start))
        if end is not None:
            b.bound((t.iri, "e"), _literal_span(end))
        elif t.kind == "event":
            b.instants.add(t.iri)
            b.eq((t.iri, "b"), (t.iri, "e"))
    for ev, agreements in g.by[TS + "agreement"].items():
        ev_thing = things.get(ev)
        if ev_thing is None or ev_thing.kind != "event" or ev_thing.status is not None:
            continue
        if TS + "Signing" not in {c.value for c in g.objects(ev, RDF_TYPE)}:
            continue
        for a in agreements:
            if isinstance(a, ox.NamedNode) and a.value in things and things[a.value].key == a.value:
                b.eq((a.value, "b"), (ev_thing.key, "b"))
    key_of = {iri: t.key for iri, t in things.items()}
    relations = []
    for rel in TIME_RELATIONS:
        for x, ys in g.by[rel].items():
            for y in ys:
                if not isinstance(y, ox.NamedNode):
                    continue
                kx, ky = key_of.get(x, x), key_of.get(y.value, y.value)
                for k in (kx, ky):
                    if k not in things or things[k].key != k:
                        b.temporal(k)
                relations.append((kx, rel, ky))
                for lhs, op, rhs in RELATION_RULES[rel]:
                    p = (kx if lhs[0] == "X" else ky, lhs[1])
                    q = (kx if rhs[0] == "X" else ky, rhs[1])
                    (b.eq if op == "=" else b.le)(p, q)
    present = UNKNOWN
    if PAPER_PRESENT in g.by[TS_NOT_BEFORE] or PAPER_PRESENT in g.by[TS_NOT_AFTER]:
        b.temporal(PAPER_PRESENT)
    points, bad = propagate(b.points, b.constraints)
    if PAPER_PRESENT in b.seen:
        present = points.get((PAPER_PRESENT, "b"), UNKNOWN)
    return Timeline(things, points, relations, present if present.known else DEFAULT_PRESENT, b.instants, bad)


def propagate(points: dict[Point, Bounds], constraints: list[tuple[Point, Point]]
              ) -> tuple[dict[Point, Bounds], list[Inconsistency]]:
    """Tighten `points` by every constraint `p <= q` (q is no earlier than p's earliest; p is no
    later than q's latest) until nothing changes. Bounds only tighten, and only to values already
    there, so this ends; the number of rounds is capped at the number of points anyway."""
    pts = dict(points)
    for p, q in constraints:
        pts.setdefault(p, UNKNOWN)
        pts.setdefault(q, UNKNOWN)
    for _ in range(len(pts) + 1):
        changed = False
        for p, q in constraints:
            bp, bq = pts[p], pts[q]
            if bp.lo > bq.lo:
                pts[q] = bq = Bounds(bp.lo, bq.hi)
                changed = True
            if bq.hi < bp.hi:
                pts[p] = Bounds(bp.lo, bq.hi)
                changed = True
        if not changed:
            break
    bad = [Inconsistency(k, "beginning" if w == "b" else "end", v) for (k, w), v in sorted(pts.items()) if v.empty]
    return pts, bad


__all__ = ["KINDS", "Inconsistency", "Thing", "Timeline", "propagate", "read_timeline"]
