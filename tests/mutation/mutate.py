"""Mutation testing of the core modules with cosmic-ray: `make mutation` (all mutants) and the
ratchet in `make test` (tests/test_mutation_ratchet.py: a fixed sample of each module's mutants).

Each module is mutated in its own copy of the checkout (build/mutation/work/<module>/: tajsec/ and
tests/ copied, the data folders linked), never in the work tree, and only the tests that cover
it run against each mutant (MODULES below). Operators that only multiply near-identical mutants
are left out (SKIPPED_OPERATORS): of the ten replacements of a binary operator one is kept, of
the six of a comparison the boundary and negation ones. A mutant listed in
tests/mutation/equivalent.md (with the reason it cannot be told apart) is left out of the score.

A MODULE may be a package folder (`tajsec/shacl/compile/`): its files are mutated as one unit
(one score, one sample), each mutant still named by its own file and line.

    python tests/mutation/mutate.py [--sample N] [--jobs J] [MODULE ...]

writes build/mutation/report.md (score per module, every surviving mutant with file:line and the
change) and build/mutation/scores.json.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
BUILD = ROOT / "build" / "mutation"

#: the tests of tests/test_merge.py that read merge's report (the rest: exports, alignment, VoID;
#: and the personnel conflict, whose `instances/...` source the copy's linked instances/ turn into
#: an absolute path: tests/test_merge_conflicts.py covers that conflict instead)
MERGE_TESTS = [
    "entities_both_sides_describe_by_shared_wikidata_item", "variant_spelling_is_a_candidate_for_review_never_asserted",
    "entity_we_do_not_have_is_reported_as_new",
    "blank_node_with_one_of_our_labels_stays_a_separate_blank_node", "report_as_json_and_text",
    "same_iri_and_measurement_pattern_conflict", "blank_nodes_of_different_inputs_never_collide",
    "named_graphs_of_an_input_become_sub_graphs", "question_joining_both_sources",
]
#: tests of test_evidence.py that exercise neither the tracer nor its cards (see MODULES)
EVIDENCE_LEFT_OUT = [f"--deselect=tests/test_evidence.py::{t}" for t in (
    "test_every_derived_triple_has_a_backing_statement",
    "test_removing_the_backing_statement_removes_the_derived_triple",
    "test_cli_why_table_json_and_questions", "test_export_citations_bibtex_and_csl_json")]
#: module -> the tests that cover it (only these run against its mutants)
MODULES: dict[str, list[str]] = {
    "tajsec/core/xsd.py": ["tests/test_xsd.py"],
    "tajsec/sparql/results.py": ["tests/test_results_formats.py"],
    "tajsec/sparql/queries.py": ["tests/test_compare.py"],
    "tajsec/sparql/offline.py": ["tests/test_offline_guard.py"],
    "tajsec/merge/output.py": ["tests/test_merge_output.py"],
    "tajsec/io/load.py": ["tests/test_load_rules.py"],
    "tajsec/io/screens.py": ["tests/test_screens.py", "tests/test_load_rules.py"],
    # the SHACL compiler, one unit: the W3C SHACL Core suite and the component walk
    "tajsec/shacl/compile/": ["tests/test_shacl_compile.py", "tests/test_shacl_suite.py",
                              "tests/test_shacl_coverage.py"],
    # merge's analysis: the made-up extract's traps (test_merge.py) and small inputs of each kind
    "tajsec/merge/analysis.py": [*(f"tests/test_merge.py::test_{t}" for t in MERGE_TESTS),
                                 "tests/test_merge_analysis.py"],
    "tajsec/merge/conflicts.py": [*(f"tests/test_merge.py::test_{t}" for t in MERGE_TESTS),
                                  "tests/test_merge_conflicts.py"],
    # the server, in-process on a graph of ten triples (tests/test_serve.py runs `tajsec serve`)
    "tajsec/web/pool.py": ["tests/test_pool.py"],
    "tajsec/web/server.py": ["tests/test_server_guard.py"],
    # the time normaliser and as-of reader, one unit (reader, asof, bounds, words)
    "tajsec/timeline/": ["tests/test_timeline.py", "tests/test_timeline_reader.py", "tests/test_timeline_words.py",
                         "tests/test_timeline_site.py::test_bounds_in_words"],
    # the evidence tracer and its cards: their own tests on small files first, then the paper's
    # questions; test_evidence.py's tests of the build's derivation record, of the citations
    # export and of `questions --run --why` (slow, and each traced question is in
    # test_every_question_traced) are left out
    "tajsec/evidence/trace.py": ["tests/test_evidence_tracer.py", "tests/test_evidence.py", *EVIDENCE_LEFT_OUT],
    "tajsec/evidence/cards.py": ["tests/test_evidence_cards.py", "tests/test_evidence_tracer.py",
                                 "tests/test_evidence.py", *EVIDENCE_LEFT_OUT],
}

SKIPPED_OPERATORS = [
    r"core/ReplaceBinaryOperator_(?!Add_Sub|Sub_Add|Mul_Div|Div_Mul|FloorDiv_Div|Mod_FloorDiv|Pow_Mul|"
    r"LShift_RShift|RShift_LShift|BitOr_BitAnd|BitAnd_BitOr|BitXor_BitOr)",
    r"core/ReplaceComparisonOperator_(?!Eq_NotEq|NotEq_Eq|Lt_LtE|LtE_Lt|Gt_GtE|GtE_Gt|Is_IsNot|IsNot_Is)",
    r"core/ReplaceUnaryOperator_(?!Delete_Not|USub_UAdd)",
    r"core/Variable(Replacer|Inserter)",  # random choices: not reproducible
]
#: the checkout's files a test may read, linked into each copy
LINKED = ["instances", "shapes", "queries", "contexts", "mappings", "docs", "benchmarks",
          "README.md", "CHANGELOG.md", "LICENSE", "Makefile", "pyproject.toml"]
#: copied rather than linked: a file's graph name is read from its resolved path, and the build tells
#: the ontology's graphs apart by theirs (a linked ontology would be read as data)
COPIED = ["ontology"]
#: caches under build/ a test fills on first use (the SHACL test suite), shared with the checkout
SHARED_CACHES = ["build/shacl-test-suite"]


@dataclass
class Mutant:
    module: str
    line: int
    operator: str
    before: str
    after: str
    outcome: str = "pending"  # killed, survived, equivalent
    occurrence: int = 0

    @property
    def key(self) -> str:
        """What identifies a mutant across edits elsewhere in the file: operator and both lines."""
        return f"{self.module}|{self.operator}|{self.before.strip()}|{self.after.strip()}"


@dataclass
class ModuleScore:
    module: str
    mutants: list[Mutant] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(m.outcome == outcome for m in self.mutants)

    @property
    def score(self) -> float:
        judged = self.count("killed") + self.count("survived")
        return 100.0 * self.count("killed") / judged if judged else 100.0


def equivalent_keys() -> set[str]:
    """Keys of the reviewed equivalent mutants: lines of tests/mutation/equivalent.md of the form
    `- module | operator | before | after: reason`."""
    keys = set()
    for line in (HERE / "equivalent.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("- `") and "`:" in line:
            keys.add(line[3:line.index("`:")])
    return keys


def _copy_checkout(work: Path) -> None:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "tajsec", work / "tajsec", ignore=ignore)
    shutil.copytree(ROOT / "tests", work / "tests", ignore=ignore)
    for name in COPIED:
        shutil.copytree(ROOT / name, work / name, ignore=ignore)
    for name in LINKED:
        if (ROOT / name).exists():
            (work / name).symlink_to(ROOT / name)
    for name in SHARED_CACHES:
        (ROOT / name).mkdir(parents=True, exist_ok=True)
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).symlink_to(ROOT / name)
    shared = work.parent / "shared"  # tests look for ../shared beside the checkout
    if not shared.exists() and (ROOT.parent / "shared").exists():
        shared.symlink_to(ROOT.parent / "shared")


def _annotation_spans(path: Path) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the type annotations are: with `from __future__ import annotations` they are never
    evaluated, so a mutant inside one is equivalent by construction (left out, not scored)."""
    import ast

    spans = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.arg):
            found = node.annotation
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            found = node.returns
        elif isinstance(node, ast.AnnAssign):
            found = node.annotation
        else:
            continue
        if found is not None:
            spans.append(((found.lineno, found.col_offset), (found.end_lineno, found.end_col_offset)))
    return spans


def _sample(keys: list[str], n: int) -> set[str]:
    """A fixed sample: the n keys with the smallest hashes (stable whatever else changes)."""
    return set(sorted(keys, key=lambda k: hashlib.sha256(k.encode()).hexdigest())[:n])


def _slug(module: str) -> str:
    return module.rstrip("/").replace("/", "_").removesuffix(".py")


def _files(work: Path, module: str) -> list[Path]:
    """The source files of `module` in the copy `work` (a package folder: all its .py files)."""
    target = work / module
    return sorted(target.rglob("*.py")) if target.is_dir() else [target]


def _name(work: Path, path: Path | str) -> str:
    """A mutated file's path relative to the copy (`tajsec/shacl/compile/core.py`)."""
    return Path(path).resolve().relative_to(work.resolve()).as_posix()


def _test_command(module: str) -> str:
    """The command that runs the tests of `module` (MODULES) against a mutant."""
    return f"{sys.executable} -m pytest -x -q -p no:cacheprovider -p no:randomly {' '.join(MODULES[module])}"


def run_module(module: str, sample: int | None = None, quiet: bool = False) -> ModuleScore:
    """All mutants of `module` (or a fixed sample of `sample` of them), each against its tests."""
    from cosmic_ray.commands.init import init
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    started = time.monotonic()
    work = BUILD / "work" / (_slug(module) + ("-sample" if sample else ""))
    _copy_checkout(work)
    env = {**os.environ, "PYTHONPATH": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
    command = _test_command(module)
    baseline = subprocess.run(command.split(), cwd=work, env=env, capture_output=True, text=True)
    if baseline.returncode != 0:
        raise SystemExit(f"{module}: its tests fail before any mutation:\n{baseline.stdout[-3000:]}")
    config = work / "cosmic-ray.toml"
    config.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{work / module}"\ntimeout = 120.0\nexcluded-modules = []\n'
        f"test-command = {json.dumps(command)}\n"
        '[cosmic-ray.distributor]\nname = "local"\n', encoding="utf-8")
    session = work / "session.sqlite"
    files = _files(work, module)
    sources = {_name(work, f): f.read_text(encoding="utf-8").splitlines() for f in files}
    annotations = {_name(work, f): _annotation_spans(f) for f in files}
    skip = re.compile("|".join(f"(?:{p})" for p in SKIPPED_OPERATORS))
    (work / "seconds").unlink(missing_ok=True)
    chosen: dict[str, Mutant] = {}
    with use_db(str(session), WorkDB.Mode.create) as db:
        init(files, db, {})
        for item in db.pending_work_items:
            m = item.mutations[0]
            line, name = m.start_pos[0], _name(work, m.module_path)
            mutant = Mutant(name, line, m.operator_name.removeprefix("core/"), sources[name][line - 1], "")
            mutant.occurrence = m.occurrence
            if skip.match(m.operator_name) or any(a <= tuple(m.start_pos) <= b for a, b in annotations[name]):
                db.set_result(item.job_id, WorkResult(output="operator left out", worker_outcome=WorkerOutcome.SKIPPED))
            else:
                chosen[item.job_id] = mutant
        if sample:
            keep = _sample([f"{m.key}|{m.occurrence}" for m in chosen.values()], sample)
            for job_id, mutant in list(chosen.items()):
                if f"{mutant.key}|{mutant.occurrence}" not in keep:
                    db.set_result(job_id, WorkResult(output="not in the sample", worker_outcome=WorkerOutcome.SKIPPED))
                    del chosen[job_id]
    subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "exec", str(config), str(session)],
                   cwd=work, env=env, check=True,
                   stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.DEVNULL if quiet else None)
    (work / "seconds").write_text(str(round(time.monotonic() - started)), encoding="utf-8")
    return collect(module, work)


def retry_survivors(module: str, work: Path) -> ModuleScore:
    """Run the survivors of the session in `work` again against the tests as they are now (the
    module's copy is left as it was mutated): for the loop of adding tests that kill them."""
    import sqlite3

    shutil.rmtree(work / "tests")
    shutil.copytree(ROOT / "tests", work / "tests", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    with contextlib.closing(sqlite3.connect(work / "session.sqlite")) as db, db:
        db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'")
    config = work / "cosmic-ray.toml"  # the module's tests as MODULES lists them now (new files too)
    command = json.dumps(_test_command(module))
    config.write_text(re.sub(r"(?m)^test-command = .*$", lambda _: f"test-command = {command}",
                             config.read_text(encoding="utf-8")), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run([sys.executable, "-m", "cosmic_ray.cli", "exec", str(config),
                    str(work / "session.sqlite")], cwd=work, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return collect(module, work)


def collect(module: str, work: Path) -> ModuleScore:
    """The score of the session in `work` (run, or still running), read from its database."""
    from cosmic_ray.work_db import WorkDB, use_db

    sources = {_name(work, f): f.read_text(encoding="utf-8").splitlines() for f in _files(work, module)}
    equivalent = equivalent_keys()
    score = ModuleScore(module)
    with use_db(str(work / "session.sqlite"), WorkDB.Mode.open) as db:
        done = list(db.completed_work_items)
    for item, result in done:
        if result.worker_outcome.value == "skipped":
            continue
        m = item.mutations[0]
        line, name = m.start_pos[0], _name(work, m.module_path)
        mutant = Mutant(name, line, m.operator_name.removeprefix("core/"), sources[name][line - 1], "",
                        occurrence=m.occurrence)
        mutant.after = _mutated_line(result.diff) or mutant.before
        mutant.outcome = "killed" if result.is_killed else "survived"
        if mutant.outcome == "survived" and mutant.key in equivalent:
            mutant.outcome = "equivalent"
        score.mutants.append(mutant)
    score.mutants.sort(key=lambda m: (m.module, m.line, m.operator, m.after))
    seconds = work / "seconds"
    score.seconds = float(seconds.read_text()) if seconds.exists() else 0.0
    return score


def _mutated_line(diff: str | None) -> str | None:
    """The added line of a unified diff (the mutant's version of `line`)."""
    for d in (diff or "").splitlines():
        if d.startswith("+") and not d.startswith("+++"):
            return d[1:]
    return None


def report(scores: list[ModuleScore]) -> str:
    out = ["# Mutation report (cosmic-ray)", "",
           "Score = killed / (killed + survived); reviewed equivalent mutants (tests/mutation/equivalent.md)"
           " are left out.", "",
           "| module | mutants | killed | survived | equivalent | score | minutes |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in scores:
        out.append(f"| {s.module} | {len(s.mutants)} | {s.count('killed')} | {s.count('survived')} | "
                   f"{s.count('equivalent')} | {s.score:.1f}% | {s.seconds / 60:.1f} |")
    for s in scores:
        survivors = [m for m in s.mutants if m.outcome == "survived"]
        if survivors:
            out += ["", f"## Survivors in {s.module}", ""]
            for m in survivors:
                out.append(f"- {m.module}:{m.line} {m.operator}: `{m.before.strip()}` -> `{m.after.strip()}`")
                out.append(f"  key: `{m.key}`")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all core modules)")
    parser.add_argument("--sample", type=int, help="only this many mutants per module (a fixed sample)")
    parser.add_argument("--jobs", type=int, default=2, help="modules mutated at once (default 2)")
    parser.add_argument("--report-only", action="store_true",
                        help="no mutation: the report of the sessions already in build/mutation/work")
    parser.add_argument("--retry-survivors", action="store_true",
                        help="run the survivors of the sessions in build/mutation/work again, against the tests as they are now")
    parser.add_argument("--tests", nargs="+", help="run these tests instead of the module's own (e.g. to measure "
                                                   "what an older set of tests kills)")
    args = parser.parse_args(argv)
    modules = args.modules or list(MODULES)
    if args.tests:
        MODULES.update({m: args.tests for m in modules})
    if args.retry_survivors:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            suffix = "-sample" if args.sample else ""  # the sessions of `--sample N` runs
            scores = list(pool.map(lambda m: retry_survivors(m, BUILD / "work" / (_slug(m) + suffix)), modules))
    elif args.report_only:
        suffix = "-sample" if args.sample else ""
        scores = [collect(m, BUILD / "work" / (_slug(m) + suffix)) for m in modules
                  if (BUILD / "work" / (_slug(m) + suffix) / "session.sqlite").exists()]
    else:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            scores = list(pool.map(lambda m: run_module(m, args.sample, quiet=True), modules))
    BUILD.mkdir(parents=True, exist_ok=True)
    text = report(scores)
    name = "report-sample" if args.sample else "report"
    (BUILD / f"{name}.md").write_text(text, encoding="utf-8")
    (BUILD / f"{name.replace('report', 'scores')}.json").write_text(json.dumps(
        {s.module: {"score": round(s.score, 1), "killed": s.count("killed"), "survived": s.count("survived"),
                    "equivalent": s.count("equivalent"), "seconds": round(s.seconds)} for s in scores},
        indent=2) + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
