"""The graph as of a date: the statements, events and agreements in effect then, each marked
"certainly" or "possibly", with the shortcut layer derived again from only those.

The rules (the time model; ontology/README.md, "As of a date"). Given a date D whose span is
[Ds, De] and a thing whose beginning lies in [b1, b2] and end in [e1, e2]:
  - certainly in effect: b2 <= Ds and e1 >= De (it surely began before D and surely ended after);
  - possibly: b1 <= De and e2 >= Ds (the bounds overlap D), but not certainly;
  - otherwise not in effect.
An event that is done is history once it has happened: certainly in the view if it surely began
by the end of D (b2 <= De), possibly if it may have (b1 <= De); so the view of 2004-06 keeps the
January dismissal and leaves out the August arrest. A planned event follows the plan rule below.
Open bounds, before that test: an unknown beginning is open below, but no later than the paper's
present (P, tsd:time-paper-present), its end or its `ts:reportedOn`, since it was reported; an
unknown end is open above and no earlier than P for a current thing (the paper states it in its
present), no later than P for a former one (ts:status-former). A plan (planned, envisaged,
promised, pledged) is in effect as a plan from when it was reported (`ts:reportedOn`; unknown:
no later than P) until the planned thing was to be done (its end, else its beginning; unknown:
still outstanding at P).

The view is a store with every asserted triple except those whose subject is a statement, event
or agreement not in effect; the build rules (queries/construct-*.rq, then queries/as-of-*.rq)
derive over it into the derived graph; and the graph AS_OF_GRAPH holds one
`?thing ts:inEffect ts:in-effect-certainly` (or `...-possibly`) per thing kept, and the date.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tajsec.core.namespaces import (
    AS_OF_GRAPH,
    TS_AS_OF_DATE,
    TS_IN_EFFECT,
    TS_IN_EFFECT_CERTAINLY,
    TS_IN_EFFECT_POSSIBLY,
    TS_NOT_AFTER,
    TS_NOT_BEFORE,
    XSD,
)
from tajsec.core.project import Project
from tajsec.graph.build import DERIVED_GRAPH, Built, construct_queries
from tajsec.graph.derivation import Derivations, Rule, derive
from tajsec.timeline.bounds import MAX, MIN, Bounds, iso, parse_as_of, precision
from tajsec.timeline.reader import Thing, Timeline, read_timeline

CERTAINLY, POSSIBLY = "certainly", "possibly"
MARKS = {CERTAINLY: TS_IN_EFFECT_CERTAINLY, POSSIBLY: TS_IN_EFFECT_POSSIBLY}
_DATATYPES = {"year": XSD + "gYear", "month": XSD + "gYearMonth", "day": XSD + "date"}


def as_of_rules(project: Project) -> list[Path]:
    """The build rules of an as-of view: the build's own, then queries/as-of-*.rq."""
    return construct_queries(project) + sorted((project.root / "queries").glob("as-of-*.rq"))


def effective_bounds(tl: Timeline, thing: Thing) -> tuple[Bounds, Bounds]:
    """The thing's beginning and end bounds with the open-bound rules of the module docstring."""
    k, present = thing.key, tl.present
    b, e = tl.begin(k), tl.end(k)
    if thing.status == "plan":
        due = e if e.hi != MAX else b  # an end known only from below (its beginning) is open
        reported = thing.reported or Bounds(MIN, present.hi)
        return reported, due if due.hi != MAX else Bounds(max(present.lo, due.lo), MAX)
    if thing.reported is not None:  # what was reported had begun by then
        b = b.meet(Bounds(MIN, thing.reported.hi))
    if k in tl.instants:
        when = b.meet(e)
        return (when, when) if when.known else (Bounds(MIN, present.hi),) * 2
    if thing.status == "former":
        e = e.meet(Bounds(MIN, present.hi))
    elif e.hi == MAX:  # open above: a current thing holds at the paper's present
        e = Bounds(max(present.lo, e.lo), MAX)
    if b.hi == MAX:
        b = Bounds(b.lo, min(present.hi, e.hi))
    return b, e


def in_effect(begin: Bounds, end: Bounds, date: Bounds) -> str | None:
    """"certainly", "possibly" or None: the rule of the module docstring."""
    if begin.hi <= date.lo and end.lo >= date.hi:
        return CERTAINLY
    if begin.lo <= date.hi and end.hi >= date.lo:
        return POSSIBLY
    return None


def happened(begin: Bounds, date: Bounds) -> str | None:
    """"certainly", "possibly" or None: whether an event had begun by the end of `date`."""
    if begin.hi <= date.hi:
        return CERTAINLY
    if begin.lo <= date.hi:
        return POSSIBLY
    return None


@dataclass
class View:
    """The graph as of `date`: `built` (its store is the view), and each thing kept with its mark.
    A view lives in its AsOf's one working store: it is valid until that AsOf's next `view`."""
    date: str
    span: Bounds
    built: Built
    effects: dict[str, str]


def _per_view(rule: Rule) -> bool:
    """Whether a build rule runs again in each view: the shortcut rules, the as-of rules, and the
    property closure (it reads any triple, so the shortcuts too). The others (types, labels,
    units) read only asserted triples whose subjects come and go with their statements."""
    return "shortcut" in rule.name or rule.name.startswith("as-of") or "property-closure" in rule.name


class AsOf:
    """Views of one built graph as of any date. The timeline is read once, and one working store
    made: the asserted graph with the build rules that do not depend on the date already run.
    Each view then takes out the things not in effect (and their derived triples), puts back those
    that are, and runs the per-view rules again (`_per_view`): a small change, not a copy."""

    def __init__(self, built: Built, project: Project) -> None:
        self.built = built
        self.timeline = read_timeline(built.store)
        self.bounds = {iri: effective_bounds(self.timeline, t) for iri, t in self.timeline.things.items()}
        self.rules = [Rule(p.stem, p.read_text(encoding="utf-8")) for p in as_of_rules(project)]
        self.store = ox.Store()
        self.store.extend(q for q in built.store.quads_for_pattern(None, None, None, None)
                          if q.graph_name != DERIVED_GRAPH)
        self.static = Derivations()
        for rule in self.rules:
            if not _per_view(rule) and not rule.name.startswith("as-of"):
                derive(self.store, rule, DERIVED_GRAPH, self.static)
        self.own: dict[str, list[ox.Quad]] = defaultdict(list)
        for q in self.store.quads_for_pattern(None, None, None, None):
            if isinstance(q.subject, ox.NamedNode) and q.subject.value in self.timeline.things:
                self.own[q.subject.value].append(q)
        self.asserted = sum(1 for _ in built.store.quads_for_pattern(None, None, None, None)) - built.derived_triples
        self.present: set[str] = set(self.timeline.things)  # the things whose triples are in the store
        self.derived: list[ox.Quad] = []  # what the per-view rules added for the current view

    def effects(self, date: Bounds) -> dict[str, str]:
        """Each thing in effect at `date`, with "certainly" or "possibly"."""
        out = {}
        for iri, (b, e) in self.bounds.items():
            thing = self.timeline.things[iri]
            done_event = thing.kind == "event" and thing.status != "plan"
            mark = happened(b, date) if done_event else in_effect(b, e, date)
            if mark:
                out[iri] = mark
        return out

    def view(self, text: str) -> View:
        """The view as of `text` (YYYY, YYYY-MM or YYYY-MM-DD; BadDate otherwise)."""
        date, span = parse_as_of(text)
        effects = self.effects(span)
        store, graph = self.store, ox.NamedNode(AS_OF_GRAPH)
        for q in self.derived:
            store.remove(q)
        store.remove_graph(graph)
        for iri in self.present - effects.keys():
            for q in self.own.get(iri, ()):
                store.remove(q)
        store.extend(q for iri in effects.keys() - self.present for q in self.own.get(iri, ()))
        self.present = set(effects)
        record = Derivations()
        n = sum(derive(store, rule, DERIVED_GRAPH, record) for rule in self.rules if _per_view(rule))
        self.derived = [ox.Quad(s, p, o, DERIVED_GRAPH) for s, p, o in record.by_triple]  # all new (derive)
        dt = ox.NamedNode(XSD + "dateTime")
        marks = [ox.Quad(ox.NamedNode(iri), ox.NamedNode(TS_IN_EFFECT), ox.NamedNode(MARKS[m]), graph)
                 for iri, m in effects.items()]
        marks += [ox.Quad(graph, ox.NamedNode(TS_AS_OF_DATE),
                          ox.Literal(date, datatype=ox.NamedNode(_DATATYPES[precision(date) or "day"])), graph),
                  ox.Quad(graph, ox.NamedNode(TS_NOT_BEFORE), ox.Literal(iso(span.lo) or "", datatype=dt), graph),
                  ox.Quad(graph, ox.NamedNode(TS_NOT_AFTER), ox.Literal(iso(span.hi) or "", datatype=dt), graph)]
        store.extend(marks)
        record.by_triple.update(self.static.by_triple)
        built = Built(store, self.built.files, self.asserted, len(self.static) + n, dict(self.built.graphs), [],
                      record)
        return View(date, span, built, effects)


def view_counts(view: View) -> dict[str, int]:
    """How many things the view keeps, certainly and possibly."""
    out: dict[str, int] = defaultdict(int)
    for m in view.effects.values():
        out[m] += 1
    return dict(out)
