"""Reading and writing RDF: the one loader and the one Turtle writer of the project.

Parsing goes through pyoxigraph (fast, strict about IRIs, reports line and column). Turtle that
we generate goes through `write_turtle`, which writes atomically so a failed run never leaves a
truncated file behind.
"""
from __future__ import annotations

import os
import re
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


MAX_FILE_BYTES = int(os.environ.get("TAJSEC_MAX_FILE_BYTES", str(2 << 30)))
XSD = "http://www.w3.org/2001/XMLSchema#"
_LEXICAL = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "nonNegativeInteger": re.compile(r"\+?[0-9]+|-0+"),
    "positiveInteger": re.compile(r"\+?0*[1-9][0-9]*"),
    "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    "double": re.compile(r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF|NaN)|-INF"),
    "float": re.compile(r"[+-]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|INF|NaN)|-INF"),
    "boolean": re.compile(r"true|false|1|0"),
    "gYear": re.compile(r"-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?"),
    "gYearMonth": re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?"),
    "date": re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(Z|[+-][0-9]{2}:[0-9]{2})?"),
    "dateTime": re.compile(r"-?[0-9]{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?"),
}


@dataclass
class LoadWarning:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: warning: {self.message}" if self.line else f"{self.path}: warning: {self.message}"


def ill_typed(literal: ox.Literal) -> str | None:
    """Why a literal's lexical form is not valid for its XSD datatype, or None if it is."""
    dt = literal.datatype.value
    if not dt.startswith(XSD):
        return None
    name = dt[len(XSD):]
    pattern = _LEXICAL.get(name)
    if pattern is None:
        return None
    value = literal.value
    if not pattern.fullmatch(value):
        return f'"{value}" is not a valid xsd:{name}'
    if name in ("date", "dateTime"):
        import datetime

        y, m, d = value.lstrip("-")[:10].split("-")
        try:
            datetime.date(2000 if int(y) > 9999 else max(int(y), 1), int(m), int(d))
        except ValueError:
            return f'"{value}" is not a valid xsd:{name} (no such day)'
    return None


def parse_file(path: Path, graph: ox.NamedNode | ox.DefaultGraph | None = None, strict: bool = True,
               warnings: list | None = None) -> list[ox.Quad]:
    """All quads of one file, put into `graph`.

    Raises LoadError with line and column for anything malformed. `strict` (our own files):
    ill-typed literals are errors too. Otherwise (other people's files) they are appended to
    `warnings` with their line, and the data is kept as written."""
    fmt = format_for(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise LoadError(str(path), None, None, f"file is {size} bytes, above the limit of {MAX_FILE_BYTES} "
                                                   "(set TAJSEC_MAX_FILE_BYTES to raise it)")
        data = path.read_bytes()
    except OSError as e:
        raise LoadError(str(path), None, None, f"cannot read file: {e.strerror}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        if strict:
            raise LoadError(str(path), 1, 1, "the file starts with a UTF-8 byte-order mark; remove it")
        data = data[3:]
        if warnings is not None:
            warnings.append(LoadWarning(str(path), 1, "a UTF-8 byte-order mark at the start was ignored"))
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_entities(path, data)
    if fmt == ox.RdfFormat.JSON_LD:
        _refuse_remote_contexts(path, data)
    try:
        quads = list(ox.parse(data, format=fmt, rename_blank_nodes=True))
    except SyntaxError as e:
        msg = str(e.msg if hasattr(e, "msg") else e)
        if "LoadDocumentCallback" in msg:
            msg = "a JSON-LD @context that is not inline would have to be fetched; tajsec never fetches (inline it)"
        raise LoadError(str(path), e.lineno, e.offset, msg) from None
    except (ValueError, RecursionError, MemoryError) as e:
        raise LoadError(str(path), None, None, f"cannot parse: {type(e).__name__}: {e}") from None
    bad = []
    for q in quads:
        if isinstance(q.object, ox.Literal):
            why = ill_typed(q.object)
            if why:
                bad.append(why)
    if bad:
        lines = _lines_of(data, bad)
        if strict:
            line, why = lines[0]
            more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
            raise LoadError(str(path), line, None, f"ill-typed literal: {why}{more}")
        if warnings is not None:
            warnings.extend(LoadWarning(str(path), line, f"ill-typed literal kept as written: {why}") for line, why in lines)
    if graph is None:
        return quads
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


def _lines_of(data: bytes, reasons: list[str]) -> list[tuple[int | None, str]]:
    """Best-effort line numbers for ill-typed literals: the first line showing the lexical form."""
    text = data.decode("utf-8", errors="replace").splitlines()
    out = []
    for why in reasons:
        lexical = why.split('"')[1]
        line = next((n for n, l in enumerate(text, start=1) if f'"{lexical}"' in l), None)
        out.append((line, why))
    return out


def _refuse_entities(path: Path, data: bytes) -> None:
    head = data[:65536].decode("utf-8", errors="replace")
    m = re.search(r"<!DOCTYPE", head, re.I)
    if m and re.search(r"<!ENTITY", head, re.I):
        line = head[: m.start()].count("\n") + 1
        raise LoadError(str(path), line, None, "RDF/XML with a DOCTYPE that declares entities is refused "
                                               "(entity expansion can exhaust memory or read other files)")


def _refuse_remote_contexts(path: Path, data: bytes) -> None:
    import json

    try:
        doc = json.loads(data)
    except RecursionError:
        raise LoadError(str(path), None, None, "JSON nested too deeply") from None
    except ValueError as e:
        raise LoadError(str(path), getattr(e, "lineno", None), getattr(e, "colno", None), f"invalid JSON: {e.msg}") from None
    stack, seen = [doc], 0
    while stack:
        node = stack.pop()
        seen += 1
        if isinstance(node, dict):
            ctx = node.get("@context")
            for c in (ctx if isinstance(ctx, list) else [ctx]):
                if isinstance(c, str):
                    raise LoadError(str(path), None, None, f"JSON-LD @context {c!r} is remote or a file reference; "
                                                           "tajsec never fetches contexts: inline it")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


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
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)  # mkstemp makes 0600; a written file gets the usual mode
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
