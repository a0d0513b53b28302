"""Build the graph: load ontology and instances, derive the shortcut layer, materialise the
interoperability profile.

Each source file goes into its own named graph (see rdfio.graph_name_for), derived triples into
DERIVED_GRAPH. Queries run over the union of all graphs.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tajsec.core.namespaces import DERIVED_GRAPH as DERIVED_GRAPH_IRI
from tajsec.core.project import Project
from tajsec.core.terms import QueryAnswer, solutions, triples
from tajsec.graph.derivation import Derivations, Rule, derive
from tajsec.io.load import graph_name_for, load_into

DERIVED_GRAPH = ox.NamedNode(DERIVED_GRAPH_IRI)


@dataclass
class Built:
    store: ox.Store
    files: list[Path]
    asserted_triples: int
    derived_triples: int
    graphs: dict[str, Path] = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    derivations: Derivations = field(default_factory=Derivations)  # how each derived triple was derived

    def query(self, sparql: str, **kw: Any) -> QueryAnswer:
        return self.store.query(sparql, use_default_graph_as_union=True, **kw)

    @property
    def source_graphs(self) -> list[ox.NamedNode]:
        return [ox.NamedNode(g) for g in self.graphs]


def construct_queries(project: Project) -> list[Path]:
    """The rules of the build, in the order they run (file names sort in that order)."""
    return sorted((project.root / "queries").glob("construct-*.rq"))


LoadOne = Callable[[ox.Store, Path, ox.NamedNode, bool, list, bool], int]


def load_files(project: Project, files: Iterable[Path], foreign: Iterable[Path], load_one: LoadOne,
               progress: Callable[[Path], object] | None = None) -> tuple[ox.Store, dict[str, Path], list, int]:
    """`files` (strictly) and then the `foreign` files not among them (leniently), in the order
    given, each into its named graph of a new store by `load_one(store, path, graph, strict,
    warnings, again)` (`again`: the graph was loaded before, from a file given twice). Returns the
    store, the graphs' files, the warnings and the number of triples loaded."""
    store = ox.Store()
    graphs: dict[str, Path] = {}
    warnings: list = []
    asserted = 0
    files = list(files)
    foreign = list(dict.fromkeys(foreign))   # in the order given: warnings come out in that order
    for f in files + [f for f in foreign if f not in files]:
        g = graph_name_for(f, project.root)
        asserted += load_one(store, f, g, f not in foreign, warnings, g.value in graphs)
        graphs[g.value] = f
        if progress:
            progress(f)
    return store, graphs, warnings, asserted


def build(project: Project, files: list[Path] | None = None, derive: bool = True,
          foreign: Iterable[Path] = (), progress: Callable[[Path], object] | None = None,
          texts: dict[str, str] | None = None, literals: list[ox.Quad] | None = None,
          record: bool = True) -> Built:
    """Load `files` (default: our ontology and instances) strictly, and `foreign` files (other
    people's data) leniently: their ill-typed literals become warnings, not errors. `texts`, if
    given, receives each file's text (see rdfio.load_into), so that no file is opened twice;
    `literals`, the quads with a typed literal object as written (see load_into). Without
    `record`, the derived layer is the same but how each triple was derived is not kept
    (`Built.derivations` is empty): what validation, which never asks, does at any size."""
    if files is None:
        files = project.ontology_files + project.instance_files

    def load_one(store: ox.Store, path: Path, graph: ox.NamedNode, strict: bool, warnings: list, again: bool) -> int:
        return load_into(store, path, graph, strict=strict, warnings=warnings, texts=texts, literals=literals)

    store, graphs, warnings, asserted = load_files(project, files, foreign, load_one, progress)
    derived = 0
    derivations = Derivations()
    if derive:
        derived = (materialise(store, construct_queries(project), derivations) if record
                   else conclude_into(store, construct_queries(project)))
    return Built(store, list(graphs.values()), asserted, derived, graphs, warnings, derivations)


def materialise(store: ox.Store, rules: list[Path], record: Derivations | None = None) -> int:
    """Run each CONSTRUCT rule over the union of graphs and add what it yields, that is not
    already there, to DERIVED_GRAPH; `record` receives how each derived triple was derived.
    Returns the number of triples added."""
    record = Derivations() if record is None else record
    return sum(derive(store, Rule(path.stem, path.read_text(encoding="utf-8")), DERIVED_GRAPH, record)
               for path in rules)


def conclude_into(store: ox.Store, rules: list[Path]) -> int:
    """What `materialise` adds to DERIVED_GRAPH, without the record: each rule runs as the
    CONSTRUCT it is and its conclusions go straight into DERIVED_GRAPH before the next rule
    runs, loaded by pyoxigraph a slice at a time (unless a conclusion has a blank node:
    N-Triples would relabel it, so those rules' triples go through Python). Conclusions that
    were already asserted are then taken out of DERIVED_GRAPH in one pass at the end: until
    then they are in two graphs, which no rule can tell (each reads the union of the graphs and
    only asks whether a triple is there). Returns the number of triples added."""
    before = _size(store, DERIVED_GRAPH)
    for rule in rules:
        answer = triples(store.query(rule.read_text(encoding="utf-8"), use_default_graph_as_union=True))
        nt = answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
        if b"_:" in nt:
            answer = triples(store.query(rule.read_text(encoding="utf-8"), use_default_graph_as_union=True))
            new = {t: None for t in answer if not _present(store, t)}
            store.extend(ox.Quad(t.subject, t.predicate, t.object, DERIVED_GRAPH) for t in new)
            continue
        # a slice at a time (pyoxigraph's load holds one); leniently: the text is pyoxigraph's own
        # writing of terms the store holds, so the parser's checks of IRIs and tags are spared
        for part in _slices(nt, SLICE_BYTES):
            store.load(part, format=ox.RdfFormat.N_TRIPLES, to_graph=DERIVED_GRAPH, lenient=True)
        del nt
    store.update(f"DELETE {{ GRAPH {DERIVED_GRAPH} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {DERIVED_GRAPH} {{ ?s ?p ?o }} "
                 f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {DERIVED_GRAPH}) }}")
    return _size(store, DERIVED_GRAPH) - before


def _size(store: ox.Store, graph: ox.NamedNode) -> int:
    """The number of triples in one graph of `store` (len(store) would count all of them)."""
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
    return int(next(iter(solutions(store.query(q))))["n"].value)


#: How much of a rule's conclusions (N-Triples bytes) pyoxigraph loads at a time.
SLICE_BYTES = 32 << 20


def _slices(nt: bytes, size: int) -> Iterator[bytes]:
    """`nt` in pieces of about `size` bytes, each ending at the end of a line."""
    start = 0
    while start < len(nt):
        end = nt.find(b"\n", min(start + size, len(nt)) - 1)
        end = len(nt) if end < 0 else end + 1
        yield nt[start:end]
        start = end


def _present(store: ox.Store, t: ox.Triple) -> bool:
    return next(iter(store.quads_for_pattern(t.subject, t.predicate, t.object, None)), None) is not None
