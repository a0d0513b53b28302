"""The graph as of a date: the statements, events and agreements in effect then, each marked
"certainly" or "possibly", with the shortcut layer derived again from only those.

The rules (the time model; ontology/README.md, "As of a date"). Given a date D whose span is
[Ds, De] and a thing whose beginning lies in [b1, b2] and end in [e1, e2]:
  - certainly in effect: b2 <= Ds and e1 >= De (it surely began before D and surely ended after);
  - possibly: b1 <= De and e2 >= Ds (the bounds overlap D), but not certainly;
  - otherwise not in effect. An event is an instant: its beginning is its end.
Open bounds, before that test: an unknown beginning is open below, but no later than the paper's
present (P, tsd:time-paper-present), its end or its `ts:reportedOn`, since it was reported; an
unknown end is open above and no earlier than P for a current thing (the paper states it in its
present), no later than P for a former one (ts:status-former). A plan (planned, envisaged,
promised, pledged) is in effect as a plan from when it was reported (`ts:reportedOn`; unknown:
no later than P) until the planned thing was to be done (its end, else its beginning; unknown:
still outstanding at P).

The view is a new store: every asserted triple except those whose subject is a statement, event
or agreement not in effect; the build rules (queries/construct-*.rq, then queries/as-of-*.rq)
run again over it into the derived graph; and the graph AS_OF_GRAPH holds one
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


@dataclass
class View:
    """The graph as of `date`: `built` (its store is the view), and each thing kept with its mark."""
    date: str
    span: Bounds
    built: Built
    effects: dict[str, str]


class AsOf:
    """Views of one built graph as of any date. The timeline is read once; each view copies the
    graph without the things not in effect and runs the rules again."""

    def __init__(self, built: Built, project: Project) -> None:
        self.built = built
        self.timeline = read_timeline(built.store)
        self.bounds = {iri: effective_bounds(self.timeline, t) for iri, t in self.timeline.things.items()}
        self.rules = [Rule(p.stem, p.read_text(encoding="utf-8")) for p in as_of_rules(project)]
        self.base: list[ox.Quad] = []
        self.own: dict[str, list[ox.Quad]] = defaultdict(list)
        for q in built.store.quads_for_pattern(None, None, None, None):
            if q.graph_name == DERIVED_GRAPH:
                continue
            s = q.subject.value if isinstance(q.subject, ox.NamedNode) else None
            if s is not None and s in self.timeline.things:
                self.own[s].append(q)
            else:
                self.base.append(q)

    def effects(self, date: Bounds) -> dict[str, str]:
        """Each thing in effect at `date`, with "certainly" or "possibly"."""
        out = {}
        for iri, (b, e) in self.bounds.items():
            mark = in_effect(b, e, date)
            if mark:
                out[iri] = mark
        return out

    def view(self, text: str) -> View:
        """The view as of `text` (YYYY, YYYY-MM or YYYY-MM-DD; BadDate otherwise)."""
        date, span = parse_as_of(text)
        effects = self.effects(span)
        store = ox.Store()
        quads = list(self.base)
        for iri in effects:
            quads += self.own.get(iri, ())
        graph = ox.NamedNode(AS_OF_GRAPH)
        marks = [ox.Quad(ox.NamedNode(iri), ox.NamedNode(TS_IN_EFFECT), ox.NamedNode(MARKS[m]), graph)
                 for iri, m in effects.items()]
        dt = ox.NamedNode(XSD + "dateTime")
        marks += [ox.Quad(graph, ox.NamedNode(TS_AS_OF_DATE),
                          ox.Literal(date, datatype=ox.NamedNode(_DATATYPES[precision(date) or "day"])), graph),
                  ox.Quad(graph, ox.NamedNode(TS_NOT_BEFORE), ox.Literal(iso(span.lo) or "", datatype=dt), graph),
                  ox.Quad(graph, ox.NamedNode(TS_NOT_AFTER), ox.Literal(iso(span.hi) or "", datatype=dt), graph)]
        store.extend(quads + marks)
        record = Derivations()
        derived = sum(derive(store, rule, DERIVED_GRAPH, record) for rule in self.rules)
        built = Built(store, self.built.files, len(quads), derived, dict(self.built.graphs), [], record)
        return View(date, span, built, effects)


def view_counts(view: View) -> dict[str, int]:
    """How many things the view keeps, certainly and possibly."""
    out: dict[str, int] = defaultdict(int)
    for m in view.effects.values():
        out[m] += 1
    return dict(out)
