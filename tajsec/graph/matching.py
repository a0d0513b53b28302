"""Instantiating a query's triple patterns with one solution: which triples of the store that
solution matched. Property paths are walked to the triples they crossed (fixed-length paths and
negated property sets exactly; `*` and `+` by the shortest walk). A pattern in a GRAPH is matched
in that graph; the others in the default graph: the union of all graphs, or the query's FROM graphs
(`graphs`)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pyoxigraph as ox

from tajsec.core.namespaces import XSD_STRING
from tajsec.core.sparql_shape import Iri, Lit, Path, PathAlt, PathInv, PathMod, PathNeg, PathSeq, Pattern, Term, Var

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]
Binding = dict[str, Any]  # variable name -> pyoxigraph term (of any kind)
Graphs = tuple[Any, ...] | None  # the graphs a pattern matches in (None: all of them)

MAX_WALKS = 50  # ways one pattern may match with the same bindings, kept
MAX_DEPTH = 8  # steps of a `*` or `+` path followed


class NotTraced(Exception):
    """A pattern whose matched triples cannot be found (the reason is the message)."""


def to_term(t: Term, binding: Binding) -> Any:
    """The pyoxigraph term for a pattern term, or None for an unbound variable."""
    if isinstance(t, Var):
        return binding.get(t.name)
    if isinstance(t, Iri):
        return ox.NamedNode(t.value)
    if t.language:
        return ox.Literal(t.value, language=t.language)
    return ox.Literal(t.value, datatype=ox.NamedNode(t.datatype or XSD_STRING))


def variables(p: Pattern) -> set[str]:
    found = {t.name for t in (p.s, p.o, p.graph) if isinstance(t, Var)}
    if isinstance(p.p, Var):
        found.add(p.p.name)
    return found


def named_variables(p: Pattern) -> set[str]:
    """The pattern's variables that a query can project (not blank nodes or [ ] nodes)."""
    return named(variables(p))


def named(names: set[str]) -> set[str]:
    """Of these variables' names, those a query can project (a blank node's or `[ ]`'s starts with a space)."""
    return {v for v in names if not v.startswith(" ")}


def _invert(path: Path) -> Path:
    if isinstance(path, PathInv):
        return path.path
    if isinstance(path, PathSeq):
        return PathSeq(tuple(_invert(s) for s in reversed(path.steps)))
    if isinstance(path, PathAlt):
        return PathAlt(tuple(_invert(o) for o in path.options))
    if isinstance(path, PathMod):
        return PathMod(_invert(path.path), path.mod)
    return PathInv(path)


def quads(store: ox.Store, s: Any, p: Any, o: Any, graphs: Graphs) -> Iterator[ox.Quad]:
    """The store's quads matching (s, p, o) in `graphs` (None: in any graph)."""
    if graphs is None:
        yield from store.quads_for_pattern(s, p, o, None)
    else:
        for g in graphs:
            yield from store.quads_for_pattern(s, p, o, g)


def walk(store: ox.Store, s: Any, path: Path, o: Any, binding: Binding,
         graphs: Graphs = None) -> Iterator[tuple[Any, Any, tuple[Triple, ...]]]:
    """Each (start, end, triples crossed) by which `path` leads from `s` to `o` (None: any)."""
    if isinstance(path, (Iri, Var, PathNeg)):
        yield from _steps(store, s, path, o, binding, graphs)
    elif isinstance(path, PathInv):
        for a, b, ts in walk(store, o, path.path, s, binding, graphs):
            yield b, a, ts
    elif isinstance(path, PathAlt):
        for option in path.options:
            yield from walk(store, s, option, o, binding, graphs)
    elif isinstance(path, PathSeq):
        if s is None and o is not None:
            for a, b, ts in walk(store, o, _invert(path), None, binding, graphs):
                yield b, a, ts
            return
        yield from _sequence(store, s, path.steps, o, binding, graphs)
    elif isinstance(path, PathMod):
        yield from _repeat(store, s, path, o, binding, graphs)
    else:
        raise NotTraced(f"unknown path {path!r}")


def _steps(store: ox.Store, s: Any, path: Iri | Var | PathNeg, o: Any, binding: Binding,
           graphs: Graphs) -> Iterator[tuple[Any, Any, tuple[Triple, ...]]]:
    """One step: a predicate, or a negated property set (forward: any predicate but its forward
    members; inverted: any but its inverse members, walked from `o` to `s`)."""
    if isinstance(path, PathNeg):
        sides = []
        if path.forward or not path.inverse:
            sides.append((s, o, frozenset(path.forward), False))
        if path.inverse:
            sides.append((o, s, frozenset(path.inverse), True))
        ways = [(a, b, None, banned, back) for a, b, banned, back in sides]
    else:
        ways = [(s, o, to_term(path, binding), frozenset(), False)]
    seen = set()
    for a, b, p, banned, back in ways:
        if isinstance(a, ox.Literal):
            continue  # no triple has a literal subject
        for q in quads(store, a, p, b, graphs):
            if q.predicate.value in banned:
                continue
            t = (q.subject, q.predicate, q.object)
            if t not in seen:
                seen.add(t)
                ends = (q.object, q.subject) if back else (q.subject, q.object)
                yield ends[0], ends[1], (cast(Triple, t),)  # the loader refuses triple terms


def _sequence(store: ox.Store, s: Any, steps: tuple, o: Any, binding: Binding,
              graphs: Graphs) -> Iterator[tuple[Any, Any, tuple[Triple, ...]]]:
    frontier: list[tuple[Any, Any, tuple[Triple, ...]]] = [(s, s, ())]
    for k, step in enumerate(steps):
        last = k == len(steps) - 1
        nxt = []
        for start, node, ts in frontier:
            for first, end, more in walk(store, node, step, o if last else None, binding, graphs):
                nxt.append((start if start is not None else first, end, ts + more))
                if len(nxt) >= MAX_WALKS * 4:
                    break
        frontier = nxt
    yield from frontier


def _repeat(store: ox.Store, s: Any, path: PathMod, o: Any, binding: Binding,
            graphs: Graphs) -> Iterator[tuple[Any, Any, tuple[Triple, ...]]]:
    if s is None and o is None:
        raise NotTraced(f"a {path.mod} path with neither end bound")
    if s is None:
        for a, b, ts in _repeat(store, o, PathMod(_invert(path.path), path.mod), None, binding, graphs):
            yield b, a, ts
        return
    if path.mod in ("?", "*") and (o is None or o == s):
        yield s, s, ()
    best: dict[Any, tuple[Triple, ...]] = {s: ()}
    frontier = [s]
    for _depth in range(MAX_DEPTH if path.mod != "?" else 1):
        nxt = []
        for node in frontier:
            for _, end, ts in walk(store, node, path.path, None, binding, graphs):
                if end not in best:
                    best[end] = best[node] + ts
                    nxt.append(end)
                    if o is None or end == o:
                        yield s, end, best[end]
        frontier = nxt
        if not frontier:
            return


def pattern_graphs(p: Pattern, binding: Binding, default: Graphs = None) -> Graphs:
    """The graphs pattern `p` matches in: its GRAPH's (bound by now), else the default graph's."""
    if p.graph is None:
        return default
    g = to_term(p.graph, binding)
    if g is None:
        raise NotTraced(f"the GRAPH variable ?{cast(Var, p.graph).name} is unbound")
    return (g,)


def match(store: ox.Store, p: Pattern, binding: Binding,
          default: Graphs = None) -> list[tuple[Binding, tuple[Triple, ...]]]:
    """The ways pattern `p` matches the store under `binding`: each extended binding with the
    triples it used (at most MAX_WALKS). `default`: the graphs of the default graph (None: all)."""
    s, o = to_term(p.s, binding), to_term(p.o, binding)
    if isinstance(p.p, Var) and p.p.name not in binding:
        raise NotTraced(f"predicate variable ?{p.p.name} unbound")
    graphs = pattern_graphs(p, binding, default)
    if s is not None and o is not None and isinstance(p.p, (Iri, Var)):  # the common case: one triple, or none
        pred = to_term(p.p, binding)
        if isinstance(s, ox.Literal) or not isinstance(pred, ox.NamedNode):
            return []
        found = next(quads(store, s, pred, o, graphs), None)
        if found is None:
            return []
        # the stored triple: a literal as the data writes it (`05` in the query finds the data's 5)
        return [(binding, ((s, pred, cast(Any, found.object)),))]
    out = []
    for a, b, ts in walk(store, s, p.p, o, binding, graphs):
        ext = dict(binding)
        if isinstance(p.s, Var):
            ext[p.s.name] = a
        if isinstance(p.o, Var):
            if p.o.name in ext and ext[p.o.name] != b:
                continue
            ext[p.o.name] = b
        out.append((ext, ts))
        if len(out) >= MAX_WALKS:
            break
    return out


def match_all(store: ox.Store, patterns: list[Pattern], binding: Binding,
              default: Graphs = None) -> list[tuple[Binding, tuple[Triple, ...]]]:
    """Join `patterns` under `binding`: every way they all match, with the triples used."""
    results: list[tuple[Binding, tuple[Triple, ...]]] = [(binding, ())]
    for p in patterns:
        nxt = []
        for b, ts in results:
            for ext, more in match(store, p, b, default):
                nxt.append((ext, ts + more))
        results = nxt[:MAX_WALKS]
        if not results:
            break
    return results


def show(p: Pattern) -> str:
    """A pattern as SPARQL-ish text, for messages."""
    def term(t: object) -> str:
        if isinstance(t, Var):
            return "[]" if t.name.startswith(" ") else "?" + t.name
        if isinstance(t, Iri):
            return f"<{t.value}>"
        if isinstance(t, Lit):
            return f'"{t.value}"'
        return _path(t)

    def _path(x: Any) -> str:
        if isinstance(x, (Iri, Var)):
            return term(x)
        if isinstance(x, PathInv):
            return "^" + _path(x.path)
        if isinstance(x, PathSeq):
            return "/".join(_path(s) for s in x.steps)
        if isinstance(x, PathAlt):
            return "(" + "|".join(_path(s) for s in x.options) + ")"
        if isinstance(x, PathMod):
            return _path(x.path) + x.mod
        return x.text

    text = f"{term(p.s)} {_path(p.p)} {term(p.o)}"
    return text if p.graph is None else f"GRAPH {term(p.graph)} {{ {text} }}"
