"""The standing store of incremental validation (tajsec.graph.cache.standing) and its derived layer
kept by deltas (tajsec.graph.cache.delta): on random edits, the rules' graphs after a delta update
are those a full derivation gives."""
from __future__ import annotations

import contextlib
import json
import os
import random
import shutil

import pyoxigraph as ox
import pytest
from test_incremental import dataset  # noqa: F401 - the fixture

from tajsec.core.namespaces import TS_NOT_BEFORE, TSD, XSD
from tajsec.graph.build import construct_queries
from tajsec.graph.cache import delta, standing
from tajsec.graph.cache.standing import changed_lines
from tajsec.quality.validate import validate

EDITS = 40
DERIVATION_PREDICATES = ("subject", "object", "value", "predicate", "negated", "status", "measuredEntity", "quantity",
                         "provider", "recipient", "unit", "member", "organization", "role", "memberDuring", "hasEnd",
                         "inXSDDate", "inXSDgYear", "notAfter", "type", "label")


def _rule_graphs(store: ox.Store, rules) -> dict:
    return {r.stem: {(q.subject, q.predicate, q.object)
                     for q in store.quads_for_pattern(None, None, None, delta.rule_graph(r))} for r in rules}


def _edit(store: ox.Store, data: list[ox.Quad], rng: random.Random) -> set:
    """Random additions and removals in the data graph, biased to what the rules read; returns the changed triples."""
    inputs = [q for q in data if any(q.predicate.value.endswith(p) for p in DERIVATION_PREDICATES)]
    changed = set()
    for _ in range(rng.randint(1, 4)):
        q = rng.choice(inputs if rng.random() < 0.8 else data)
        kind = rng.choice(["remove", "remove", "retarget", "copy-subject"])
        if kind == "remove" and q in store:
            store.remove(q)
            data.remove(q)
        elif kind == "retarget":   # the object of another triple with the same predicate
            other = rng.choice([x for x in data if x.predicate == q.predicate])
            q = ox.Quad(q.subject, q.predicate, other.object, q.graph_name)
            store.add(q)
            data.append(q)
        else:   # a triple of another node given to this one
            other = rng.choice(inputs)
            q = ox.Quad(q.subject, other.predicate, other.object, q.graph_name)
            store.add(q)
            data.append(q)
        changed.add((q.subject, q.predicate, q.object))
    return changed


def test_delta_updates_give_the_full_derivation(project, dataset):  # noqa: F811
    rules = construct_queries(project)
    assert delta.described(rules), \
        "queries/construct-*.rq changed: check that delta.RULES still describes them, then update RULES_DIGEST"
    store = ox.Store()
    for f in project.ontology_files:
        store.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"urn:test:{f.name}"))
    graph = ox.NamedNode("urn:test:data")
    text = "\n".join(line for part in dataset for line in part).encode()
    store.load(text, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    # the paper's present (our instances say it; the generated data does not): a tenure ended before it derives nothing
    present = ox.Literal("1998-06-01T00:00:00", datatype=ox.NamedNode(XSD + "dateTime"))
    store.add(ox.Quad(ox.NamedNode(TSD + "time-paper-present"), ox.NamedNode(TS_NOT_BEFORE), present,
                      ox.NamedNode("urn:test:time")))
    data = list(store.quads_for_pattern(None, None, None, graph))
    assert delta.derive_all(store, rules) > 0
    rng = random.Random(20261205)
    changes = 0
    for n in range(EDITS):
        before = _rule_graphs(store, rules)
        changed = _edit(store, data, rng)
        result = delta.update(store, rules, changed)
        assert result is not None, n
        mine = _rule_graphs(store, rules)
        delta.derive_all(store, rules)
        full = _rule_graphs(store, rules)
        assert mine == full, (n, {r: (mine[r] - full[r], full[r] - mine[r]) for r in full if mine[r] != full[r]})
        changes += mine != before
        assert result.added | result.removed == {t for r in full for t in (full[r] ^ before[r])}
    assert changes > EDITS // 4, "few edits changed the derived layer: the test would not notice a wrong update"


@pytest.mark.parametrize("block", [5, 64, 1 << 16])
def test_changed_lines_are_the_lines_that_differ(monkeypatch, block):
    monkeypatch.setattr(standing, "_BLOCK", block)   # the texts span blocks, or fit in one
    rng = random.Random(3)
    for n in range(300):
        old = [f"<https://e/{rng.randrange(50)}> <https://e/p> \"{i}\" ." for i in range(rng.randrange(0, 60))]
        new = list(old)
        for _ in range(rng.randrange(0, 4)):
            k = rng.randrange(len(new) + 1)
            if rng.random() < 0.5 and new:
                del new[min(k, len(new) - 1)]
            else:
                new.insert(k, rng.choice([*old, '<https://e/x> <https://e/p> "new" .']))
        a, b = ("\n".join(old) + "\n" * rng.randrange(2)).encode(), ("\n".join(new) + "\n" * rng.randrange(2)).encode()
        found = changed_lines(a, b)
        exact = set(a.splitlines()) ^ set(b.splitlines())
        assert exact <= found <= set(a.splitlines()) | set(b.splitlines()), n
        assert changed_lines(a, a) == set()


def _light_edit(lines: list[str], rng: random.Random) -> list[str]:
    """A random edit of an N-Triples file's lines, with ill-typed literals, repeated triples and
    a literal written in two forms the store holds as one."""
    lines = list(lines)
    for _ in range(rng.randint(1, 5)):
        k = rng.randrange(len(lines))
        kind = rng.choice(["drop", "ill-typed", "duplicate", "same-value", "move", "new", "ill-typed"])
        subject = lines[k].split(" ", 1)[0]
        if kind == "drop":
            del lines[k]
        elif kind == "ill-typed":
            lines.insert(k, f'{subject} <https://schema.org/startDate> "20{rng.randrange(10)}4-13-0{rng.randrange(9)}"'
                            f'^^<http://www.w3.org/2001/XMLSchema#date> .')
        elif kind == "duplicate":   # the same triple on another line, spaced otherwise
            lines.insert(rng.randrange(len(lines)), lines[k].replace(" ", "  ", 1))
        elif kind == "same-value":
            lines.insert(k, f'{subject} <https://schema.org/value> "0{rng.randrange(3)}"'
                            f'^^<http://www.w3.org/2001/XMLSchema#integer> .')
            lines.insert(rng.randrange(len(lines)), f'{subject} <https://schema.org/value> "{rng.randrange(3)}"'
                                                    f'^^<http://www.w3.org/2001/XMLSchema#integer> .')
        elif kind == "move":
            lines.insert(rng.randrange(len(lines)), lines.pop(k))
        else:
            lines.insert(k, f'{subject} <https://w3id.org/tajsec/onto/footnote> "{rng.randrange(99)}" .')
    return lines


def test_light_edits_are_what_the_loader_makes(dataset, tmp_path):  # noqa: F811
    from tajsec.graph.cache import light
    from tajsec.io.load import load_into

    graph = ox.NamedNode("urn:test:g")
    rng = random.Random(11)
    base = [line for part in dataset for line in part][:1500]
    for n in range(30):
        old_lines = _light_edit(base, rng) if n % 3 == 0 else list(base)
        k = rng.randrange(len(old_lines))   # a triple written twice, one of its lines removed: it stays
        twice = old_lines[k]
        old_lines.insert(rng.randrange(len(old_lines)), twice.replace(" ", "\t", 1))
        new_lines = _light_edit([line for line in old_lines if line != twice], rng)
        old, new = ("\n".join(old_lines) + "\n").encode(), ("\n".join(new_lines) + "\n").encode()
        path = tmp_path / f"f{n}.nt"
        path.write_bytes(old)
        store = ox.Store()
        count = load_into(store, path, graph, strict=False, warnings=[])
        path.write_bytes(new)
        full, full_warnings, full_texts = ox.Store(), [], {}
        full_count = load_into(full, path, graph, strict=False, warnings=full_warnings, texts=full_texts)
        gone, come = standing.line_changes(old, new)
        warnings, texts = [], {}
        done = light.edit(store, graph, path, False, old, new, count, gone, come, texts, warnings)
        assert done is not None, n
        changed, added, removed, light_count = done
        assert set(store) == set(full) and light_count == full_count, n
        assert [str(w) for w in warnings] == [str(w) for w in full_warnings] and texts == full_texts, n
        assert changed == {(q.subject, q.predicate, q.object) for q in added + removed}


def _store_quads(cache) -> set:
    store = ox.Store(str(cache / standing.STORE))
    try:
        return set(store)
    finally:
        del store


def _edited(paths, k: int = 1) -> tuple[dict, str]:
    """File `k` with one event's start date made ill-typed: the edit, and the event."""
    before = paths[k].read_bytes()
    lines = paths[k].read_text().splitlines()
    i = next(i for i, line in enumerate(lines) if "/startDate> " in line)
    lines[i] = lines[i].replace('"^^', '-31"^^', 1)
    paths[k].write_text("\n".join(lines) + "\n")
    return {paths[k]: [before, paths[k].read_bytes()]}, lines[i].split(" ", 1)[0].strip("<>")


def test_incremental_runs_use_the_standing_store_and_leave_it_as_it_was(project, dataset, tmp_path):  # noqa: F811
    from test_build_cache import _check, _write

    cache = tmp_path / "cache"
    paths = _write(tmp_path / "repo", dataset)
    validate(project, paths, cache=cache)   # the run on the committed state
    kept = _store_quads(cache)
    record = json.loads((cache / standing.RECORD).read_text())
    edits, focus = _edited(paths)
    for run in range(2):   # the second run finds the store as the first found it
        assert "derived changes from the standing store" in _check(project, paths, edits, cache, focus), run
        assert _store_quads(cache) == kept, run
        assert json.loads((cache / standing.RECORD).read_text())["inputs"] == record["inputs"], run
    # the edit committed: the next full run brings the store to it by deltas, as a new store would hold it
    validate(project, paths, cache=cache)
    assert json.loads((cache / standing.RECORD).read_text())["id"] == record["id"]
    validate(project, paths, cache=tmp_path / "fresh")
    assert _store_quads(cache) == _store_quads(tmp_path / "fresh") != kept


@pytest.mark.parametrize("damage", ["no-record", "garbage-record", "other-store", "no-store", "locked",
                                    "undeclared-edit", "literals-entry", "touched"])
def test_a_doubtful_standing_store_never_changes_an_answer(project, dataset, tmp_path, damage):  # noqa: F811
    from test_build_cache import _check, _write

    cache = tmp_path / "cache"
    paths = _write(tmp_path / "repo", dataset)
    validate(project, paths, cache=cache)
    edits, focus = _edited(paths)
    used = damage in ("undeclared-edit", "literals-entry", "touched")
    with contextlib.ExitStack() as stack:
        if damage == "no-record":
            (cache / standing.RECORD).unlink()
        elif damage == "garbage-record":
            (cache / standing.RECORD).write_bytes(b"[1, 2")
        elif damage == "other-store":   # the record names another store than the folder holds
            (cache / standing.STORE / standing.ID).write_text("another")
        elif damage == "no-store":
            shutil.rmtree(cache / standing.STORE)
        elif damage == "locked":   # another run holds the store
            assert stack.enter_context(standing.locked(cache))
        elif damage == "undeclared-edit":   # another file changed too, not named as changed
            text = paths[2].read_text().splitlines()
            paths[2].write_text("\n".join(text[: len(text) // 2]) + "\n")
        elif damage == "touched":   # a fresh checkout: other times, same contents
            for p in paths:
                os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 5_000_000_000))
        elif damage == "literals-entry":   # an entry of typed literals damaged: read from the file
            for lit in cache.glob("*.lit.nt"):
                lit.write_bytes(lit.read_bytes()[: lit.stat().st_size // 2])
        note = _check(project, paths, edits, cache, focus)
    assert ("derived changes from the standing store" in note) == used, note
    _check(project, paths, edits, cache, focus)   # and again, with what the last run left
