"""The build cache of incremental validation (tajsec.graph.cache): a build from the cache is the
build from the files; an incremental run that takes the derived layer's changes from the cache
reports exactly the full run's results for the nodes it covers, on random edits; and a cache that
is stale, gone or damaged never changes an answer."""
from __future__ import annotations

import random
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from test_incremental import FILES, _edit, _key, _write, dataset  # noqa: F401 - the fixture

from tajsec.graph.build import build
from tajsec.graph.cache.entries import BuildCache, _subject_of, cached_build, changed_subjects, lines_about
from tajsec.quality.validate import validate

EDITS = 16


def _triples(store: ox.Store) -> set:
    """The union of a store's graphs, blank nodes left out (their labels are per load)."""
    return {(q.subject, q.predicate, q.object) for q in store
            if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}


def test_a_build_from_the_cache_is_the_build_from_the_files(project, dataset, tmp_path):
    paths = _write(tmp_path / "data", dataset)
    (tmp_path / "data" / "part-0.nt").write_text((tmp_path / "data" / "part-0.nt").read_text()
                                                 + '<https://example.org/x> <https://schema.org/startDate> '
                                                   '"2004-13-01"^^<http://www.w3.org/2001/XMLSchema#date> .\n')
    texts: dict[str, str] = {}
    plain = build(project, project.ontology_files, foreign=paths, texts=texts)
    for run in ("cold", "warm"):
        cache = BuildCache(tmp_path / "cache")
        cached_texts: dict[str, str] = {}
        cached = cached_build(project, project.ontology_files, cache, foreign=paths, texts=cached_texts)
        n = len(project.ontology_files) + FILES
        assert (cache.hits, cache.misses) == ((0, n) if run == "cold" else (n, 0)), run
        assert _triples(cached.store) == _triples(plain.store), run
        assert [str(w) for w in cached.warnings] == [str(w) for w in plain.warnings] != [], run
        assert cached_texts == texts and cached.graphs == plain.graphs, run
        written = {(t.subject, t.predicate, t.object) for t in cache.typed_literals(paths)}
        parsed = {(t.subject, t.predicate, t.object) for p in paths for t in ox.parse(path=p) if isinstance(t.object, ox.Literal)}
        assert written == parsed, run


def test_changed_subjects_compares_conclusions():
    a = b'<https://e/a> <https://e/p> <https://e/b> .\n<https://e/c> <https://e/p> "1" .\n'
    b = b'<https://e/c> <https://e/p> "1" .\n<https://e/d> <https://e/p> <https://e/b> .\n'
    assert changed_subjects(a, b) == {ox.NamedNode("https://e/a"), ox.NamedNode("https://e/d")}
    assert changed_subjects(a, a) == set()
    assert changed_subjects(a, b"_:x <https://e/p> <https://e/b> .\n") is None


def _restore(folder: Path, files: list[list[str]]) -> list[Path]:
    """`files` written into `folder`, where the previous state was (as a checkout is edited)."""
    return _write(folder, files)


def test_cached_incremental_runs_give_the_full_runs_results(project, dataset, tmp_path):
    folder, cache = tmp_path / "repo", tmp_path / "cache"
    before_paths = _restore(folder, dataset)
    before_texts = [p.read_bytes() for p in before_paths]
    full_before = validate(project, before_paths, cache=cache).findings   # what a CI run on main leaves
    rng = random.Random(20261205)
    precise = 0
    for n in range(EDITS):
        files, changed = _edit(dataset, rng)
        paths = _restore(folder, files)
        edits = {paths[i]: [before_texts[i], paths[i].read_bytes()] for i in changed}
        inc = validate(project, paths, changed=edits, cache=cache)
        full = validate(project, paths).findings
        assert inc.covered is not None, inc.incremental
        precise += "derived changes from the standing store" in (inc.incremental or "")
        assert Counter(_key(f) for f in inc.findings) == Counter(_key(f) for f in full if f.result.focus in inc.covered), n
        rest_now = Counter(_key(f, False) for f in full if f.result.focus not in inc.covered)
        rest_before = Counter(_key(f, False) for f in full_before if f.result.focus not in inc.covered)
        assert rest_now == rest_before, n
        _restore(folder, dataset)
    assert precise == EDITS, "the derived layer's changes did not come from the standing store"


def forget_standing(cache: Path) -> None:
    """No standing store (tajsec.graph.cache.standing): the next run builds from the entries."""
    shutil.rmtree(cache / "store", ignore_errors=True)
    (cache / "store.json").unlink(missing_ok=True)


def _check(project, paths, edits, cache, focus: str) -> str:
    """An incremental run with `cache`: the full run's results on the nodes it covers, the same
    loader warnings, and the edit's own violation among them."""
    inc, full = validate(project, paths, changed=edits, cache=cache), validate(project, paths)
    assert inc.covered is not None and inc.incremental
    assert Counter(_key(f) for f in inc.findings) == Counter(_key(f) for f in full.findings if f.result.focus in inc.covered)
    assert [str(w) for w in inc.load_warnings] == [str(w) for w in full.load_warnings]
    assert any(f.focus == focus and (f.value or "").endswith("-31") for f in inc.findings)
    return inc.incremental


@pytest.mark.parametrize("damage", ["edit-and-back", "deleted", "truncated", "flipped", "garbage-meta", "derived"])
def test_a_stale_or_damaged_cache_never_changes_an_answer(project, dataset, tmp_path, damage):
    folder, cache = tmp_path / "repo", tmp_path / "cache"
    paths = _restore(folder, dataset)
    before = paths[1].read_bytes()
    validate(project, paths, cache=cache)
    forget_standing(cache)   # the entries' own damages: tests/test_standing.py has the standing store's
    lines = paths[1].read_text().splitlines()
    k = next(i for i, line in enumerate(lines) if "/startDate> " in line)
    lines[k] = lines[k].replace('"^^', '-31"^^', 1)
    paths[1].write_text("\n".join(lines) + "\n")
    edits = {paths[1]: [before, paths[1].read_bytes()]}
    focus = lines[k].split(" ", 1)[0].strip("<>")
    if damage == "edit-and-back":   # the cache has seen the file edited, and edited back
        paths[1].write_bytes(before)
        validate(project, paths, cache=cache)
        forget_standing(cache)
        paths[1].write_text("\n".join(lines) + "\n")
    elif damage == "deleted":
        shutil.rmtree(cache)
    else:
        graphs = [p for p in cache.glob("*.nt") if not p.name.endswith(".lit.nt") and not p.name.startswith("derived-")]
        entries = sorted(graphs, key=lambda p: p.stat().st_size)
        victim = entries[-1]
        if damage == "truncated":
            victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])
        elif damage == "flipped":   # same length, one triple's object changed
            data = victim.read_bytes()
            i = data.index(b'"', len(data) // 2)
            victim.write_bytes(data[:i + 1] + bytes([data[i + 1] ^ 1]) + data[i + 2:])
        elif damage == "garbage-meta":   # not JSON, or JSON but not an object
            for i, meta in enumerate(sorted(cache.glob("*.json"))):
                meta.write_bytes(b"\x00{not json" if i % 2 else b"[1, 2]")
        else:   # a derived-layer entry that says nothing changed
            for nt in cache.glob("derived-*.nt"):
                nt.write_bytes(b"")
    damaged = {p: p.read_bytes() for p in cache.iterdir() if p.is_file()} if cache.exists() else {}
    note = _check(project, paths, edits, cache, focus)
    # the damage was seen: a damaged file entry rewritten whole, a damaged derived layer not used
    if damage in ("truncated", "flipped"):
        assert victim.read_bytes() != damaged[victim]
    if damage == "garbage-meta":
        sound = [p for p in cache.glob("*.json") if not p.name.startswith(("derived-", "store"))
                 and p.read_bytes()[:1] == b"{"]
        assert len(sound) == len(project.ontology_files) + FILES   # this run's inputs, written again
    assert ("derived changes from the build cache" in note) == (damage in ("edit-and-back", "truncated", "flipped")), note
    _check(project, paths, edits, cache, focus)   # and again, with the entries the last run rewrote


def test_lines_about_finds_a_subjects_lines_by_bisection():
    rng = random.Random(7)
    subjects = [f"<https://e/{rng.choice('ab')}{rng.randrange(30)}>".encode() for _ in range(400)]
    lines = sorted(f'{s.decode()} <https://e/p> "{rng.randrange(5)}" .'.encode() for s in subjects)
    data = b"\n".join(lines) + b"\n"
    for s in set(subjects) | {b"<https://e/a1>", b"<https://e/zz>", b"<https://e/>", b"<"}:
        assert lines_about(data, s) == [line for line in lines if line.split(b" ", 1)[0] == s], s
    assert lines_about(b"", b"<https://e/a1>") == []


@pytest.mark.parametrize("line", [b'<https://e/a> <https://e/p> "1" .', b'<https://e/a>\t<https://e/p> "1" .',
                                  b'  <https://e/a> <https://e/p> "1" .', b'\t<https://e/a>  <https://e/p> "1"', b"",
                                  b"<https://e/a>", b"# a comment", b"_:b1 <https://e/p> \"x y\" ."])
def test_the_subject_of_a_line_as_white_space_splits_it(line):
    assert _subject_of(line) == (line.split(None, 1)[:1] or [b""])[0]
