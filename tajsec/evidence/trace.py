"""The tracer: for each row of a SELECT answer, the triples its match used and the statements
that back them.

How: the query's WHERE clause runs again as SELECT * (so the variables the query does not
project are bound too); each of its solutions belongs to the row whose projected values (or,
for an aggregate, whose GROUP BY values) it carries; the query's triple patterns, instantiated
with the solution, are the triples the row used. OPTIONAL and UNION patterns count only where
the solution binds them and they hold; EXISTS, NOT EXISTS and MINUS patterns are conditions, not
evidence. Patterns with blank nodes (`[ ]`, RDF collections) are matched together, as one join per
group (the required part, each OPTIONAL group, each UNION branch). A pattern inside GRAPH is
matched in that graph; the others in the query's default graph: the union of all graphs, or, if
the query has FROM clauses, the merge of those graphs (FROM NAMED limits the graphs GRAPH ?g
ranges over; the solutions, run with the same clauses, say which). Negated property sets are
followed exactly; SERVICE patterns are not traced. A derived triple is backed by the statements
the build derived it from (`Built.derivations`); an asserted one is its own evidence, with its
file and line, and a quantity's (which has no quote of its own) is backed by the statements that
state that quantity too (their asserted `ts:quantity`).

The evidence JSON (one entry per result row, in row order; `statements` shared by all rows):

    {"rows": [{"traced": true, "matches": 1, "shown": 1,
               "triples": [{"subject": TERM, "predicate": TERM, "object": TERM,
                            "origin": "asserted" | "derived", "rules": [...],
                            "asserted_in": [{"file": ..., "line": ...}], "statements": [IRI, ...]}],
               "statements": [IRI, ...], "untraced": [{"pattern": ..., "reason": ...}],
               "note": "..."} | {"traced": false, "reason": "..."}],
     "statements": {IRI: {"iri", "label", "kind", "holders", "hedges", "sections", "footnotes",
                          "sources", "cited_works", "quote", "quotes", "described_in", "footnote_number"}}}
("quote" is the first evidence quote; "quotes" lists them all when a statement has several)

TERM is a SPARQL 1.1 JSON results term ({"type": "uri", "value": ...}).
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple, cast

import pyoxigraph as ox

from tajsec.core.namespaces import TS
from tajsec.core.sparql_shape import Iri, Lit, Pattern, Query, Select, Var
from tajsec.core.sparql_syntax import SyntaxNotTraced, parse
from tajsec.core.terms import StoreQuery, solutions
from tajsec.evidence.cards import Cards
from tajsec.graph.build import DERIVED_GRAPH, Built
from tajsec.graph.evidence import EVIDENCE_QUOTE
from tajsec.graph.matching import NotTraced, match, match_all, named, show, variables
from tajsec.sparql import queries
from tajsec.sparql.results import Result, json_term

QUANTITY = ox.NamedNode(TS + "quantity")
MAX_SOLUTIONS = 20000  # solutions of the WHERE clause read back; beyond: rows left untraced
MAX_SHOWN = 20  # matches of one row (e.g. the rows a COUNT counted) traced; the rest counted
NOT_EVIDENCE = ("exists", "not-exists", "minus")


class Step(NamedTuple):
    """A pattern that can be evidence, as the tracer uses it for every solution: its projectable
    and all its variables, and, where once bound it is one triple as written (an IRI predicate,
    no GRAPH, no literal: the solution's own triple), its three terms ready made (a variable's
    name where the solution gives the term)."""
    pattern: Pattern
    named: frozenset
    variables: frozenset
    direct: tuple[Any, Any, Any] | None


def _step(p: Pattern, terms: dict[str, ox.NamedNode]) -> Step:
    """`p` as a step; `terms`: the query's IRIs, each made once."""
    s, o = p.s, p.o
    direct = None
    if isinstance(p.p, Iri) and p.graph is None and not isinstance(s, Lit) and not isinstance(o, Lit):
        direct = (s.name if isinstance(s, Var) else _cached(terms, s.value, ox.NamedNode),
                  _cached(terms, p.p.value, ox.NamedNode),
                  o.name if isinstance(o, Var) else _cached(terms, o.value, ox.NamedNode))
    all_vars = variables(p)
    return Step(p, frozenset(named(all_vars)), frozenset(all_vars), cast(Any, direct))


def _row_keys(sel: Select, variables_: list[str]) -> list[str]:
    """The variables whose values say which row a solution belongs to."""
    if sel.grouped:
        return [v for v in sel.group_by if v in variables_]
    if sel.star:
        return list(variables_)
    return [v for v, kind in sel.projection if kind == "var"]


def _cached(cache: dict, key: Any, make: Callable[[Any], Any]) -> Any:
    """`cache[key]`, made by `make(key)` the first time; looked up once (pyoxigraph's terms hash
    their whole text on every lookup)."""
    found = cache.get(key)
    if found is None:
        found = cache[key] = make(key)
    return found


def _untraced(n: int, reason: str) -> dict:
    """The evidence of `n` rows none of which could be traced, for `reason`."""
    return {"rows": [{"traced": False, "reason": reason} for _ in range(n)], "statements": {}}


class Tracer:
    def __init__(self, built: Built, root: Path | None = None, prefixes: dict | None = None,
                 substitutions: dict | None = None) -> None:
        self.built = built
        self.store: ox.Store = built.store
        self.cards = Cards(built, root)
        self.prefixes = prefixes
        self.substitutions = substitutions or {}
        self._triples: dict[tuple, dict] = {}  # each triple's evidence item, read once
        self._terms: dict[Any, dict] = {}  # each term's JSON, made once
        self._where: dict[tuple, list[dict]] = {}
        self._stated: dict[ox.NamedNode, list[str]] = {}
        self._sub_solutions: dict[int, list[dict]] = {}
        self._plans: dict[int, tuple[Select, list[Step], list[tuple[int, frozenset]]]] = {}
        self._default: tuple | None = None  # the graphs of the query's default graph (None: all)

    # -- the whole answer -------------------------------------------------------------------
    def run(self, store_query: StoreQuery, text: str) -> Result:
        """Run a SELECT query with `store_query` and trace its rows: the answer, its `evidence` set.

        Where projecting the patterns' other variables too cannot change the rows (nothing
        aggregated or nested), the query runs once with them projected, and each row's match is
        read from that one answer; a DISTINCT query (with no LIMIT or OFFSET, which count its
        rows) runs so without its DISTINCT, its rows the first of each distinct projection, in
        order, as the engine's DISTINCT keeps them. Otherwise it runs as written and `trace`
        runs its WHERE clause again. The rows are those of the query as written either way."""
        try:
            query = self._parse(text)
        except SyntaxNotTraced as e:
            res = queries.run(store_query, text)
            res.evidence = _untraced(len(res.rows), str(e))
            return res
        wide = self._widened(query)
        if wide is not None:
            wide_text, shown = wide
            answer = solutions(store_query(wide_text))
            names = [v.value for v in answer.variables]
            if names[:len(shown)] == shown:  # else not the projection this reader saw: run it as written
                full = [list(sol) for sol in answer]
                rows = [row[:len(shown)] for row in full]
                if query.select.distinct:
                    rows = [list(row) for row in dict.fromkeys(tuple(row) for row in rows)]
                res = Result(shown, rows)
                bindings = [{n: t for n, t in zip(names, row) if t is not None} for row in full]
                if self.substitutions:
                    bindings = [b | self.substitutions for b in bindings]
                res.evidence = self._evidence(query, shown, res.rows, bindings)
                return res
        res = queries.run(store_query, text)
        res.evidence = self._evidence(query, res.variables, res.rows)
        return res

    def _parse(self, text: str) -> Query:
        """The query's shape, with the state kept for one query (plans and sub-SELECT solutions,
        keyed by the ids of its parts) started afresh: the parts of queries traced before are freed."""
        query = parse(text, self.prefixes)
        self._plans = {}
        self._sub_solutions = {}
        return query

    def _widened(self, query: Query) -> tuple[str, list[str]] | None:
        """The query with the hidden variables of its evidence patterns projected after its own
        (and without its DISTINCT), and its own projection; None where the rows could change, or
        where nothing is hidden and nothing distinct (the rows are then the solutions)."""
        sel = query.select
        if (sel.form != "SELECT" or sel.star or sel.grouped or sel.subselects
                or (sel.distinct and sel.sliced)):
            return None
        shown = [v for v, _ in sel.projection]
        hidden = sorted({v for step in self._plan(sel) for v in step.named} - set(shown))
        if not (hidden or sel.distinct) or len(set(shown)) != len(shown):
            return None
        text, at = query.text, sel.projection_end
        a, b = sel.distinct_span if sel.distinct else (at, at)
        return text[:a] + text[b:at] + "".join(" ?" + v for v in hidden) + text[at:], shown

    def trace(self, text: str, variables_: list[str], rows: list[list]) -> dict:
        """The evidence of every row (see the module's docstring for the shape)."""
        try:
            query = self._parse(text)
        except SyntaxNotTraced as e:
            return _untraced(len(rows), str(e))
        return self._evidence(query, variables_, rows)

    def _evidence(self, query: Query, variables_: list[str], rows: list[list],
                  solutions_: list[dict] | None = None) -> dict:
        """The evidence of every row; `solutions_`: the WHERE clause's solutions, if already known."""
        try:
            entries = self._trace_rows(query, variables_, rows, solutions_)
        except (SyntaxNotTraced, NotTraced) as e:
            entries = [{"traced": False, "reason": str(e)} for _ in rows]
        except (RuntimeError, OSError, ValueError, SyntaxError) as e:  # the engine refused the rewritten query
            entries = [{"traced": False, "reason": f"the WHERE clause could not be run again: {e}"} for _ in rows]
        used = {iri for e in entries for iri in e.get("statements", [])}
        return {"rows": entries, "statements": {iri: self.cards.card(iri) for iri in sorted(used)}}

    def _solutions(self, query: Query, sel: Select) -> tuple[list[dict], bool]:
        text = (query.text[:query.prologue_end] + "\nSELECT * " + query.dataset_text + " WHERE "
                + query.where_text(sel))
        kwargs: dict = {"use_default_graph_as_union": not query.declares_dataset}
        if self.prefixes:
            kwargs["prefixes"] = self.prefixes
        subs = {ox.Variable(k): v for k, v in self.substitutions.items()}
        if subs:
            kwargs["substitutions"] = subs
        res = solutions(self.store.query(text, **kwargs))
        names = [v.value for v in res.variables]
        out: list[dict] = []
        substitutions = self.substitutions
        for sol in res:
            if len(out) >= MAX_SOLUTIONS:
                return out, True
            binding = dict(zip(names, sol))
            if None in binding.values():  # an unbound variable is left out
                binding = {n: t for n, t in binding.items() if t is not None}
            if substitutions:
                binding.update(substitutions)
            out.append(binding)
        return out, False

    def _rows_are_solutions(self, sel: Select, variables_: list[str]) -> bool:
        """Whether each row is itself a solution of the WHERE clause, as far as its evidence goes:
        nothing aggregated, merged (DISTINCT) or nested, and every variable of the patterns
        projected as it is. Then the WHERE clause need not run again."""
        if sel.grouped or sel.distinct or sel.subselects:
            return False
        projected = {v for v, kind in sel.projection if kind == "var"} | (set(variables_) if sel.star else set())
        return all(step.named <= projected for step in self._plan(sel))

    def _as_solution(self, variables_: list[str], row: list) -> dict:
        binding = {v: t for v, t in zip(variables_, row) if t is not None}
        binding.update(self.substitutions)
        return binding

    def _trace_rows(self, query: Query, variables_: list[str], rows: list[list],
                    known: list[dict] | None = None) -> list[dict]:
        sel = query.select
        self._default = (None if query.default_graphs is None
                         else tuple(ox.NamedNode(g) for g in query.default_graphs))
        if known is not None:
            solutions, cut = known, False
        elif self._rows_are_solutions(sel, variables_):
            solutions, cut = [self._as_solution(variables_, row) for row in rows], False
        else:
            solutions, cut = self._solutions(query, sel)
        keys = _row_keys(sel, variables_)
        index: dict[tuple, list[dict]] = {}
        for b in solutions:
            index.setdefault(tuple(b.get(k) for k in keys), []).append(b)
        position = {v: i for i, v in enumerate(variables_)}
        entries = []
        for row in rows:
            key = tuple(row[position[k]] if k in position else None for k in keys)
            matches = index.get(key, [])
            if not matches:
                reason = (f"the WHERE clause has more than {MAX_SOLUTIONS} solutions; evidence not traced"
                          if cut else "no solution of the WHERE clause gives this row")
                entries.append({"traced": False, "reason": reason})
                continue
            entries.append(self._row(query, sel, matches))
        return entries

    # -- one row ----------------------------------------------------------------------------
    def _row(self, query: Query, sel: Select, matches: list[dict]) -> dict:
        triples: dict[tuple, None] = {}
        untraced: dict[tuple[str, str], None] = {}
        for b in matches[:MAX_SHOWN]:
            self._solution(query, sel, b, triples, untraced)
        items = [self._triple_once(t) for t in triples]
        statements = list(dict.fromkeys(s for it in items for s in it["statements"]))
        entry = {"traced": True, "matches": len(matches), "shown": min(len(matches), MAX_SHOWN),
                 "triples": items, "statements": statements}
        if untraced:
            entry["untraced"] = [{"pattern": p, "reason": r} for p, r in untraced]
        if len(matches) > MAX_SHOWN:
            entry["note"] = (f"{len(matches)} matches lie behind this row (e.g. the rows an aggregate counted); "
                             f"evidence shown for the first {MAX_SHOWN}")
        return entry

    def _plan(self, sel: Select) -> list[Step]:
        """The patterns that can be evidence, as steps; worked out once per query, used for every solution."""
        return self._planned(sel)[1]

    def _planned(self, sel: Select) -> tuple[Select, list[Step], list[tuple[int, frozenset]]]:
        """The query part, its steps, and its OPTIONAL groups' and UNION branches' steps, each as
        its group and its projectable variables."""
        known = self._plans.get(id(sel))
        if known is None:
            terms: dict[str, ox.NamedNode] = {}
            plan = [_step(p, terms) for p in sel.patterns if p.context not in NOT_EVIDENCE]
            optional = [(step.pattern.group, step.named) for step in plan
                        if step.pattern.context in ("optional", "union")]
            known = self._plans[id(sel)] = (sel, plan, optional)
        return known

    def _solution(self, query: Query, sel: Select, b: dict, triples: dict, untraced: dict) -> None:
        joints: dict[int, list[Pattern]] = {}  # patterns with blank nodes, per group: joined
        plan = self._plan(sel)
        bound = b.keys()
        unmatched = {group for group, named in self._planned(sel)[2]  # OPTIONAL groups and UNION branches not matched
                     if not named <= bound}
        for p, _, all_vars, direct in plan:
            if p.context == "service":
                untraced[(show(p), "SERVICE patterns are not traced")] = None
                continue
            if p.group in unmatched:
                continue  # an OPTIONAL or UNION part this solution did not match: no evidence invented
            if not all_vars <= bound:
                joints.setdefault(p.group, []).append(p)
                continue
            if direct is not None and p.context == "required" and self._default is None:
                # the engine matched this very triple for this solution: no need to look it up
                ds, dp, do = direct
                triples[(b[ds] if ds.__class__ is str else ds, dp, b[do] if do.__class__ is str else do)] = None
                continue
            try:
                ways = match(self.store, p, b, self._default)
            except NotTraced as e:
                untraced[(show(p), str(e))] = None
                continue
            if ways:
                triples.update(dict.fromkeys(ways[0][1]))
            elif p.context == "required":
                untraced[(show(p), "no matching triple found")] = None
        for group, joint in joints.items():
            try:
                ways = match_all(self.store, joint, b, self._default)
            except NotTraced as e:  # not followed, which is not "no match": said once, with why
                untraced[("; ".join(show(p) for p in joint), str(e))] = None
                continue
            if ways:
                triples.update(dict.fromkeys(ways[0][1]))
            elif group == 0:
                untraced[("; ".join(show(p) for p in joint), "no matching triples found")] = None
        for sub in sel.subselects:
            self._subselect(query, sub, b, triples, untraced)

    def _subselect(self, query: Query, sub: Select, b: dict, triples: dict, untraced: dict) -> None:
        if id(sub) not in self._sub_solutions:
            self._sub_solutions[id(sub)] = self._solutions(query, sub)[0]
        solutions = self._sub_solutions[id(sub)]
        keys = [k for k in _row_keys(sub, list(b)) if k in b]
        inner = [s for s in solutions if all(s.get(k) == b[k] for k in keys)]
        for s in inner[:MAX_SHOWN]:
            self._solution(query, sub, s, triples, untraced)
        if len(inner) > MAX_SHOWN:
            untraced[("sub-SELECT", f"{len(inner)} matches; evidence for the first {MAX_SHOWN}")] = None

    # -- one triple -------------------------------------------------------------------------
    def _triple_once(self, t: tuple) -> dict:
        return _cached(self._triples, t, self._triple)

    def _json(self, term: Any) -> dict:
        return _cached(self._terms, term, json_term)  # the same predicates and subjects recur

    def _triple(self, t: tuple) -> dict:
        s, p, o = t
        item: dict[str, Any] = {"subject": self._json(s), "predicate": self._json(p), "object": self._json(o)}
        derivations = self.built.derivations
        derived_by = derivations.of(t)
        if derived_by:
            item["origin"] = "derived"
            item["rules"] = sorted({d.rule.name for d in derived_by})
            item["statements"] = sorted(n.value for n in derivations.statements(self.store, t)
                                        if isinstance(n, ox.NamedNode))
        else:
            item["origin"] = "asserted"
            item["asserted_in"] = self._asserted_in(t)
            item["statements"] = [s.value, *self._stating(s)] if isinstance(s, ox.NamedNode) else []
        return item

    def _asserted_in(self, t: tuple) -> list[dict]:
        """The files (and lines) that assert `t`. Its subject is a statement whose card the evidence
        shows, so the node is read whole anyway: if its triples are in one data graph, that graph
        holds `t` (asserted: in some data graph), and the card's `described_in` is the answer;
        else the store is asked which graphs hold `t`."""
        s, p, o = t
        if isinstance(s, ox.NamedNode) and len(self.cards.data_graphs(s.value)) == 1:
            return self.cards.described_in(s.value)
        graphs = tuple(q.graph_name for q in self.store.quads_for_pattern(s, p, o, None))
        key = (s, graphs)
        where = self._where.get(key)
        if where is None:  # a statement's triples share their subject and file
            where = self._where[key] = self.cards.where(s, graphs)
        return where

    def _stating(self, node: ox.NamedNode) -> list[str]:
        """The statements that state `node` as their quantity (asserted, not the build's shortcuts);
        looked for only if `node` has no quote of its own (a statement has one, a quantity not)."""
        stated = self._stated.get(node)
        if stated is None:
            if self.cards.view.objects(node.value, EVIDENCE_QUOTE):
                stated = []
            else:
                quads = self.store.quads_for_pattern(None, QUANTITY, node, None)
                stated = sorted({q.subject.value for q in quads
                                 if q.graph_name != DERIVED_GRAPH and isinstance(q.subject, ox.NamedNode)})
            self._stated[node] = stated
        return stated
