"""Reading and writing RDF: the one loader and the one Turtle writer of the project.

Parsing goes through pyoxigraph (fast, strict about IRIs, reports line and column). Turtle that
we generate goes through `write_turtle`, which writes atomically so a failed run never leaves a
truncated file behind.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


@dataclass
class LoadError(Exception):
    """A file that cannot be read or parsed; names the file, line and column."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


def format_for(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise LoadError(str(path), None, None,
                        f"unknown RDF file extension {path.suffix!r} (known: {', '.join(sorted(FORMATS))})") from None


def parse_file(path: Path, graph: ox.NamedNode | ox.DefaultGraph | None = None) -> list[ox.Quad]:
    """All quads of one file, put into `graph`; raises LoadError with line and column."""
    fmt = format_for(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(str(path), None, None, f"cannot read file: {e.strerror}") from None
    try:
        quads = list(ox.parse(data, format=fmt, rename_blank_nodes=True))
    except SyntaxError as e:
        line, col = e.lineno, e.offset
        msg = str(e.msg if hasattr(e, "msg") else e)
        raise LoadError(str(path), line, col, msg) from None
    except ValueError as e:
        raise LoadError(str(path), None, None, str(e)) from None
    if graph is None:
        return quads
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def graph_name_for(path: Path, root: Path) -> ox.NamedNode:
    """The named graph a project file is loaded into: its path relative to the checkout."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.resolve().as_posix().lstrip("/")
    return ox.NamedNode(f"https://w3id.org/tajsec/graph/{rel}")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_turtle(graph, path: Path) -> None:
    """The only serialiser of generated Turtle: rdflib longturtle, canonical, atomic."""
    from tajsec.namespaces import PREFIXES

    for p, ns in PREFIXES.items():
        graph.bind(p, ns, override=True)
    text = graph.serialize(format="longturtle", canon=True)
    text = "\n".join(line.rstrip() for line in text.splitlines()).rstrip() + "\n"
    atomic_write_bytes(Path(path), text.encode("utf-8"))


def store_to_ntriples(store: ox.Store, graphs=None) -> bytes:
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


def to_rdflib(store: ox.Store, graphs=None):
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
