"""The one loader: every input file of every command is read here.

Parsing goes through pyoxigraph (fast, strict about IRIs, reports line and column). Our own
files are read strictly (ill-typed literals are errors), other people's leniently (warnings with
their line). Each input is opened once, must be a regular file (or `-`), and is capped by the
bytes actually read; entities in RDF/XML and remote JSON-LD contexts are refused.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import stat
import sys
import tempfile
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from tajsec.core.environment import whole_number
from tajsec.core.errors import LoadError, data_syntax_error
from tajsec.core.formats import EXTENSIONS as FORMATS
from tajsec.core.namespaces import GRAPH_BASE, RDF_LANG_STRING, XSD_STRING
from tajsec.core.terms import QueryAnswer, solutions
from tajsec.core.xsd import INTEGER_RANGES, LEXICAL_SPACES, XSD, ill_typed_literals, xsd_well_formed
from tajsec.io import screens

#: The name that reads standard input (as Turtle, of which N-Triples is a part).
STDIN = "-"


def format_for(path: Path) -> ox.RdfFormat:
    if str(path) == STDIN:
        return ox.RdfFormat.TURTLE
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        raise LoadError(str(path), None, None,
                        f"unknown RDF file extension {path.suffix!r} (known: {', '.join(sorted(FORMATS))})") from None


MAX_FILE_BYTES = whole_number("TAJSEC_MAX_FILE_BYTES", 2 << 30, "bytes")


@dataclass
class LoadWarning:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: warning: {self.message}"


_NOT_VALID = '" is not a valid '


def ill_typed(literal: ox.Literal) -> str | None:
    """Why a literal's lexical form is not valid for its XSD datatype, or None if it is."""
    dt = literal.datatype.value
    if xsd_well_formed(literal.value, dt) is False:
        return f'"{literal.value}{_NOT_VALID}xsd:{dt[len(XSD):]}'
    return None


_CHUNK = 1 << 20
_FILE_KINDS = {stat.S_IFDIR: "a directory", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device",
               stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def _too_large(path: Path, size: str) -> LoadError:
    return LoadError(str(path), None, None, f"file is {size} bytes, above the limit of {MAX_FILE_BYTES} "
                                            "(set TAJSEC_MAX_FILE_BYTES to raise it)")


def open_input(path: Path) -> BinaryIO:
    """`path` opened for reading: a regular file, or standard input for `-` (copied to a temporary
    file, so that it can be read more than once). Opening never blocks (a FIFO is refused, not
    waited on); anything but a regular file is refused with an error naming it."""
    if str(path) == STDIN:
        copy = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; the caller closes it
        for chunk in read_limited(sys.stdin.buffer, path):
            copy.write(chunk)
        copy.seek(0)
        return copy
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as e:
        raise LoadError(str(path), None, None, f"cannot read file: {e.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise LoadError(str(path), None, None, f"cannot read file: it is {kind}, not a regular file "
                                               f"(give {STDIN} to read standard input)")
    os.set_blocking(fd, True)
    size = os.fstat(fd).st_size
    if size > MAX_FILE_BYTES:
        os.close(fd)
        raise _too_large(path, str(size))
    return os.fdopen(fd, "rb")


def read_limited(f: BinaryIO, path: Path) -> Iterator[bytes]:
    """The bytes of `f` in chunks, stopping with a LoadError as soon as more than MAX_FILE_BYTES
    have actually been read (whatever the file claims its size is)."""
    total = 0
    while True:
        try:
            chunk = f.read(_CHUNK)
        except OSError as e:
            raise LoadError(str(path), None, None, f"cannot read file: {e.strerror or e}") from None
        if not chunk:
            return
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise _too_large(path, f"more than {MAX_FILE_BYTES}")
        yield chunk


BOM = b"\xef\xbb\xbf"


def _bom_rule(path: Path, strict: bool, warnings: list | None) -> None:
    """What a UTF-8 byte-order mark at the start of a file gets: an error for our own files, a
    warning (and the mark is dropped) for other people's."""
    if strict:
        raise LoadError(str(path), 1, 1, "the file starts with a UTF-8 byte-order mark; remove it")
    if warnings is not None:
        warnings.append(LoadWarning(str(path), 1, "a UTF-8 byte-order mark at the start was ignored"))


def _preflight(path: Path, strict: bool, warnings: list | None,
               texts: dict[str, str] | None = None) -> tuple[ox.RdfFormat, bytes]:
    """Format and bytes of a file, after the checks every input gets before any parser sees it:
    size, byte-order mark, XML entities, remote JSON-LD contexts. With `texts`, the file's text
    is kept there under its path, for callers that need its lines without opening it again."""
    fmt = format_for(path)
    with open_input(path) as f:
        data = b"".join(read_limited(f, path))
        kept = KeptText(path, f.fileno(), data) if texts is not None and len(data) > KEEP_TEXT_BYTES else None
    if data.startswith(BOM):
        _bom_rule(path, strict, warnings)
        data = data[len(BOM):]
    if fmt == ox.RdfFormat.RDF_XML:
        screens.refuse_entities(path, data)
        screens.refuse_deep_xml(path, data)
    if fmt == ox.RdfFormat.JSON_LD:
        screen_jsonld(path, data, strict, warnings)
    if texts is not None:
        texts[str(path)] = kept or data.decode("utf-8", errors="replace")  # type: ignore[assignment]
    return fmt, data


#: A file larger than this is not held as text for the callers of `_preflight` that ask for
#: texts (to locate results on lines): its descriptor is (KeptText), and it is read again from
#: that descriptor when its lines are needed, so that it is still opened only once.
KEEP_TEXT_BYTES = whole_number("TAJSEC_KEEP_TEXT_BYTES", 16 << 20, "bytes")


class KeptText:
    """The text of a file read once, kept as the open descriptor it was read from: `read()`
    reads it again from there (byte-order mark dropped, as the loader does), an error if the
    bytes are not those read the first time."""

    def __init__(self, path: Path, fd: int, data: bytes):
        self.path, self.fd = path, os.dup(fd)
        self.size, self.digest = len(data), hashlib.sha256(data).digest()

    def read(self) -> str:
        chunks, at = [], 0
        while at <= self.size:
            chunk = os.pread(self.fd, min(_CHUNK, self.size + 1 - at), at)
            if not chunk:
                break
            chunks.append(chunk)
            at += len(chunk)
        data = b"".join(chunks)
        if len(data) != self.size or hashlib.sha256(data).digest() != self.digest:
            raise LoadError(str(self.path), None, None, "the file changed while it was being read; run again")
        return (data[len(BOM):] if data.startswith(BOM) else data).decode("utf-8", errors="replace")

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


def text_of(texts: dict | None, path: Path | str) -> str | None:
    """The text `texts` (filled by the loader) holds for `path`, read again if it was kept as a
    descriptor (KeptText); None if it holds none."""
    text = None if texts is None else texts.get(str(path))
    return text.read() if isinstance(text, KeptText) else text


class InputFile:
    """One input, opened once and read as many times as needed from that one descriptor, each
    read under the checks of `_preflight`, for inputs too large to hold in memory (tajsec merge).

    `screen()` reads it through once for its SHA-256 and size and refuses RDF/XML entities and
    remote JSON-LD contexts; `stream()` is a binary file for the parser (byte-order mark rule
    applied), which checks that the bytes are those screened; `lines()` is its text, for
    `report_ill_typed`."""

    def __init__(self, path: Path, strict: bool = True, warnings: list | None = None):
        self.path = Path(path)
        self.format = format_for(self.path)
        self.strict, self.warnings = strict, warnings
        self._file = open_input(self.path)
        self.sha256: str | None = None
        self.size = 0

    def chunks(self) -> Iterator[bytes]:
        """The raw bytes, from the start, at most MAX_FILE_BYTES."""
        self._file.seek(0)
        return read_limited(self._file, self.path)

    def screen(self) -> str:
        """SHA-256 of the file, after the checks that need no parser."""
        digest, size, screen, first = hashlib.sha256(), 0, screens.EntityScreen(), True
        depth = screens.DepthScreen(self.path)
        for chunk in self.chunks():
            if first and chunk.startswith(BOM):
                _bom_rule(self.path, self.strict, self.warnings)
            first = False
            digest.update(chunk)
            size += len(chunk)
            if self.format == ox.RdfFormat.RDF_XML:
                line = screen.feed(chunk)
                if line is not None:
                    raise LoadError(str(self.path), line, None, screens.ENTITY_REFUSED)
                depth.feed(chunk)
        if self.format == ox.RdfFormat.JSON_LD:  # a JSON document is checked whole
            data = b"".join(self.chunks())
            screen_jsonld(self.path, data[len(BOM):] if data.startswith(BOM) else data, self.strict, self.warnings)
        self.sha256, self.size = digest.hexdigest(), size
        return self.sha256

    def stream(self, progress: Callable[[int], None] | None = None) -> _ParseStream:
        """A binary file for the parser (call `screen` first); `progress(bytes read)` every MB."""
        return _ParseStream(self, progress)

    def lines(self) -> Iterator[str]:
        return io.TextIOWrapper(io.BufferedReader(_ChunkReader(self.chunks())), encoding="utf-8", errors="replace",
                                newline=None)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> InputFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _ChunkReader(io.RawIOBase):
    """Chunks of bytes read as a binary file."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._rest = chunks, memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buf: Any) -> int:  # a writable buffer (memoryview, bytearray)
        if not self._rest:
            self._rest = memoryview(next(self._chunks, b""))
        n = min(len(buf), len(self._rest))
        buf[:n] = self._rest[:n]
        self._rest = self._rest[n:]
        return n


class _ParseStream(_ChunkReader):
    """The bytes of a screened InputFile for the parser: byte-order mark dropped, hashed again
    on the way so that a file changed since `screen` is an error, not a silent mix."""

    def __init__(self, source: InputFile, progress: Callable[[int], None] | None):
        super().__init__(self._checked(source, progress))

    @staticmethod
    def _checked(source: InputFile, progress: Callable[[int], None] | None) -> Iterator[bytes]:
        digest, done, first = hashlib.sha256(), 0, True
        for chunk in source.chunks():
            digest.update(chunk)
            done += len(chunk)
            if progress:
                progress(done)
            yield chunk[len(BOM):] if first and chunk.startswith(BOM) else chunk
            first = False
        if progress and not done:
            progress(0)
        if digest.hexdigest() != source.sha256 or done != source.size:
            raise LoadError(str(source.path), None, None, "the file changed while it was being read; run again")


def _text_lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines()


def report_ill_typed(path: Path | str, lines: Callable[[], Iterable[str]], reasons: list[str], strict: bool,
                     warnings: list | None) -> None:
    """Ill-typed literals (`reasons`, from `ill_typed`) of one file, located on `lines()` (called
    only if there are any): a LoadError if `strict`, otherwise warnings with their line."""
    if not reasons:
        return
    # by line: the order the store found them in depends on what else it holds
    located = sorted(lines_of(lines(), reasons), key=lambda lw: (lw[0] is None, lw[0] or 0, lw[1]))
    if strict:
        line, why = located[0]
        more = f" (and {len(reasons) - 1} more)" if len(reasons) > 1 else ""
        raise LoadError(str(path), line, None, f"ill-typed literal: {why}{more}")
    if warnings is not None:
        warnings.extend(LoadWarning(str(path), line, f"ill-typed literal kept as written: {why}")
                        for line, why in located)


def screen_jsonld(path: Path, data: bytes, strict: bool, warnings: list | None) -> None:
    """A JSON-LD input: valid UTF-8 and JSON, no remote context, and nothing that pyoxigraph's
    parser would drop without a word (an error in our files, a warning with its line in others')."""
    doc = screens.json_document(path, data)
    screens.refuse_remote_contexts(path, doc)
    dropped = screens.jsonld_dropped(doc)
    if not dropped:
        return
    text = data.decode("utf-8")
    if strict:
        d = dropped[0]
        more = f" (and {len(dropped) - 1} more)" if len(dropped) > 1 else ""
        raise LoadError(str(path), screens.line_of(text, d.text), None, d.why + more)
    if warnings is not None:
        warnings.extend(LoadWarning(str(path), screens.line_of(text, d.text), d.why) for d in dropped)


def refuse_triple_terms(path: Path | str, found: bool, data: bytes) -> None:
    """RDF 1.2 triple terms (`<<( s p o )>>`) are not supported by the rest of tajsec: refused
    here, with the line of the first, rather than failing later."""
    if not found:
        return
    text = data.decode("utf-8", errors="replace")
    line = next((n for n, line_text in enumerate(text.splitlines(), start=1) if "<<" in line_text), None)
    raise LoadError(str(path), line, None, "RDF 1.2 triple terms (<<( ... )>>, reification) are not supported by "
                                           "tajsec; state the triple, or use rdf:Statement")


def parse_error(path: Path | str, e: Exception) -> LoadError:
    """The LoadError for an exception raised by the parser on `path`."""
    if isinstance(e, SyntaxError):
        return data_syntax_error(path, e)
    return LoadError(str(path), None, None, f"cannot parse: {type(e).__name__}: {e}")


def parse_file(path: Path, graph: ox.NamedNode | ox.DefaultGraph | None = None, strict: bool = True,
               warnings: list | None = None, texts: dict[str, str] | None = None) -> list[ox.Quad]:
    """All quads of one file, put into `graph`, with literals exactly as written.

    Raises LoadError with line and column for anything malformed. `strict` (our own files):
    ill-typed literals are errors too. Otherwise (other people's files) they are appended to
    `warnings` with their line, and the data is kept as written. `texts`: see `_preflight`."""
    fmt, data = _preflight(path, strict, warnings, texts)
    return _parse(path, fmt, data, graph, strict, warnings)


def _parse(path: Path, fmt: ox.RdfFormat, data: bytes, graph: ox.NamedNode | ox.DefaultGraph | None, strict: bool,
           warnings: list | None) -> list[ox.Quad]:
    try:
        quads = list(ox.parse(data, format=fmt, rename_blank_nodes=True))
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        raise parse_error(path, e) from None
    refuse_triple_terms(path, any(isinstance(q.object, ox.Triple) or isinstance(q.subject, ox.Triple) for q in quads),
                        data)
    bad = [why for q in quads if isinstance(q.object, ox.Literal) for why in [ill_typed(q.object)] if why]
    report_ill_typed(path, lambda: _text_lines(data), bad, strict, warnings)
    if graph is None:
        return quads
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads]


_TRIPLE_FORMATS = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.RDF_XML)

#: Datatypes a pyoxigraph store does not keep: a literal of a derived integer type (in range or
#: not: "300"^^xsd:byte) is stored as xsd:integer, one of xsd:dateTimeStamp as xsd:dateTime, so
#: an ill-typed one cannot be found in the store; load_into checks them as parsed instead (when
#: the file names one of them at all).
_RETYPED_NAMES = frozenset(INTEGER_RANGES) | {"dateTimeStamp"}
_STORE_RETYPED = re.compile(rb"(?<![A-Za-z])(" + b"|".join(n.encode() for n in sorted(_RETYPED_NAMES))
                            + rb")(?![A-Za-z])")
#: N-Triples writes a datatype as a whole IRI: found by its namespace, at the speed of a substring
#: search (the pattern above tries every position of the text: most of a large file's load time)
_NT_RETYPED = re.compile(rb"XMLSchema#(?:" + b"|".join(n.encode() for n in sorted(_RETYPED_NAMES)) + rb")>")


def names_retyped(fmt: ox.RdfFormat, data: bytes) -> bool:
    """Whether `data` may hold a literal of a datatype the store retypes (`_RETYPED_NAMES`)."""
    if fmt == ox.RdfFormat.N_TRIPLES and b"\\" not in data:   # an IRI could escape its characters
        return _NT_RETYPED.search(data) is not None
    return _names_retyped_as_word(data)


def load_into(store: ox.Store, path: Path, graph: ox.NamedNode, strict: bool = True,
              warnings: list | None = None, texts: dict[str, str] | None = None,
              literals: list[ox.Quad] | None = None) -> int:
    """Load one file into `graph` of `store` at pyoxigraph speed; same checks and errors as
    parse_file. Returns the number of triples loaded. (The store keeps well-formed typed
    literals in canonical form, e.g. "0042"^^xsd:integer as 42; parse_file keeps them as written.)
    `literals`, if given, receives the quads whose object is a typed literal (not a plain or
    language-tagged string: those the store keeps as written), as written and with the
    very blank nodes the store holds (the file is then parsed in Python rather than loaded by
    the store: a little slower), so that a validator can see them as written (tajsec.shacl.terms)."""
    fmt, data = _preflight(path, strict, warnings, texts)
    if fmt not in _TRIPLE_FORMATS:  # datasets: their own graph names are folded into `graph`
        quads = _parse(path, fmt, data, graph, strict, warnings)
        store.extend(quads)
        if literals is not None:
            literals.extend(q for q in quads if _typed(q.object))
        return len(quads)
    typed_quads: list[ox.Quad] = []
    try:
        typed = _typed_lines(data) if fmt == ox.RdfFormat.N_TRIPLES else None
        if literals is None or typed is not None:   # pyoxigraph's loader: the fastest (typed: see below)
            store.load(data, format=fmt, to_graph=graph)
            # lines the store has just parsed strictly: read again without the parser's checks
            typed_quads = list(ox.parse(typed, format=fmt, lenient=True)) if typed else []
            if literals is not None:
                literals.extend(ox.Quad(q.subject, q.predicate, q.object, graph)
                                for q in typed_quads if _typed(q.object))
        else:
            store.extend(_keeping_literals(ox.parse(data, format=fmt, rename_blank_nodes=True), graph, literals))
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        raise parse_error(path, e) from None
    if b"<<" in data or fmt == ox.RdfFormat.RDF_XML:   # a triple term is written with "<<" in (N-)Triples/Turtle
        refuse_triple_terms(path, bool(store.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o FILTER(isTRIPLE(?o)) }} }}")),
                            data)
    count = next(iter(solutions(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))))["n"]
    # N-Triples: every typed literal is on a line of `typed`, parsed above; the store's check
    # (ill_typed_literals) is then asked only about those that are not well-formed as written
    bad = [ill_typed(lit) for lits in ill_typed_literals(
        GraphView(store, graph) if typed is None else _probe(typed_quads), _CHECKED).values() for lit in lits]
    typed_part = data if typed is None else typed   # N-Triples: a datatype is named only on those lines
    if names_retyped(fmt, typed_part):  # the store has turned them into xsd:integer / xsd:dateTime
        bad.extend(why for q in (ox.parse(typed_part, format=fmt) if typed is None else typed_quads)
                   if isinstance(q.object, ox.Literal)
                   and q.object.datatype.value[len(XSD):] in _RETYPED_NAMES for why in [ill_typed(q.object)] if why)
    report_ill_typed(path, lambda: _text_lines(data), [b for b in bad if b], strict, warnings)
    return int(count.value)


#: The datatypes whose literals the loader checks (XSD lexical spaces, integer ranges).
_CHECKED = [XSD + n for n in [*LEXICAL_SPACES, *INTEGER_RANGES]]
_CHECKED_SET = frozenset(_CHECKED)


def _probe(quads: list[ox.Quad]) -> ox.Store:
    """A store holding the typed literals of `quads` that are not well-formed as written, for
    the store's own check (ill_typed_literals) to judge as it would in the whole store: a
    literal the store could parse is not reported, whatever it looks like."""
    probe = ox.Store()
    subject = ox.NamedNode(GRAPH_BASE + "probe")
    probe.extend(ox.Quad(subject, subject, q.object, subject) for q in quads if isinstance(q.object, ox.Literal)
                 and q.object.datatype.value in _CHECKED_SET
                 and xsd_well_formed(q.object.value, q.object.datatype.value) is False)
    return probe


def _typed_lines(data: bytes) -> bytes | None:
    """The lines of N-Triples `data` that may hold a typed literal (`^^`, which N-Triples cannot
    escape; a space may come before or after it), for `literals` and the ill-typed check when
    the store itself loads the file; None if one of them has a blank-node subject (the store
    gives blank nodes labels of its own: such a file is parsed in Python, as other formats are)."""
    out, at, last = [], data.find(b"^^"), -1
    while at >= 0:
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end + 1
        if start > last:
            line = data[start:end]
            if line.lstrip().startswith(b"_:"):
                return None
            out.append(line if line.endswith(b"\n") else line + b"\n")
            last = start
        at = data.find(b"^^", end)
    return b"".join(out)


def _names_retyped_as_word(data: bytes) -> bool:
    """Whether `data` names one of _RETYPED_NAMES as a word, not preceded or followed by an
    ASCII letter (what _STORE_RETYPED matches): each name looked for with bytes.find, which is
    much faster on a large file than the regular expression."""
    for name in _RETYPED_BYTES:
        at = data.find(name)
        while at >= 0:
            end = at + len(name)
            if not (at and data[at - 1:at].isalpha()) and not data[end:end + 1].isalpha():
                return True
            at = data.find(name, at + 1)
    return False


_RETYPED_BYTES = tuple(sorted({n.encode() for n in _RETYPED_NAMES}))


def _keeping_literals(quads: Iterable[ox.Quad], graph: ox.NamedNode, literals: list[ox.Quad]) -> Iterator[ox.Quad]:
    """The parsed quads put into `graph`, streamed; those with a typed literal object also
    appended to `literals` (only those are held in memory)."""
    for q in quads:
        q = ox.Quad(q.subject, q.predicate, q.object, graph)
        if _typed(q.object):
            literals.append(q)
        yield q


_UNTYPED = frozenset({XSD_STRING, RDF_LANG_STRING})


def _typed(term: object) -> bool:
    """A literal with a datatype other than xsd:string and rdf:langString."""
    return isinstance(term, ox.Literal) and term.datatype.value not in _UNTYPED


class GraphView:
    """Runs queries on one named graph of a store as if it were the default graph."""

    def __init__(self, store: ox.Store, graph: ox.NamedNode):
        self.store, self.graph = store, graph

    def query(self, sparql: str, **kw: Any) -> QueryAnswer:
        kw.pop("use_default_graph_as_union", None)
        return self.store.query(sparql, default_graph=self.graph, **kw)


#: Where a lexical form can stand in a line: between double or single quotes (Turtle, TriG,
#: N-Triples, JSON-LD, RDF/XML attributes) or as the text of an XML element.
_LEXICAL_FORMS = (re.compile(r'"((?:[^"\\]|\\.)*)"'), re.compile(r"'((?:[^'\\]|\\.)*)'"),
                  re.compile(r">([^<>]*)<"))
def _lexical_of(why: str) -> str:
    """The lexical form quoted at the start of a reason given by `ill_typed`."""
    return why[1:why.rindex(_NOT_VALID)]


def lines_of(lines: Iterable[str], reasons: list[str]) -> list[tuple[int | None, str]]:
    """Best-effort line numbers for ill-typed literals: the first line showing the lexical form.

    One pass over `lines`, each line split once into the forms it shows, each looked up in a
    table: time linear in the size of the file, however many literals are looked for. (While
    only a few are still missing, a line that contains none of them is not split at all.)"""
    first: dict[str, int | None] = {_lexical_of(why): None for why in reasons}
    missing = {form for form, line in first.items() if line is None}
    for n, line in enumerate(lines, start=1):
        if len(missing) <= _FEW and not any(form in line for form in missing):
            continue
        for pattern in _LEXICAL_FORMS:
            for form in pattern.findall(line):
                if form in missing:
                    first[form] = n
                    missing.discard(form)
        if not missing:
            break
    return [(first[_lexical_of(why)], why) for why in reasons]


_FEW = 8


def graph_name_for(path: Path, root: Path) -> ox.NamedNode:
    """The named graph a project file is loaded into: its path relative to the checkout."""
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.resolve().as_posix().lstrip("/")
    return ox.NamedNode(GRAPH_BASE + urllib.parse.quote(rel, safe="/-._~"))  # any file name makes an IRI
