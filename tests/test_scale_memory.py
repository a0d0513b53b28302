"""What keeps `tajsec validate` within bounded memory at 10M triples (benchmarks/scale.py) without
changing one result: the derived layer without its derivation record, only typed literals kept
as written, and large files' texts kept as their descriptor (read again to locate results)."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
from conftest import ROOT

from tajsec.core.errors import LoadError
from tajsec.graph.build import build
from tajsec.io import load
from tajsec.quality.validate import validate


def _generated(tmp_path: Path) -> list[Path]:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    w = gen.generate(3000, seed=5, defects=len(gen.DEFECT_KINDS))
    lines = gen.serialise(w, "nt").decode("utf-8").splitlines(keepends=True)
    half = len(lines) // 2
    files = [tmp_path / "one.nt", tmp_path / "two.ttl"]
    files[0].write_text("".join(lines[:half]), encoding="utf-8")
    files[1].write_text("".join(lines[half:]), encoding="utf-8")
    return files


def _key(outcome) -> list:
    return [(f.file, f.line, f.focus, f.path, f.value, f.component, f.shape, f.severity, f.message)
            for f in outcome.findings] + [str(w) for w in outcome.load_warnings]


def test_texts_kept_as_descriptors_locate_the_same_lines_opening_each_file_once(project, tmp_path, monkeypatch,
                                                                                  opened):
    files = _generated(tmp_path)
    held = validate(project, files)
    assert len(held.findings) >= 20 and all(f.line for f in held.findings if f.file)
    opened.clear()   # count the second run's opening only
    monkeypatch.setattr(load, "KEEP_TEXT_BYTES", 0)   # every file kept as its descriptor
    kept: list = []
    real_init = load.KeptText.__init__

    def recording_init(self, *a):
        real_init(self, *a)
        kept.append(self)

    monkeypatch.setattr(load.KeptText, "__init__", recording_init)
    again = validate(project, files)
    monkeypatch.undo()
    assert _key(again) == _key(held)
    assert {str(k.path) for k in kept} >= {str(f) for f in files}
    assert {str(f): opened.get(str(f)) for f in files} == {str(f): 1 for f in files}


def test_a_kept_text_changed_since_it_was_read_is_an_error(tmp_path):
    f = tmp_path / "a.nt"
    f.write_bytes(b"<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    with load.open_input(f) as opened:
        data = opened.read()
        kept = load.KeptText(f, opened.fileno(), data)
    assert kept.read() == data.decode("utf-8")
    assert load.text_of({str(f): kept}, f) == data.decode("utf-8")
    with open(f, "r+b") as w:   # the same file (inode), other bytes of the same length
        w.write(b"<http://example.org/A")
    with pytest.raises(LoadError, match="changed while it was being read"):
        kept.read()
    with open(f, "ab") as w:
        w.write(b"# more\n")
    with pytest.raises(LoadError, match="changed while it was being read"):
        kept.read()


@pytest.mark.parametrize("slice_bytes", [32 << 20, 500])   # one slice per rule; many
def test_derived_layer_without_record_is_the_same(project, tmp_path, monkeypatch, slice_bytes):
    from tajsec.graph import build as build_module

    monkeypatch.setattr(build_module, "SLICE_BYTES", slice_bytes)
    files = _generated(tmp_path)
    recorded = build(project, foreign=files)
    fast = build(project, foreign=files, record=False)
    assert set(fast.store) == set(recorded.store)
    assert fast.derived_triples == recorded.derived_triples > 0
    assert len(recorded.derivations) > 0 and len(fast.derivations) == 0
    assert not [g for g in fast.store.named_graphs() if g.value.startswith(build_module.DERIVED_GRAPH.value + "#")]
    # no conclusion that was asserted stays in the derived graph (conclude_into's last pass)
    assert not [q for q in fast.store.quads_for_pattern(None, None, None, build_module.DERIVED_GRAPH)
                if sum(1 for _ in fast.store.quads_for_pattern(q.subject, q.predicate, q.object, None)) > 1]


def test_only_typed_literals_are_kept_as_written(project, tmp_path):
    files = _generated(tmp_path)
    literals: list = []
    build(project, project.ontology_files, derive=False, foreign=files, literals=literals)
    kinds = {q.object.datatype.value.rsplit("#", 1)[-1] for q in literals}
    assert {"gYear", "integer", "date"} <= kinds and not kinds & {"string", "langString"}


@pytest.mark.parametrize("text,named", [
    (b'"1"^^xsd:byte', True), (b"<http://www.w3.org/2001/XMLSchema#unsignedInt>", True),
    (b"xsd:integer", False), (b"points of interest: international", False), (b"int", True),
    (b"shortly bytes", False), (b"a-long-b", True), (b"dateTimeStamps", False), (b"", False),
])
def test_retyped_datatype_screen_matches_the_expression(text, named):
    assert load._names_retyped_as_word(text) is named is bool(load._STORE_RETYPED.search(text))


def test_ntriples_loaded_by_the_store_keep_their_typed_literals_as_written(project, tmp_path):
    from tajsec.io.load import graph_name_for, load_into

    ex, xsd = "http://example.org/", "http://www.w3.org/2001/XMLSchema#"
    iri_only = (f'<{ex}a> <{ex}p> "01"^^<{xsd}integer> .\n<{ex}a> <{ex}q> "x"@en .\n'
                f'<{ex}a> <{ex}r> "s"^^<{xsd}string> .\n')
    with_blank = iri_only + f'_:b <{ex}p> "4.0"^^<{xsd}decimal> .\n<{ex}a> <{ex}s> _:b .\n'
    assert load._typed_lines(iri_only.encode()) == (f'<{ex}a> <{ex}p> "01"^^<{xsd}integer> .\n'
                                                    f'<{ex}a> <{ex}r> "s"^^<{xsd}string> .\n').encode()
    assert load._typed_lines(with_blank.encode()) is None   # parsed in Python: the store's blank nodes
    for text in (iri_only, with_blank):
        f = tmp_path / "d.nt"
        f.write_text(text, encoding="utf-8")
        store, literals = __import__("pyoxigraph").Store(), []
        load_into(store, f, graph_name_for(f, tmp_path), strict=False, warnings=[], literals=literals)
        assert [str(q.object) for q in literals] == ([f'"01"^^<{xsd}integer>'] + ([f'"4.0"^^<{xsd}decimal>']
                                                                                if "_:b" in text else []))
        for q in literals:   # the very subject the store holds
            assert any(True for _ in store.quads_for_pattern(q.subject, q.predicate, None, q.graph_name))


def test_shacl_queries_split_over_two_processes_give_the_same_results(project, tmp_path, monkeypatch):
    from tajsec.shacl import engine

    files = _generated(tmp_path)
    alone = validate(project, files)
    forks: list[int] = []
    real_fork = os.fork

    def counting_fork():
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(engine, "PARALLEL_QUADS", 0)
    monkeypatch.setattr(os, "fork", counting_fork)
    split = validate(project, files)
    assert forks == [1]
    assert _key(split) == _key(alone) and len(alone.findings) >= 20


def test_the_two_query_processes_give_the_results_in_the_order_of_the_queries(project, tmp_path):
    from tajsec.shacl import engine
    from tajsec.shacl.compile import compile_shapes

    built = build(project, foreign=_generated(tmp_path), record=False)
    queries = list(compile_shapes(project.shape_files).queries)
    alone = engine._results_of(built.store, queries, {})
    assert len(alone) >= 10
    assert engine._forked(built.store, queries, {}) == alone   # the same list: found in the same order


def test_a_failed_query_process_is_an_error(project, tmp_path, monkeypatch):
    from tajsec.shacl import engine

    files = _generated(tmp_path)
    real = engine._query_results

    def failing_in_the_child(store, query, bad, chains):
        if os.getpid() != parent:
            raise RuntimeError("boom")
        return real(store, query, bad, chains)

    parent = os.getpid()
    monkeypatch.setattr(engine, "PARALLEL_QUADS", 0)
    monkeypatch.setattr(engine, "_query_results", failing_in_the_child)
    with pytest.raises(RuntimeError, match="SHACL query process failed"):
        validate(project, files)


@pytest.mark.parametrize("named_at_once", [200, 0])  # the nodes named in one pattern, or looked up in a set
def test_n_triples_subject_lines_of_some_nodes_are_those_of_the_whole_scan(monkeypatch, named_at_once):
    import random

    from tajsec.shacl import locate
    monkeypatch.setattr(locate, "NAMED_AT_ONCE", named_at_once)

    rng = random.Random(19)
    names = [f"https://example.org/n{i}" for i in range(40)] + ["https://example.org/n1x", "https://example.org/a(b)"]
    lines = [f"<{rng.choice(names)}> <https://example.org/p> <{rng.choice(names)}> .\n" for _ in range(400)]
    lines[rng.randrange(400)] = "# a comment\n"
    lines[rng.randrange(400)] = f'_:b <https://example.org/p> "<{names[3]}>" .\n'
    text = "".join(lines)
    everything = locate._turtle_subject_lines(text)
    for nodes in [set(names), set(rng.sample(names, 5)), {names[0], "https://example.org/none"},
                  {lines[0][1:lines[0].index(">")]}]:
        assert locate._line_subject_lines(text, nodes) == {n: everything[n] for n in nodes if n in everything}


def test_the_store_size_check_counts_default_and_named_graphs():
    import pyoxigraph as ox

    from tajsec.shacl.engine import _at_least

    store, a = ox.Store(), ox.NamedNode("https://example.org/a")
    store.add(ox.Quad(a, a, a))
    store.add(ox.Quad(a, a, a, a))
    store.add(ox.Quad(a, a, ox.Literal("x"), a))
    assert [_at_least(store, n) for n in range(5)] == [True, True, True, True, False]


def test_results_located_by_two_processes_are_those_located_by_one(project, tmp_path, monkeypatch):
    from tajsec.core import twoproc
    from tajsec.shacl import locate

    files = _generated(tmp_path)
    alone = validate(project, files)
    shared: list[int] = []
    real = twoproc.shared

    def counting(n, work, what="work"):
        shared.append(n)
        return real(n, work, what)

    monkeypatch.setattr(locate, "SHARED_LOCATE_BYTES", 0)
    monkeypatch.setattr(twoproc, "shared", counting)
    split = validate(project, files)
    assert shared and shared[-1] == len({f.file for f in alone.findings if f.file}) > 1
    assert [f.as_dict() for f in split.findings] == [f.as_dict() for f in alone.findings]
    assert all(f.line for f in alone.findings if f.file)


def test_shared_work_comes_back_in_order_and_a_failing_child_is_an_error():
    import time

    from tajsec.core import twoproc

    def slowly(i: int) -> list[int]:   # each task takes a while: both processes get some
        time.sleep(0.005)
        return [i, os.getpid()]

    done = twoproc.shared(50, slowly)
    assert [i for i, _ in done] == list(range(50)) and len({pid for _, pid in done}) == 2
    assert twoproc.shared(0, slowly) == []
    parent = os.getpid()
    with pytest.raises(RuntimeError, match="the sums process failed"):
        twoproc.shared(40, lambda i: slowly(i) if os.getpid() == parent else 1 // 0, "sums")


def test_a_large_validation_ends_without_freeing_its_store_and_says_everything(tmp_path):
    import json
    import subprocess
    import sys

    hostile = ROOT / "tests" / "hostile" / "named-graph-missing-label.trig"
    # an exit handler tells an ordinary exit from the immediate one
    program = ("import atexit, sys; atexit.register(lambda: print('exit handlers ran', file=sys.stderr)); "
               "from tajsec.cli import main; main()")
    runs = {}
    for large in ("10", "100000000"):   # the threshold under and above the store's size
        env = dict(os.environ, TAJSEC_LARGE_STORE=large)
        runs[large] = subprocess.run([sys.executable, "-c", program, "validate", str(hostile), "--format", "json"],
                                     cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert [r.returncode for r in runs.values()] == [1, 1]
    assert runs["10"].stdout == runs["100000000"].stdout   # the output complete: flushed before the exit
    assert len(json.loads(runs["10"].stdout)["results"]) == 1
    assert "exit handlers ran" not in runs["10"].stderr and "exit handlers ran" in runs["100000000"].stderr


@pytest.mark.parametrize("value", ["abc", "-5", "1e6", "\u00b2"])
def test_a_bad_large_store_threshold_is_a_clear_error_before_any_work(monkeypatch, value):
    from click.testing import CliRunner

    from tajsec.cli import main
    monkeypatch.setenv("TAJSEC_LARGE_STORE", value)
    monkeypatch.setattr("tajsec.quality.validate.validate", lambda *a, **kw: pytest.fail("validated anyway"))
    res = CliRunner().invoke(main, ["validate", str(ROOT / "tests" / "hostile" / "named-graph-missing-label.trig")])
    assert res.exit_code == 2
    assert f"TAJSEC_LARGE_STORE must be a whole number of triples, not {value!r}" in res.output
    assert CliRunner().invoke(main, ["--version"]).exit_code == 0  # other commands do not read it
