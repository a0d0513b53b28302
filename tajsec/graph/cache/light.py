"""An edited N-Triples file brought into the standing store by the lines that changed, with
what the loader (tajsec.io.load.load_into) would say of the whole file: the same triples in
its graph, the same number of triples, the same warnings; without loading the file's every
line into a store (most of an incremental run's time otherwise).

N-Triples is read line by line, so only the changed lines can add triples or syntax errors. A
triple of a removed line stays if another line of the new text gives it (a line about the same
subject, found by the subject's IRI as written: a text with \\u escapes, a blank node or a
triple term on a changed line, a byte-order mark, a file over the size limit or a datatype the
store retypes named in it are left to the loader: `edit` returns None). The loader's
ill-typed literals are those of the file's typed literals, found by the same query over a
store holding only the lines with an XSD-typed literal, and located on the whole text by the
loader's own function. tests/test_standing.py compares both on random edits."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from tajsec.core.namespaces import XSD
from tajsec.core.xsd import INTEGER_RANGES, LEXICAL_SPACES, ill_typed_literals
from tajsec.io.load import (
    BOM,
    MAX_FILE_BYTES,
    GraphView,
    LoadWarning,
    format_for,
    ill_typed,
    names_retyped,
    report_ill_typed,
)

_TYPED = b'"^^<' + XSD.encode()

def _load(lines: list[bytes] | set[bytes], graph: ox.NamedNode | None = None) -> ox.Store:
    store = ox.Store()
    store.load(b"\n".join(sorted(lines)) + b"\n", format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    return store


def _lines_with(text: bytes, needle: bytes) -> list[bytes]:
    """The lines of `text` that contain `needle`."""
    found, i = [], text.find(needle)
    while i >= 0:
        start = text.rfind(b"\n", 0, i) + 1
        end = text.find(b"\n", i)
        end = len(text) if end < 0 else end
        found.append(text[start:end])
        i = text.find(needle, end)
    return found


def edit(store: ox.Store, graph: ox.NamedNode, path: Path, strict: bool, old: bytes, new: bytes, count: int,
         gone: set[bytes], come: set[bytes], texts: dict[str, str],
         warnings: list[LoadWarning]) -> tuple[set, list[ox.Quad], list[ox.Quad], int] | None:
    """Make `graph` of `store` (holding `old`, `count` triples) hold `new` (`gone`: the lines only
    `old` has, `come`: those only `new` has, maybe with a few both have). Returns the triples
    added or removed, the quads added, those removed, and the new number of triples; the
    loader's warnings go to `warnings`, the text to `texts`. None (nothing done) when the
    loader must read the file."""
    if format_for(path) != ox.RdfFormat.N_TRIPLES or len(new) > MAX_FILE_BYTES or new.startswith(BOM) \
            or b"\\u" in new or b"\\U" in new or names_retyped(ox.RdfFormat.N_TRIPLES, new) \
            or any(b"_:" in line or b"<<" in line for line in gone | come):
        return None
    try:
        added_lines, removed_lines = _load(come), _load(gone)
        typed = _load(_lines_with(new, _TYPED), graph)
    except (SyntaxError, ValueError):
        return None   # the loader says where
    mine: list[LoadWarning] = []
    bad = [ill_typed(lit) for lits in ill_typed_literals(GraphView(typed, graph), [XSD + n for n in [
        *LEXICAL_SPACES, *INTEGER_RANGES]]).values() for lit in lits]
    report_ill_typed(path, lambda: new.decode("utf-8", errors="replace").splitlines(), [b for b in bad if b],
                     strict, mine)
    come_triples = {(q.subject, q.predicate, q.object) for q in added_lines}
    add = [ox.Quad(s, p, o, graph) for s, p, o in come_triples if ox.Quad(s, p, o, graph) not in store]
    remove = []
    kept: dict = {}
    for q in removed_lines:
        t = (q.subject, q.predicate, q.object)
        quad = ox.Quad(*t, graph)
        if t in come_triples or quad not in store:
            continue
        if q.subject not in kept:   # the triples the new text's lines about this subject give
            kept[q.subject] = {(x.subject, x.predicate, x.object)
                               for x in _load(_lines_with(new, f"<{q.subject.value}>".encode()))}
        if t not in kept[q.subject]:
            remove.append(quad)
    store.extend(add)
    for quad in remove:
        store.remove(quad)
    texts[str(path)] = new.decode("utf-8", errors="replace")
    warnings.extend(mine)
    changed = {(q.subject, q.predicate, q.object) for q in add + remove}
    return changed, add, remove, count + len(add) - len(remove)
