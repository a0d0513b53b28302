"""Incremental validation (`tajsec validate --changed FILE...` / `--changed-since REV`): which
focus nodes an edit of some data files can affect, and the part of the store their checks read.

An edit adds or removes triples. A focus node's results can change only if one of its checks
reads such a triple: the shapes read at most `hops` triples away from the focus node, forwards
along any predicate (sh:closed and SPARQL constraints read any) and backwards along the
predicates of inverse paths (tajsec.shacl.reach). So the affected focus nodes are the nodes from
which a node of a changed triple lies within `hops` such steps, and the store they need is what
lies within `hops + 1` steps of them, with the ontology. Validating that part and keeping the
results whose focus node is affected gives exactly the full run's results for those nodes; the
results of every other node are those of the full run before the edit
(tests/test_incremental.py holds both properties on random edits).

Edits the analysis does not follow (RDFS/OWL/SHACL vocabulary in the data, a blank node
described at the top level of a changed file, shapes that read unboundedly far) make `plan`
return None, and the caller validates everything."""
from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tajsec.core.errors import TajsecError
from tajsec.core.namespaces import PREFIXES
from tajsec.core.terms import AnyTerm
from tajsec.io.load import format_for
from tajsec.shacl.reach import Reach

# vocabulary whose use in data changes what other nodes mean (classes, property axioms, shapes)
_SCHEMA_VOCABULARY = (PREFIXES["owl"], PREFIXES["sh"])
_RDF_TYPE = PREFIXES["rdf"] + "type"
_SCHEMA_PREDICATES = {PREFIXES["rdfs"] + p for p in ("subClassOf", "subPropertyOf", "domain", "range")}


class ChangedSinceError(TajsecError):
    """`--changed-since REV` needs git and a revision it knows."""


@dataclass
class Plan:
    """The focus nodes an edit affects, and the store holding what their checks read."""
    affected: set
    store: ox.Store
    needed: set
    changed: list[str]


def changed_since(root: Path, rev: str) -> tuple[list[Path], dict[Path, bytes]]:
    """The files that differ between `rev` and the working tree (untracked ones included), and
    the text each had at `rev` (absent: the file is new)."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True)

    diff = git("diff", "--name-only", "--no-renames", rev, "--")
    if diff.returncode != 0:
        raise ChangedSinceError(f"--changed-since {rev}: {diff.stderr.decode(errors='replace').strip()}")
    untracked = git("ls-files", "--others", "--exclude-standard")
    names = diff.stdout.decode().split() + untracked.stdout.decode().split()
    top = Path(git("rev-parse", "--show-toplevel").stdout.decode().strip() or root)
    files = [(top / n).resolve() for n in names]
    before: dict[Path, bytes] = {}
    for n, f in zip(names, files):
        old = git("show", f"{rev}:{n}")
        if old.returncode == 0:
            before[f] = old.stdout
    return files, before


def committed(path: Path) -> bytes | None:
    """`path` as the last commit of its git repository holds it (None: untracked, or no git)."""
    folder = path.resolve().parent
    try:
        top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True)
        if top.returncode != 0:
            return None
        name = path.resolve().relative_to(Path(top.stdout.decode().strip()).resolve()).as_posix()
        old = subprocess.run(["git", "-C", str(folder), "show", f"HEAD:{name}"], capture_output=True)
    except (OSError, ValueError):
        return None
    return old.stdout if old.returncode == 0 else None


def _triples(data: bytes, path: Path) -> list:
    return list(ox.parse(data, format=format_for(path)))


def _edited(path: Path, texts: list[bytes]) -> tuple[set, list[set]]:
    """The triples an edit added or removed (all the file's, if only one text is known), and
    the file's triples in each version (left empty when the lines that differ tell enough: an
    N-Triples file whose changed lines have no blank node; a superset of the changed triples,
    as a triple may be written on two lines)."""
    if len(texts) == 2 and format_for(path) == ox.RdfFormat.N_TRIPLES:
        lines = set(texts[0].splitlines()) ^ set(texts[1].splitlines())
        if not any(b"_:" in line for line in lines):
            return set(_triples(b"\n".join(sorted(lines)) + b"\n", path)), []
    versions = [set(_triples(data, path)) for data in texts]
    return (versions[0] ^ versions[1] if len(versions) == 2 else set().union(*versions)), versions


def plan(store: ox.Store, changed: dict[Path, list[bytes]], reach: Reach | None,
         ontology_graphs: set[str], derived_changed: set | None = None,
         asserted: dict[Path, set] | None = None) -> Plan | None:
    """`changed`: each changed data file with its texts (now, and before the edit when known).
    `derived_changed`: the subjects whose derived triples the edit changed, when known (from
    the build cache); else every node a changed subject describes counts as one. `asserted`:
    the triples each edit added or removed, when known (from the standing store).
    None when the edit cannot be followed and everything must be validated."""
    if reach is None:
        return None
    seeds: set = set()
    known = {Path(p).resolve(): ts for p, ts in (asserted or {}).items()
             if not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in ts)}
    for path, texts in changed.items():
        edited, versions = (known[path.resolve()], []) if path.resolve() in known else _edited(path, texts)
        objects = {t.object for v in versions for t in v}
        for t in edited:
            p = t.predicate.value
            if p in _SCHEMA_PREDICATES or p.startswith(_SCHEMA_VOCABULARY):
                return None
            if isinstance(t.subject, ox.BlankNode):
                if t.subject not in objects:
                    return None   # a top-level blank node: its stored label is not the parsed one
                seeds.update(_describing(t.subject, versions))
                continue
            seeds.add(t.subject)
            # a class is read from its instances (sh:class, targets), not the other way round
            if p != _RDF_TYPE and not isinstance(t.object, ox.BlankNode):
                seeds.add(t.object)
        if derived_changed is not None:
            continue
        # the build derives triples for the nodes a changed subject describes (a relation
        # statement's ts:subject, a tenure's member): those nodes are changed too
        subjects = {t.subject for t in edited if not isinstance(t.subject, ox.BlankNode)}
        versions = versions or [set(_triples(data, path)) for data in texts]
        near = [t for v in versions for t in v if t.subject in subjects]
        near += [q for s in subjects for q in store.quads_for_pattern(s, None, None, None)]
        seeds.update(t.object for t in near
                     if t.predicate.value != _RDF_TYPE and not isinstance(t.object, ox.BlankNode))
    seeds |= derived_changed or set()
    seeds |= _blank_descriptions(store, seeds)
    affected = _within(store, seeds, reach.hops, backwards=True, inverse=reach.inverse)
    needed = _within(store, affected, reach.hops + 1, backwards=False, inverse=reach.inverse)
    part = ox.Store()
    for graph in sorted(ontology_graphs):
        part.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    for node in needed:
        if not isinstance(node, ox.Literal):
            part.extend(store.quads_for_pattern(node, None, None, None))
    return Plan(affected, part, needed, [str(p) for p in changed])


def _describing(blank: ox.BlankNode, versions: list[set]) -> set:
    """The named nodes of a file whose description holds `blank` (through nested blank nodes)."""
    found, todo, seen = set(), [blank], {blank}
    while todo:
        b = todo.pop()
        for v in versions:
            for t in v:
                if t.object == b and t.subject not in seen:
                    seen.add(t.subject)
                    if isinstance(t.subject, ox.BlankNode):
                        todo.append(t.subject)
                    else:
                        found.add(t.subject)
    return found


def _blank_descriptions(store: ox.Store, nodes: set) -> set:
    """The blank nodes the changed files describe, as the store labels them: those reached from
    the files' named nodes (a blank node is described in the one file that mentions it)."""
    found: set = set()
    todo = [n for n in nodes if not isinstance(n, ox.Literal)]
    while todo:
        n = todo.pop()
        for q in store.quads_for_pattern(n, None, None, None):
            if isinstance(q.object, ox.BlankNode) and q.object not in found:
                found.add(q.object)
                todo.append(q.object)
    return found


def _within(store: ox.Store, start: set, hops: int, backwards: bool, inverse: set[str]) -> set:
    """The nodes within `hops` steps of `start`: steps along any triple (backwards: from object
    to subject) and, the other way round, along the predicates in `inverse`."""
    inverse_nodes = [ox.NamedNode(p) for p in sorted(inverse)]
    seen = set(start)
    frontier = [n for n in start if not isinstance(n, ox.Literal)]
    for _ in range(hops):
        step = []
        for n in frontier:
            if backwards:
                near: list[AnyTerm] = [q.subject for q in store.quads_for_pattern(None, None, n, None)]
                near += [q.object for p in inverse_nodes for q in store.quads_for_pattern(n, p, None, None)]
            else:
                near = [q.object for q in store.quads_for_pattern(n, None, None, None)]
                near += [q.subject for p in inverse_nodes for q in store.quads_for_pattern(None, p, n, None)]
            for m in near:
                if m not in seen:
                    seen.add(m)
                    if not isinstance(m, ox.Literal):
                        step.append(m)
        frontier = step
    return seen
