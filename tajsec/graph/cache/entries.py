"""A build cache for incremental validation: each input file's named graph as the loader made
it, kept on disk keyed by the file's content, so that a run after a small edit parses only the
files that changed.

An entry is content-addressed: its key is the SHA-256 of the file's bytes, its path as given,
its graph name, how strictly it was read, and the source of the loader itself (so a change of
the loader's rules is a new key). It holds three files, written atomically: the graph as
N-Triples (`KEY.nt`, blank nodes as the store labelled them; a load gives them new labels, as
loading the file does), the file's typed literals as the
parser gave them (`KEY.lit.nt`, for tajsec.shacl.terms), and `KEY.json` with the loader's
warnings, the number of triples and the BLAKE2b digests of the other two. An entry is used
only if both digests match; anything unreadable, incomplete or altered is a miss: the file is
loaded again and the entry rewritten. A stale entry cannot be found (its key is another
file's content), so the cache can only ever make a run slower, never change its answer.

The derived layer is not cached: after the graphs are in place, the build rules run over the
whole store as SPARQL CONSTRUCTs (what `materialise` adds, without recording how each triple
was derived, which validation never asks for). The entries least recently used are removed
once the folder holds more than `keep` times what the run used."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

import pyoxigraph as ox

from tajsec.core.project import Project
from tajsec.core.terms import triples
from tajsec.graph.build import DERIVED_GRAPH, Built, construct_queries, load_files
from tajsec.io import load
from tajsec.io.load import BOM, LoadWarning, load_into, open_input, read_limited
from tajsec.io.write import atomic_write_bytes

VERSION = "1"
KEEP = 4   # the folder may hold this many times what one run used before old entries go
_SOURCES = ("io/load.py", "io/screens.py", "core/xsd.py", "graph/cache/entries.py")


def _code_digest() -> str:
    h = hashlib.sha256(f"{VERSION} {ox.__version__}".encode())
    base = Path(__file__).resolve().parent.parent.parent   # tajsec/
    for name in _SOURCES:
        h.update((base / name).read_bytes())
    return h.hexdigest()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def typed_literals(data: bytes, path: Path) -> bytes:
    """The triples of a file whose object is a literal, as N-Triples the parser gave them, the
    lines sorted (so that those about a subject are found by bisection: `lines_about`)."""
    quads = [q for q in ox.parse(data, format=load.format_for(path)) if isinstance(q.object, ox.Literal)]
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return b"".join(sorted((ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"").splitlines(keepends=True)))


def _subject_of(line: bytes) -> bytes:
    """The first term of an N-Triples line as written (its subject, for a triple)."""
    i = line.find(b" ")
    head = line if i < 0 else line[:i]
    if b"\t" in head or line[:1] in (b"\t", b" "):   # other white space than one space after it
        parts = line.split(None, 1)
        return parts[0] if parts else b""
    return head


def lines_about(data: bytes, subject: bytes) -> list[bytes]:
    """The lines of `data` (lines in sorted order) that start with `subject` and a space."""
    key = subject + b" "
    lo, hi = 0, len(data)
    while lo < hi:   # the first line not before `key`
        mid = (lo + hi) // 2
        start = max(lo, data.rfind(b"\n", 0, mid) + 1)
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if data[start:end] < key:
            lo = end + 1
        else:
            hi = start
    found = []
    while lo < len(data) and data.startswith(key, lo):
        end = data.find(b"\n", lo)
        end = len(data) if end < 0 else end
        found.append(data[lo:end])
        lo = end + 1
    return found


class BuildCache:
    """The entries under `folder`, and what this run used of them."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.code = _code_digest()
        self.used: set[str] = {"store"}   # the standing store (tajsec.graph.cache.standing) is never pruned
        self.hits = 0
        self.misses = 0
        self.literals: dict[str, bytes] = {}   # file -> its typed literals as parsed (N-Triples)
        self.whole: set[str] = set()   # files whose `literals` are their whole N-Triples text
        self.sorted: set[str] = set()   # files whose `literals` are in sorted order
        self.lazy: dict[str, tuple[Path, str]] = {}   # files whose `literals` are read when asked for: path, key
        self.files: list[tuple[Path, ox.NamedNode, bool, str]] = []   # each file loaded: path, graph, strict, key
        self.conclusions = b""   # what the build rules concluded, as N-Triples (see `conclude`)
        self.rules: bytes | None = None   # the text of the build rules, once they ran
        self.rule_outputs: list[bytes] | None = None   # each rule's conclusions (N-Triples), once they ran

    def key(self, path: Path, graph: ox.NamedNode, strict: bool, data: bytes) -> str:
        h = hashlib.sha256(self.code.encode())
        for part in (str(path), graph.value, "strict" if strict else "lenient"):
            h.update(part.encode("utf-8", "surrogateescape") + b"\0")
        h.update(data)
        return h.hexdigest()

    def _read(self, key: str) -> tuple[dict, bytes, bytes] | None:
        """The entry under `key` if it is whole and unaltered."""
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            nq = (self.folder / f"{key}.nt").read_bytes()
            lit = (self.folder / f"{key}.lit.nt").read_bytes()
            if meta.get("key") != key or meta.get("nq") != _digest(nq) or meta.get("lit") != _digest(lit):
                return None
            int(meta["triples"])
            [LoadWarning(**w) for w in meta["warnings"]]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):   # AttributeError: not a JSON object
            return None
        return meta, nq, lit

    def _write(self, key: str, triples: int, warnings: list[LoadWarning], nq: bytes, lit: bytes) -> None:
        meta = {"key": key, "triples": triples, "warnings": [asdict(w) for w in warnings],
                "nq": _digest(nq), "lit": _digest(lit), "sorted": True}
        try:
            atomic_write_bytes(self.folder / f"{key}.nt", nq)
            atomic_write_bytes(self.folder / f"{key}.lit.nt", lit)
            atomic_write_bytes(self.folder / f"{key}.json", json.dumps(meta).encode("utf-8"))
        except OSError:
            pass   # a cache that cannot be written costs time, not correctness

    def load(self, store: ox.Store, path: Path, graph: ox.NamedNode, strict: bool, warnings: list,
             texts: dict[str, str]) -> int:
        """`path` into `graph` of `store`, from the cache when its entry is there and sound, else
        by the loader (and the entry written). Returns the number of triples."""
        with open_input(path) as f:
            data = b"".join(read_limited(f, path))
        key = self.key(path, graph, strict, data)
        self.used.add(key)
        self.files.append((path, graph, strict, key))
        entry = self._read(key)
        if entry is not None:
            meta, nq, lit = entry
            try:
                store.load(nq, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
            except (SyntaxError, ValueError):
                entry = None
            else:
                self.hits += 1
                warnings.extend(LoadWarning(**w) for w in meta["warnings"])
                texts[str(path)] = (data[len(BOM):] if data.startswith(BOM) else data).decode("utf-8", errors="replace")
                self.literals[str(path)] = lit
                self._sorted(path, meta)
                self._touch(key)
                return int(meta["triples"])
        self.misses += 1
        if store.contains_named_graph(graph):   # what a damaged entry may have left
            store.remove_graph(graph)
        mine: list[LoadWarning] = []
        count = load_into(store, path, graph, strict=strict, warnings=mine, texts=texts)
        warnings.extend(mine)
        nq = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        lit = typed_literals((load.text_of(texts, path) or "").encode("utf-8"), path)   # a large file: read again
        self.literals[str(path)] = lit
        self.sorted.add(str(path))
        self._write(key, count, mine, nq, lit)
        return count

    def meta(self, key: str) -> dict | None:
        """The record of the entry under `key` (its warnings, number of triples), if readable."""
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) and meta.get("key") == key else None

    def use_literals(self, path: Path, key: str) -> bool:
        """Take the typed literals of `path` from its entry under `key` when asked for (the file
        is not loaded: tajsec.graph.cache.standing holds its graph); False if there is no such entry."""
        if not (self.folder / f"{key}.lit.nt").is_file():
            return False
        self.lazy[str(path)] = (path, key)
        self.used.add(key)
        self._touch(key)
        return True

    def _literals_of(self, name: str) -> bytes:
        """The typed literals of a file, read from its entry now if they were asked for lazily; an
        entry not sound: from the file itself."""
        if name in self.lazy:
            path, key = self.lazy.pop(name)
            meta = self.meta(key)
            try:
                lit = (self.folder / f"{key}.lit.nt").read_bytes()
            except OSError:
                lit = None
            if meta is None or lit is None or meta.get("lit") != _digest(lit):
                with open_input(path) as f:
                    data = b"".join(read_limited(f, path))
                lit, meta = typed_literals(data[len(BOM):] if data.startswith(BOM) else data, path), {"sorted": True}
            self.literals[name] = lit
            self._sorted(path, meta)
        return self.literals.get(name, b"")

    def _sorted(self, path: Path, meta: dict) -> None:
        if meta.get("sorted") is True:
            self.sorted.add(str(path))
        else:
            self.sorted.discard(str(path))

    def _touch(self, key: str) -> None:
        for suffix in (".json", ".nt", ".lit.nt"):
            with contextlib.suppress(OSError):
                os.utime(self.folder / f"{key}{suffix}")

    def prune(self, keep: int = KEEP) -> None:
        """Remove the least recently used entries beyond `keep` times the size of this run's."""
        try:
            files = [(p.stat().st_mtime, p.stat().st_size, p) for p in self.folder.iterdir() if p.is_file()]
        except OSError:
            return
        used = sum(size for _, size, p in files if p.name.split(".", 1)[0] in self.used)
        total = sum(size for _, size, _ in files)
        for _, size, p in sorted(files, key=lambda t: t[0]):
            if total <= keep * used:
                break
            if p.name.split(".", 1)[0] not in self.used:
                try:
                    p.unlink()
                    total -= size
                except OSError:
                    pass

    def state(self, texts: dict[Path, bytes | None] | None = None) -> str:
        """The key of the set of inputs this run loaded, or of the same with the files of
        `texts` holding those texts instead (None: the file absent)."""
        texts = {Path(p).resolve(): t for p, t in (texts or {}).items()}
        h = hashlib.sha256(self.code.encode())
        for path, graph, strict, key in self.files:
            if path.resolve() in texts:
                data = texts[path.resolve()]
                if data is None:
                    continue
                key = self.key(path, graph, strict, data)
            h.update(key.encode() + b"\n")
        return h.hexdigest()

    def _derived_key(self, state: str) -> str | None:
        return None if self.rules is None else "derived-" + hashlib.sha256(state.encode() + self.rules).hexdigest()

    def save_conclusions(self) -> None:
        """Keep what the build rules concluded from this run's inputs."""
        key = self._derived_key(self.state())
        if key is None:
            return
        self.used.add(key)
        meta = {"key": key, "digest": _digest(self.conclusions)}
        try:
            atomic_write_bytes(self.folder / f"{key}.nt", self.conclusions)
            atomic_write_bytes(self.folder / f"{key}.json", json.dumps(meta).encode("utf-8"))
        except OSError:
            pass

    def conclusions_of(self, state: str) -> bytes | None:
        """What the build rules concluded from the inputs of `state`, if a sound entry holds it."""
        key = self._derived_key(state)
        if key is None:
            return None
        try:
            meta = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            data = (self.folder / f"{key}.nt").read_bytes()
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("key") != key or meta.get("digest") != _digest(data):
            return None
        self.used.add(key)
        return data

    def typed_literals(self, files: Iterable[Path], subjects: set | None = None,
                       describing: set[str] | None = None) -> list[ox.Triple]:
        """The triples of `files` whose object is a literal, as the parser gave them (files this
        run loaded); with `subjects`, only those about these named nodes; with `describing`,
        only from these files (those that describe any of `subjects`: no other has a triple
        about them)."""
        out: list[ox.Triple] = []
        wanted = (None if subjects is None
                  else {f"<{n.value}>".encode() for n in subjects if isinstance(n, ox.NamedNode)})
        for f in files:
            if describing is not None and str(f) not in describing:
                continue
            data = self._literals_of(str(f))
            if str(f) in self.whole:   # a file's whole N-Triples text, as written (see `use_text`)
                if wanted is not None:
                    data = b"\n".join(line for line in data.splitlines() if _subject_of(line) in wanted)
                out.extend(t for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES) if isinstance(t.object, ox.Literal))
                continue
            if wanted is not None and str(f) in self.sorted:
                data = b"\n".join(line for s in sorted(wanted) for line in lines_about(data, s))
            elif wanted is not None:
                data = b"\n".join(line for line in data.splitlines() if line[:line.find(b" ")] in wanted)
            out.extend(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        return out

    def use_text(self, path: Path, data: bytes) -> None:
        """Take the typed literals of the N-Triples file `path` from its text `data` when asked
        for (a file tajsec.graph.cache.standing loaded without writing an entry)."""
        self.literals[str(path)] = data[len(BOM):] if data.startswith(BOM) else data
        self.whole.add(str(path))
        self.sorted.discard(str(path))


def cached_build(project: Project, files: list[Path], cache: BuildCache, derive: bool = True,
                 foreign: Iterable[Path] = (), progress: Callable[[Path], object] | None = None,
                 texts: dict[str, str] | None = None) -> Built:
    """What tajsec.graph.build.build gives for the same arguments (the same union of triples,
    graphs, warnings and texts), each file's graph from `cache` when it holds it."""
    texts = {} if texts is None else texts

    def load_one(store: ox.Store, path: Path, graph: ox.NamedNode, strict: bool, warnings: list, again: bool) -> int:
        if again:   # a file given twice is loaded twice, as the build does
            return load_into(store, path, graph, strict=strict, warnings=warnings, texts=texts)
        return cache.load(store, path, graph, strict, warnings, texts)

    store, graphs, warnings, asserted = load_files(project, files, foreign, load_one, progress)
    derived = 0
    if derive:
        cache.rules = b"\0".join(p.read_bytes() for p in construct_queries(project))
        cache.rule_outputs = []
        cache.conclusions = conclude(store, construct_queries(project), cache.rule_outputs)
        derived = cache.conclusions.count(b"\n")
        cache.save_conclusions()
    return Built(store, list(graphs.values()), asserted, derived, graphs, warnings)


def conclude(store: ox.Store, rules: list[Path], outputs: list[bytes] | None = None) -> bytes:
    """Run the build rules in order as SPARQL CONSTRUCTs over the union of graphs, each adding
    its conclusions to DERIVED_GRAPH before the next runs; returns them all as N-Triples. The
    same union of triples as tajsec.graph.build.materialise, without the record of how each
    was derived (a conclusion already asserted is added again, to the derived graph). `outputs`
    receives each rule's conclusions."""
    out = []
    for rule in rules:
        nt = triples(store.query(rule.read_text(encoding="utf-8"), use_default_graph_as_union=True)).serialize(
            format=ox.RdfFormat.N_TRIPLES) or b""
        if b"_:" in nt:   # loading would give blank nodes new labels: those lines as the terms they are
            lines = nt.splitlines(keepends=True)
            blank = b"".join(line for line in lines if b"_:" in line)
            store.extend(ox.Quad(t.subject, t.predicate, t.object, DERIVED_GRAPH)
                         for t in ox.parse(blank, format=ox.RdfFormat.N_TRIPLES))
            plain = b"".join(line for line in lines if b"_:" not in line)
        else:
            plain = nt
        if plain:
            store.load(plain, format=ox.RdfFormat.N_TRIPLES, to_graph=DERIVED_GRAPH)
        out.append(nt)
    if outputs is not None:
        outputs.extend(out)
    return b"".join(out)


def changed_subjects(before: bytes, after: bytes) -> set | None:
    """The subjects of the conclusions in one of the two N-Triples texts and not the other;
    None if either has a blank node (its label is not comparable across runs)."""
    if b"_:" in before or b"_:" in after:
        return None
    if before == after:
        return set()
    old, new = set(before.splitlines()), set(after.splitlines())
    differ = b"\n".join(old ^ new)
    return {t.subject for t in ox.parse(differ, format=ox.RdfFormat.N_TRIPLES)} if differ else set()
