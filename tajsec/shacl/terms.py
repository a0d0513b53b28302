"""Terms as written: SHACL compares literals by RDF term equality, but pyoxigraph's Store keeps
typed literals by value: `"4.0"^^xsd:decimal` comes back as `"4"`, `"01"^^xsd:integer` is the
same stored term as `"1"^^xsd:integer`, and `"1"^^xsd:byte` becomes `"1"^^xsd:integer`
(MEASURED pitfall 8). So while the queries run, every literal the Store would change is held
under a private datatype that keeps its lexical form and names its own datatype
(`"4.0"^^<urn:tajsec:as-written:...#decimal>`): sameTerm, STR, DATATYPE and the lexical checks
see the term as parsed, comparisons by value see its value (`value_of`), and results are turned
back into the parsed term (`decode`).

A triple is matched to its stored form by subject, predicate and value, so a literal whose
subject is a blank node can be restored only when the parsed triples and the store share blank
node labels: the engine's own store does, and so does the build when asked for the literals it
loaded (`build(..., literals=[])`, as `tajsec validate` and `tajsec check` do); a store loaded
separately relabels blank nodes."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeGuard, TypeVar, cast

import pyoxigraph as ox

from tajsec.core.namespaces import AS_WRITTEN, RDF_LANG_STRING, XSD_STRING
from tajsec.core.terms import Term

T = TypeVar("T")

_P = ox.NamedNode(AS_WRITTEN + "p")
_canonical_cache: dict[ox.Literal, bool] = {}


def encode(lit: ox.Literal) -> ox.Literal:
    return ox.Literal(lit.value, datatype=ox.NamedNode(AS_WRITTEN + lit.datatype.value))


def decode(term: T) -> T:
    """The parsed term behind a term the queries gave back (others unchanged)."""
    if isinstance(term, ox.Literal) and term.datatype.value.startswith(AS_WRITTEN):
        return cast(T, ox.Literal(term.value, datatype=ox.NamedNode(term.datatype.value[len(AS_WRITTEN):])))
    return term


def _typed(term: object) -> TypeGuard[ox.Literal]:
    return (isinstance(term, ox.Literal) and not term.language
            and term.datatype.value not in (XSD_STRING, RDF_LANG_STRING))


def altered(lits: Iterable[ox.Literal]) -> set[ox.Literal]:
    """The literals the Store would not give back as they are (found by storing them)."""
    lits = list(dict.fromkeys(lits))
    todo = [lit for lit in lits if lit not in _canonical_cache]
    if todo:
        probe = ox.Store()
        probe.extend(ox.Quad(ox.NamedNode(f"{AS_WRITTEN}{i}"), _P, lit) for i, lit in enumerate(todo))
        back = {cast(ox.NamedNode, q.subject).value: q.object for q in probe.quads_for_pattern(None, _P, None, None)}
        for i, lit in enumerate(todo):
            _canonical_cache[lit] = back.get(f"{AS_WRITTEN}{i}") == lit
    found = {lit for lit in lits if not _canonical_cache[lit]}
    if len(_canonical_cache) > CACHE_MAX:   # emptied after the answer is read from it, not before
        _canonical_cache.clear()
    return found


#: How many literals `altered` remembers between calls.
CACHE_MAX = 100_000


def constant(term: Term) -> str:
    """A term as a SPARQL constant compared by identity (sh:in, sh:hasValue, sh:targetNode)."""
    from tajsec.shacl.shapes import n3

    if _typed(term) and altered([term]):
        return str(encode(term))
    return n3(term)


@contextmanager
def as_written(store: ox.Store, parsed: Iterable | None) -> Iterator[list[ox.Literal]]:
    """Within the block, `store` holds the typed literals of `parsed` (triples or quads as the
    parser gave them) as written; yields the encoded literals. Afterwards the store is as before."""
    if parsed is None:
        yield []
        return
    triples = [(t.subject, t.predicate, t.object) for t in parsed if _typed(t.object)]
    changed = altered(o for _, _, o in triples)
    keep = {(s, p, o) for s, p, o in triples if o not in changed}   # written in canonical form too
    found = [(s, p, o, list(store.quads_for_pattern(s, p, o, None)))   # o is looked up by value
             for s, p, o in triples if o in changed]
    removed, added = set(), set()
    for s, p, o, stored in found:
        for q in stored:
            if (q.subject, q.predicate, q.object) not in keep:
                removed.add(q)
            added.add(ox.Quad(s, p, encode(o), q.graph_name))
    for q in removed:
        store.remove(q)
    added = {q for q in added if q not in store}
    store.extend(added)
    try:
        yield [encode(o) for o in changed]
    finally:
        for q in added:
            store.remove(q)
        store.extend(removed)


def value_of(v: str) -> str:
    """SPARQL: the value of `v` for comparisons (an as-written literal as its typed literal)."""
    n = len(AS_WRITTEN) + 1
    return (f"IF(isLiteral({v}) && STRSTARTS(STR(DATATYPE({v})), \"{AS_WRITTEN}\"), "
            f"STRDT(STR({v}), IRI(SUBSTR(STR(DATATYPE({v})), {n}))), {v})")


def has_datatype(v: str, datatype: str) -> str:
    """SPARQL: `v` is a literal of `datatype` (an IRI), as written."""
    return (f"(isLiteral({v}) && (sameTerm(DATATYPE({v}), <{datatype}>) || "
            f"sameTerm(DATATYPE({v}), <{AS_WRITTEN}{datatype}>)))")
