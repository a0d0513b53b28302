"""Incremental validation (`tajsec validate --changed` / `--changed-since`): on random edits of a
generated dataset split over several files, an incremental run reports exactly the full run's
results for the focus nodes it covers, and every other focus node has the results it had before
the edit. (The 1M-triple check is in benchmarks/scale.py.)"""
from __future__ import annotations

import importlib.util
import json
import random
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from tajsec.cli import main
from tajsec.quality.validate import validate
from tajsec.shacl.reach import reach

ROOT = Path(__file__).resolve().parent.parent
FILES = 4
EDITS = 24
RDF_TYPE = ("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",)
DERIVATION_INPUTS = tuple(f"<https://w3id.org/tajsec/onto/{p}>" for p in ("subject", "object", "measuredEntity", "quantity")) \
    + tuple(f"<http://www.w3.org/ns/org#{p}>" for p in ("member", "organization", "role"))


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "benchmarks" / "generate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def dataset() -> list[list[str]]:
    """About 3,000 triples with planted defects, as N-Triples lines, split over FILES files by
    subject (the generator writes no blank nodes, so any split is valid)."""
    gen = _generator()
    lines = gen.serialise(gen.generate(3000, seed=11, defects=len(gen.DEFECT_KINDS)), "nt").decode().splitlines()
    assert "_:" not in "".join(lines)
    files: list[list[str]] = [[] for _ in range(FILES)]
    for line in lines:
        files[sum(line.split(" ", 1)[0].encode()) % FILES].append(line)
    return files


def _write(folder: Path, files: list[list[str]]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for i, lines in enumerate(files):
        p = folder / f"part-{i}.nt"
        p.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(p)
    return paths


def _edit(files: list[list[str]], rng: random.Random) -> tuple[list[list[str]], set[int]]:
    """One random edit of the kinds a pull request makes; returns the new files and which changed."""
    files = [list(f) for f in files]
    i = rng.randrange(FILES)
    lines = files[i]
    k = rng.randrange(len(lines))
    subject, predicate, obj = lines[k][:-2].split(" ", 2)
    kind = rng.choice(["drop", "drop-subject", "retarget", "ill-typed", "move", "retype", "duplicate-value",
                       "untype", "derivation-input"])
    changed = {i}
    if kind in ("untype", "derivation-input"):
        # a node others check with sh:class loses its type; a statement the build derives
        # triples from (a relation's subject, a tenure's member, a measured entity) loses one
        wanted = RDF_TYPE if kind == "untype" else DERIVATION_INPUTS
        candidates = [n for n, line in enumerate(lines) if line.split(" ", 2)[1] in wanted]
        k = rng.choice(candidates) if candidates else k
        del lines[k]
    elif kind == "drop":
        del lines[k]
    elif kind == "drop-subject":
        files[i] = [line for line in lines if not line.startswith(subject + " ")]
    elif kind == "retarget":   # the object of another triple with the same predicate
        others = [line for f in files for line in f if line.split(" ", 2)[1] == predicate]
        lines[k] = f"{subject} {predicate} {rng.choice(others)[:-2].split(' ', 2)[2]} ."
    elif kind == "ill-typed":
        lines[k] = re.sub(r'"([^"]*)"\^\^', lambda m: '"' + m.group(1) + '-13"^^', lines[k]) if '"^^' in lines[k] \
            else f"{subject} {predicate} \"not-a-node\" ."
    elif kind == "move":
        j = (i + 1 + rng.randrange(FILES - 1)) % FILES
        files[j].append(lines.pop(k))
        changed.add(j)
    elif kind == "retype":
        classes = sorted({line.split(" ", 2)[2][:-2] for f in files for line in f if " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " in line})
        lines.append(f"{subject} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {rng.choice(classes)} .")
    else:   # a second value where the shapes may allow one
        lines.append(f"{subject} {predicate} {rng.choice([line for f in files for line in f])[:-2].split(' ', 2)[2]} .")
    return files, changed


def _key(f, with_line: bool = True) -> tuple:
    """A finding as comparable values; the file by name (each edit is written to a folder of its own)."""
    d = f.as_dict()
    d["file"] = d["file"] and Path(d["file"]).name
    if not with_line:
        d.pop("line")
    return tuple(sorted((k, str(v)) for k, v in d.items()))


def test_incremental_runs_give_the_full_runs_results(project, dataset, tmp_path):
    before_paths = _write(tmp_path / "before", dataset)
    full_before = validate(project, before_paths).findings
    rng = random.Random(20261204)
    some_change, some_saving = False, False
    for n in range(EDITS):
        files, changed = _edit(dataset, rng)
        paths = _write(tmp_path / f"edit-{n}", files)
        edits = {paths[i]: [(before_paths[i]).read_bytes(), paths[i].read_bytes()] for i in changed}
        inc = validate(project, paths, changed=edits)
        full = validate(project, paths).findings
        assert inc.covered is not None, inc.incremental
        covered = inc.covered
        # the covered nodes: exactly the full run's results, file and line included
        assert Counter(_key(f) for f in inc.findings) == Counter(_key(f) for f in full if f.result.focus in covered), n
        # every other node: the results it had before the edit (lines may have moved)
        rest_now = Counter(_key(f, False) for f in full if f.result.focus not in covered)
        rest_before = Counter(_key(f, False) for f in full_before if f.result.focus not in covered)
        assert rest_now == rest_before, n
        some_change |= Counter(_key(f, False) for f in full) != Counter(_key(f, False) for f in full_before)
        some_saving |= len(covered) < 0.5 * sum(len(f) for f in files)
    assert some_change, "no edit changed the findings: the test would not notice a wrong incremental run"
    assert some_saving, "every incremental run covered (nearly) everything"


def test_changed_since_a_git_revision(dataset, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    paths = _write(repo, dataset)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "data"], check=True)
    lines = paths[0].read_text().splitlines()
    victim = next(line for line in lines if "/startDate> " in line or "/inXSDDate> " in line)
    paths[0].write_text("\n".join(line for line in lines if line != victim)
                        + "\n" + victim.replace('"^^', '-31"^^') + "\n", encoding="utf-8")
    monkeypatch.chdir(repo)   # --changed-since asks the git repository we are in
    monkeypatch.setenv("TAJSEC_ROOT", str(ROOT))
    args = ["validate", *map(str, paths), "--format", "json"]
    full = CliRunner().invoke(main, args)
    inc = CliRunner().invoke(main, args + ["--changed-since", "HEAD"])
    unchanged = CliRunner().invoke(main, args + ["--changed", str(paths[1])])
    full_results, inc_doc = json.loads(full.output)["results"], json.loads(inc.output)
    focus = victim.split(" ", 1)[0].strip("<>")
    assert any(r.get("focus") == focus and (r.get("value") or "").endswith("-31") for r in inc_doc["results"])
    assert all(r in full_results for r in inc_doc["results"])
    assert len(inc_doc["results"]) < len(full_results)
    assert inc_doc["incremental"].startswith("incremental: 1 changed file(s)")
    # another file, untouched since the edit that planted the date: its nodes' results only
    assert all(r in full_results for r in json.loads(unchanged.output)["results"])
    bad = CliRunner().invoke(main, args + ["--changed-since", "no-such-revision"])
    assert bad.exit_code == 2 and "no-such-revision" in bad.output


def _shapes(tmp_path: Path, body: str) -> list[Path]:
    p = tmp_path / "shapes.ttl"
    p.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <https://example.org/> .\n" + body)
    return [p]


def test_reach_follows_paths_nesting_and_sparql(project, tmp_path):
    assert reach(_shapes(tmp_path, "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .")).hops == 1
    nested = reach(_shapes(tmp_path, """ex:S sh:targetClass ex:C ; sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] ) ;
        sh:node ex:T ] . ex:T sh:property [ sh:path ex:r ; sh:class ex:D ] ."""))
    assert (nested.hops, nested.inverse) == (2 + 1 + 1 + 1, {"https://example.org/q"})
    assert reach(_shapes(tmp_path, "ex:S sh:targetClass ex:C ; sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1 ] .")) is None
    assert reach(_shapes(tmp_path, "ex:S sh:targetClass ex:C ; sh:node ex:T . ex:T sh:property [ sh:path ex:p ; sh:node ex:S ] .")) is None
    assert reach(_shapes(tmp_path, 'ex:S sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { ?x ex:p $this }" ] .')) is None
    chain = 'ex:S sh:targetClass ex:C ; sh:sparql [ sh:select "SELECT $this WHERE { $this ex:p ?a . ?a ex:q ?b . FILTER(?b > 1) }" ] .'
    assert reach(_shapes(tmp_path, chain)).hops >= 2
    assert reach(project.shape_files) is not None, "our own shapes are bounded: incremental runs stay incremental"
