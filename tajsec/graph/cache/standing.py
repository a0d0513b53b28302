"""The standing store of incremental validation: the whole built graph kept on disk in the
build cache's folder between runs (pyoxigraph's RocksDB store under `store/`), so that a run
after a small edit neither loads every file again nor runs the build rules over everything.

Each input file is a named graph of the store, as a build makes it; each build rule's
conclusions are a graph of their own (tajsec.graph.cache.delta). `store.json` records, for the
store it names by a random id (the same id is written inside the store folder), which inputs
it holds: each file's path, graph, strictness, content key (tajsec.graph.cache.BuildCache.key),
size and modification time, loader warnings and number of triples; and the loader code and
build rules it was made with. The record is removed before the store is changed and written
again (atomically) once the store is consistent, so a run that dies midway leaves no record.

`open_session` opens the store (holding an exclusive lock on `store.lock` until the session
closes) and brings it first to the state before the edits (a file not named as changed but
differing from the record is loaded and its graph compared whole; an edited file whose graph
holds its text after the edit is taken back), then to the edited state: each edited file's
triples from the lines that changed (tajsec.graph.cache.light, or the file loaded and its graph
compared), the rules' graphs updated by deltas, every quad added or removed journalled. The
session gives the build, the edits' triples and the subjects whose derived triples changed;
closing it takes the journal back, so the store keeps the state before the edits (the main
branch's), which the record says. Anything doubtful gives None and the caller builds in memory
as before, then `save`s the store (by deltas if it holds the same files, else anew): no record
or a record that does not match (other inputs, other loader, rules or code of this module), a
store that cannot be opened or is locked by another run, an edit that deltas do not follow. A
file counts as unchanged when its size and modification time are those recorded and it was not
modified within a second before the record was written (else its content is hashed)."""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from tajsec.core.project import Project
from tajsec.graph.build import DERIVED_GRAPH, Built, construct_queries
from tajsec.graph.cache import delta, light
from tajsec.graph.cache.entries import BuildCache, typed_literals
from tajsec.io.load import BOM, LoadWarning, format_for, graph_name_for, load_into, text_of
from tajsec.io.write import atomic_write_bytes

VERSION = 1
STORE, RECORD, LOCK, ID = "store", "store.json", "store.lock", "standing-id"


@dataclass
class Input:
    """One input as the store holds it."""
    path: str
    graph: str
    strict: bool
    key: str
    size: int
    mtime: int
    triples: int
    warnings: list[dict]


def inputs(project: Project, files: Iterable[Path], foreign: Iterable[Path]) -> list[tuple[Path, ox.NamedNode, bool]]:
    """The inputs of a build, in its order (tajsec.graph.build.load_files): `files` strictly,
    then the foreign files not among them."""
    files = list(files)
    foreign = list(dict.fromkeys(foreign))
    return [(f, graph_name_for(f, project.root), f not in foreign)
            for f in files + [f for f in foreign if f not in files]]


try:
    import fcntl
except ImportError:   # not POSIX: no lock, so no standing store
    fcntl = None   # type: ignore[assignment]


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[bool]:
    """An exclusive lock on the standing store of `folder`, if no other run holds it."""
    if fcntl is None:
        yield False
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        yield False
        return
    try:
        yield True
    finally:
        os.close(fd)   # releases the lock


def _code() -> str:
    """The loader's code (BuildCache.code) and this module's and tajsec.graph.cache.delta's: a store
    another version of them made is not used."""
    h = hashlib.sha256(str(VERSION).encode())
    for module in (__file__, delta.__file__):
        h.update(Path(module).read_bytes())
    return h.hexdigest()


def _stat(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _read_record(cache: BuildCache, rules: list[Path]) -> dict | None:
    try:
        record = json.loads((cache.folder / RECORD).read_text(encoding="utf-8"))
        ident = (cache.folder / STORE / ID).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("version") != VERSION or record.get("code") != cache.code + _code() \
            or record.get("rules") != delta.rules_digest(rules) or record.get("id") != ident:
        return None
    try:
        record["inputs"] = [Input(**i) for i in record["inputs"]]
    except (KeyError, TypeError):
        return None
    return record


def _write_record(cache: BuildCache, ident: str, rules: list[Path], entries: list[Input]) -> None:
    record = {"version": VERSION, "id": ident, "code": cache.code + _code(), "rules": delta.rules_digest(rules),
              "written": time.time_ns(), "inputs": [asdict(e) for e in entries]}
    atomic_write_bytes(cache.folder / RECORD, json.dumps(record).encode("utf-8"))


def _forget(cache: BuildCache) -> None:
    with contextlib.suppress(FileNotFoundError):
        (cache.folder / RECORD).unlink()


class Journal:
    """The quads a run added to or removed from the store, to take them back."""

    def __init__(self) -> None:
        self.added: list[ox.Quad] = []
        self.removed: list[ox.Quad] = []

    def undo(self, store: ox.Store) -> None:
        for q in self.added:
            store.remove(q)
        store.extend(self.removed)
        self.added, self.removed = [], []


def save(project: Project, built: Built, cache: BuildCache, files: list[Path], foreign: Iterable[Path]) -> None:
    """Keep `built` (a build from `cache`, with its rules' conclusions) as the standing store:
    nothing to do if the store holds these inputs; the graphs of the files that changed made to
    hold what `built` holds, and the rules' graphs updated by deltas, if it holds the same files;
    else a new store. A failure costs the next run time, nothing else."""
    rules = construct_queries(project)
    order = inputs(project, files, foreign)
    if cache.rule_outputs is None or len(cache.rule_outputs) != len(rules) or not delta.described(rules) \
            or len({g for _, g, _ in order}) != len(order) or len(cache.files) != len(order):
        return
    keys = {(str(p.resolve()), g.value): key for p, g, _, key in cache.files}
    with locked(cache.folder) as mine:
        if not mine:
            return
        entries = _entries(cache, built, order, keys)
        record = _read_record(cache, rules)
        if record is not None and [(i.path, i.graph, i.strict, i.key) for i in record["inputs"]] == \
                [(e.path, e.graph, e.strict, e.key) for e in entries]:
            if record["inputs"] != entries:   # touched, not changed: the new sizes and times
                _write_record(cache, record["id"], rules, entries)
            return
        _forget(cache)
        try:
            if record is None or not _update(cache, built, rules, record, entries):
                _rebuild(cache, built, rules, entries)
        except (OSError, ValueError, SyntaxError):
            _forget(cache)


def _entries(cache: BuildCache, built: Built, order: list, keys: dict) -> list[Input]:
    warnings: dict[str, list[dict]] = {}
    for w in built.warnings:
        warnings.setdefault(w.path, []).append(asdict(w))
    entries = []
    for path, graph, strict in order:
        key = keys[(str(path.resolve()), graph.value)]
        meta = cache.meta(key)
        size, mtime = _stat(path)
        entries.append(Input(str(path.resolve()), graph.value, strict, key, size, mtime,
                             int(meta["triples"]) if meta else -1, warnings.get(str(path), [])))
    return entries


def _update(cache: BuildCache, built: Built, rules: list[Path], record: dict, entries: list[Input]) -> bool:
    """The standing store brought to `built` by deltas, if it holds the same inputs in other states."""
    if [(i.path, i.graph, i.strict) for i in record["inputs"]] != [(e.path, e.graph, e.strict) for e in entries] \
            or any(e.triples < 0 for e in entries):
        return False
    store = ox.Store(str(cache.folder / STORE))
    changed: set = set()
    for old, new in zip(record["inputs"], entries):
        if old.key != new.key:
            changed |= _file_delta(store, ox.NamedNode(new.graph), None, built.store, Journal())
    if delta.update(store, rules, changed) is None:
        return False
    store.flush()
    _write_record(cache, record["id"], rules, entries)
    return True


def _rebuild(cache: BuildCache, built: Built, rules: list[Path], entries: list[Input]) -> None:
    target, fresh = cache.folder / STORE, cache.folder / (STORE + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    store = ox.Store(str(fresh))
    store.bulk_extend(q for q in built.store if q.graph_name != DERIVED_GRAPH)
    for rule, nt in zip(rules, cache.rule_outputs or []):
        graph = delta.rule_graph(rule)
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                          for t in ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))
    store.flush()
    del store
    ident = uuid.uuid4().hex
    (fresh / ID).write_text(ident, encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    os.replace(fresh, target)
    if all(e.triples >= 0 for e in entries):
        _write_record(cache, ident, rules, entries)


class Session:
    """An incremental run on the standing store: `built` is the build in the edited state,
    `derived` the subjects whose derived triples the edits changed. `close` takes the edits
    back (the store keeps the state before them, which the record says), writes the record and
    releases the lock."""

    def __init__(self, cache: BuildCache, store: ox.Store, lock: contextlib.ExitStack, ident: str,
                 rules: list[Path]):
        self.cache, self.store, self.lock, self.ident, self.rules = cache, store, lock, ident, rules
        self.journal = Journal()
        self.base: list[Input] = []
        self.built: Built | None = None
        self.derived: set = set()
        self.asserted: dict[Path, set[ox.Triple]] = {}   # each edited file: the triples the edit added or removed

    def close(self) -> None:
        try:
            self.journal.undo(self.store)
            self.store.flush()
            _write_record(self.cache, self.ident, self.rules, self.base)
        except OSError:
            _forget(self.cache)
        finally:
            self.lock.close()


def open_session(project: Project, files: list[Path], cache: BuildCache, foreign: Iterable[Path],
                 edits: dict[Path, list[bytes]], texts: dict[str, str]) -> Session | None:
    """The build of `files` and `foreign` from the standing store, in the edited state (see
    Session); None when the store cannot give it: the caller builds in memory. `edits`: each
    edited file with its texts before and after the edit."""
    rules = construct_queries(project)
    order = inputs(project, files, foreign)
    edited = {Path(p).resolve(): t for p, t in edits.items()}
    if any(len(t) != 2 for t in edited.values()) or not delta.described(rules):
        return None
    lock = contextlib.ExitStack()
    if not lock.enter_context(locked(cache.folder)):
        lock.close()
        return None
    session = None
    try:
        record = _read_record(cache, rules)
        if record is not None and [(i.path, i.graph, i.strict) for i in record["inputs"]] == \
                [(str(p.resolve()), g.value, s) for p, g, s in order]:
            store = ox.Store(str(cache.folder / STORE))
            _forget(cache)
            session = Session(cache, store, lock, record["id"], rules)
            if not _start(session, record, order, edited, texts):
                session = None
    except (OSError, ValueError, SyntaxError):
        session = None
    if session is None:
        lock.close()
    return session


def _start(session: Session, record: dict, order: list, edited: dict, texts: dict[str, str]) -> bool:
    """Bring the session's store to the state before the edits (the files not edited as they are
    now, the edited ones as they were), keeping that as its base, and then to the edited state."""
    cache, store = session.cache, session.store
    changed: set = set()
    warnings: list[LoadWarning] = []
    for (path, graph, strict), entry in zip(order, record["inputs"]):
        texts_of = edited.get(path.resolve())
        if texts_of is not None:
            before, now = texts_of
            if cache.key(path, graph, strict, before) == entry.key:
                session.base.append(entry)
                cache.used.add(entry.key)   # its entry: the state the store keeps
                continue
            target = _plain_store(before, graph) if format_for(path) == ox.RdfFormat.N_TRIPLES else None
            if target is None or cache.key(path, graph, strict, now) != entry.key:
                return False   # the store holds neither text
            key = cache.key(path, graph, strict, before)
            meta = cache.meta(key)   # the loader's warnings about the text before, from when it was loaded
            if meta is None:
                return False
            changed |= _file_delta(store, graph, (now, before), target, Journal())
            session.base.append(Input(entry.path, entry.graph, strict, key, 0, 0, int(meta["triples"]),
                                      list(meta["warnings"])))
            continue
        if _unchanged(path, entry, record["written"]):
            pass
        elif cache.key(path, graph, strict, path.read_bytes()) == entry.key:   # touched (a checkout), not changed
            entry = replace(entry, size=_stat(path)[0], mtime=_stat(path)[1])
        else:
            target = ox.Store()
            mine: list[LoadWarning] = []
            count = cache.load(target, path, graph, strict, mine, texts)
            changed |= _file_delta(store, graph, None, target, Journal())
            size, mtime = _stat(path)
            entry = Input(entry.path, entry.graph, strict, cache.key(path, graph, strict, path.read_bytes()),
                          size, mtime, count, [asdict(w) for w in mine])
        if str(path) not in cache.literals and not cache.use_literals(path, entry.key):
            return False
        session.base.append(entry)
        warnings.extend(LoadWarning(**w) for w in entry.warnings)
    if changed and delta.update(store, session.rules, changed) is None:
        return False
    return _edit(session, order, edited, texts, warnings)


def _edit(session: Session, order: list, edited: dict, texts: dict[str, str], warnings: list[LoadWarning]) -> bool:
    """Apply the edits (journalled) and make the session's build."""
    store = session.store
    changed: set = set()
    counts = {}
    ordered: list[LoadWarning] = []
    by_file: dict[str, list[LoadWarning]] = {w.path: [] for w in warnings}
    for w in warnings:
        by_file[w.path].append(w)
    for (path, graph, strict), entry in zip(order, session.base):
        texts_of = edited.get(path.resolve())
        if texts_of is None:
            counts[graph.value] = entry.triples
            ordered.extend(by_file.get(str(path), []))
            continue
        mine: list[LoadWarning] = []
        mine_changed, counts[graph.value] = _edit_file(session, path, graph, strict, entry, texts_of, texts, mine)
        ordered.extend(mine)
        session.asserted[path] = {ox.Triple(*t) for t in mine_changed}
        changed |= mine_changed
    update = delta.update(store, session.rules, changed)
    if update is None:
        return False
    session.journal.added += update.added_quads
    session.journal.removed += update.removed_quads
    session.derived = update.subjects
    graphs = {g.value: p for p, g, _ in order}
    session.built = Built(store, [p for p, _, _ in order], sum(counts.values()), 0, graphs, ordered)
    return True


def _edit_file(session: Session, path: Path, graph: ox.NamedNode, strict: bool, entry: Input, texts_of: list[bytes],
               texts: dict[str, str], warnings: list[LoadWarning]) -> tuple[set, int]:
    """One edited file's graph made to hold its text now (journalled): by the lines that changed
    (tajsec.graph.cache.light) or else loaded whole and compared. Returns the triples added or removed
    and the number of triples."""
    cache, store = session.cache, session.store
    before, now = texts_of
    if format_for(path) == ox.RdfFormat.N_TRIPLES:
        cache.use_text(path, now)   # the typed literals as written, from the text when asked for
        gone, come = line_changes(before, now)
        done = light.edit(store, graph, path, strict, before, now, entry.triples, gone, come, texts, warnings)
        if done is not None:
            changed, added, removed, count = done
            session.journal.added += added
            session.journal.removed += removed
            return changed, count
    target = ox.Store()
    count = load_into(target, path, graph, strict=strict, warnings=warnings, texts=texts)
    if format_for(path) != ox.RdfFormat.N_TRIPLES:
        cache.literals[str(path)] = typed_literals((text_of(texts, path) or "").encode("utf-8"), path)
        cache.sorted.add(str(path))
    ntriples = (before, now) if format_for(path) == ox.RdfFormat.N_TRIPLES else None
    return _file_delta(store, graph, ntriples, target, session.journal), count


def _unchanged(path: Path, entry: Input, written: int) -> bool:
    try:
        size, mtime = _stat(path)
    except OSError:
        return False
    return (size, mtime) == (entry.size, entry.mtime) and mtime < written - 1_000_000_000


def _plain_store(data: bytes, graph: ox.NamedNode) -> ox.Store | None:
    """An N-Triples text in `graph` of a new store, as the loader loads it."""
    try:
        store = ox.Store()
        store.load(data[len(BOM):] if data.startswith(BOM) else data, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    except (SyntaxError, ValueError):
        return None
    return store


def _file_delta(store: ox.Store, graph: ox.NamedNode, texts: tuple[bytes, bytes] | None, target: ox.Store,
                journal: Journal) -> set:
    """Make `graph` of `store` hold what `graph` of `target` holds; returns the triples added or
    removed. With `texts` (the N-Triples text `store` holds and the one `target` holds) and no
    blank node on the lines that differ, only the triples of those lines are compared; else the
    whole graphs."""
    lines = changed_lines(*texts) if texts is not None else {b"_:"}
    if not any(b"_:" in line for line in lines):
        probe = ox.Store()
        probe.load(b"\n".join(sorted(lines)) + b"\n", format=ox.RdfFormat.N_TRIPLES)   # as the store writes them
        candidates = {(q.subject, q.predicate, q.object) for q in probe}
    else:
        candidates = {(q.subject, q.predicate, q.object) for s in (store, target)
                      for q in s.quads_for_pattern(None, None, None, graph)}
    changed = set()
    for s, p, o in candidates:
        quad = ox.Quad(s, p, o, graph)
        was, now = quad in store, quad in target
        if was and not now:
            store.remove(quad)
            journal.removed.append(quad)
        elif now and not was:
            store.add(quad)
            journal.added.append(quad)
        else:
            continue
        changed.add((s, p, o))
    return changed


_BLOCK = 1 << 16


def changed_lines(old: bytes, new: bytes) -> set[bytes]:
    """The lines of one text that the other does not have, and maybe a few it has (lines
    repeated elsewhere): only the lines between the texts' common beginning and common end are
    compared, found block by block."""
    gone, come = line_changes(old, new)
    return gone | come


def line_changes(old: bytes, new: bytes) -> tuple[set[bytes], set[bytes]]:
    """The lines only `old` has and those only `new` has (see `changed_lines`)."""
    n = min(len(old), len(new))
    head = _common(old, new, n, 1)
    tail = _common(old, new, n - head, -1)
    start = old.rfind(b"\n", 0, head) + 1   # back to the start of a line
    end = len(old) - tail   # on to the end of a line: the texts are the same from there
    if end > 0 and old[end - 1:end] != b"\n":
        k = old.find(b"\n", end)
        end = len(old) if k < 0 else k + 1
    end_new = end + len(new) - len(old)
    before, after = set(old[start:end].splitlines()), set(new[start:end_new].splitlines())
    return before - after, after - before


def _common(a: bytes, b: bytes, limit: int, direction: int) -> int:
    """The length of the common beginning (`direction` 1) or end (-1) of `a` and `b`, at most `limit`."""
    def part(text: bytes, i: int, j: int) -> bytes:
        return text[i:j] if direction == 1 else text[len(text) - j:len(text) - i]

    i = 0
    while i < limit and part(a, i, min(i + _BLOCK, limit)) == part(b, i, min(i + _BLOCK, limit)):
        i += _BLOCK
    if i >= limit:
        return limit
    lo, hi = i, min(i + _BLOCK, limit)   # the first difference is in this block
    while lo < hi:
        mid = (lo + hi) // 2
        if part(a, i, mid + 1) == part(b, i, mid + 1):
            lo = mid + 1
        else:
            hi = mid
    return lo
