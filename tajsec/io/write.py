"""The one writer: generated files are written atomically (a temporary file renamed into place,
so a failed run never leaves a truncated file), and RDF out of the store is sorted, so output is
deterministic."""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

import pyoxigraph as ox

from tajsec.core.namespaces import PREFIXES

if TYPE_CHECKING:
    import rdflib


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write `path` through: a temporary file beside it, fsync'ed and renamed
    into place when the block ends; on any failure `path` is left as it was."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a written file gets the usual mode
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (see atomic_writer)."""
    with atomic_writer(path) as f:
        f.write(data)


def write_turtle(graph: rdflib.Graph, path: Path) -> None:
    """The only serialiser of generated Turtle: rdflib longturtle, canonical, atomic."""
    for p, ns in PREFIXES.items():
        graph.bind(p, ns, override=True)
    text = graph.serialize(format="longturtle", canon=True)
    text = "\n".join(line.rstrip() for line in text.splitlines()).rstrip() + "\n"
    atomic_write_bytes(Path(path), text.encode("utf-8"))


def store_to_ntriples(store: ox.Store, graphs: Collection[ox.NamedNode] | None = None) -> bytes:
    """N-Triples of the union of `graphs` (default: every graph) of a store, sorted so that the
    output is deterministic."""
    seen = set()
    lines = []
    for q in store.quads_for_pattern(None, None, None, None):
        if graphs is not None and q.graph_name not in graphs:
            continue
        t = ox.Triple(q.subject, q.predicate, q.object)
        s = str(t) + " .\n"
        if s not in seen:
            seen.add(s)
            lines.append(s)
    lines.sort()
    return "".join(lines).encode("utf-8")


def to_rdflib(store: ox.Store, graphs: Collection[ox.NamedNode] | None = None) -> rdflib.Graph:
    """An rdflib Graph of the union of `graphs`, by way of N-Triples (no literal rewriting:
    both sides read the same serialisation)."""
    import rdflib

    g = rdflib.Graph()
    g.parse(data=store_to_ntriples(store, graphs), format="nt")
    return g


def store_to_nquads(store: ox.Store) -> bytes:
    """Every quad of a store as N-Quads, sorted (deterministic)."""
    lines = sorted(f"{q} .\n" for q in store.quads_for_pattern(None, None, None, None))
    return "".join(lines).encode("utf-8")


class SortedPrefixWriter:
    """A binary file wrapper for pyoxigraph's Turtle/TriG serialiser: drops the @prefix lines it
    writes (in an order of its own) and writes `prefixes` sorted by name instead."""

    def __init__(self, out: BinaryIO, prefixes: dict[str, str]) -> None:
        self.out = out
        self.header = "".join(f"@prefix {k}: <{v}> .\n" for k, v in sorted(prefixes.items())).encode("utf-8")
        self.head = b""
        self.started = False

    def write(self, b: bytes) -> int:
        b = bytes(b)
        if self.started:
            self.out.write(b)
            return len(b)
        self.head += b
        while b"\n" in self.head:
            line, rest = self.head.split(b"\n", 1)
            if line.startswith((b"@prefix ", b"PREFIX ")):
                self.head = rest
                continue
            self._start()
            break
        return len(b)

    def _start(self) -> None:
        self.started = True
        self.out.write(self.header)
        self.out.write(self.head)
        self.head = b""

    def flush(self) -> None:
        pass

    def finish(self) -> None:
        if not self.started:
            self._start()


def sort_key(t: ox.Triple | ox.Quad) -> str:
    """The order of sorted output: a triple's (or quad's) N-Triples text."""
    return f"{t.subject} {t.predicate} {t.object}"


def serialize_sorted(items: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: ox.RdfFormat,
                     prefixes: dict[str, str] | None = None) -> bytes:
    """Triples (or quads, for TriG/N-Quads) sorted by graph then N-Triples text, serialised by
    pyoxigraph; Turtle and TriG get a prefix block sorted by name."""
    prefixes = dict(PREFIXES if prefixes is None else prefixes)
    ordered: list[ox.Triple] | list[ox.Quad]
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        ordered = sorted(set(cast(Iterable[ox.Quad], items)), key=lambda q: (str(q.graph_name), sort_key(q)))
    else:
        ordered = sorted(set(cast(Iterable[ox.Triple], items)), key=sort_key)
    out = io.BytesIO()
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        w = SortedPrefixWriter(out, prefixes)
        ox.serialize(ordered, w, format=fmt, prefixes=prefixes)  # type: ignore[arg-type]  # it only calls write()
        w.finish()
    elif fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        with_graph = fmt == ox.RdfFormat.N_QUADS
        out.write("".join(f"{sort_key(t)}{' ' + str(cast(ox.Quad, t).graph_name) if with_graph else ''} .\n"
                          for t in ordered).encode("utf-8"))
    else:
        ox.serialize(ordered, out, format=fmt, prefixes=prefixes)
    return out.getvalue()
