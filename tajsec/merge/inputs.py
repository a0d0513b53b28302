"""Reading one input into a merge: through the one loader (`tajsec.io.load.InputFile`: one open,
size limit, byte-order mark rule, entity screen, ill-typed literal warnings), streamed by
pyoxigraph's parser. Each triple goes to the output spool exactly as parsed, unless it changes our
ontology or is an owl:imports; what the analysis needs goes to the store too."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox

from tajsec.core.errors import LoadError
from tajsec.core.namespaces import INPUT_GRAPH_BASE
from tajsec.core.terms import AnyTerm
from tajsec.io.load import InputFile, ill_typed, parse_error, refuse_triple_terms, report_ill_typed
from tajsec.merge.blank_nodes import BlankQuads, canonical_labels
from tajsec.merge.ours import Ours
from tajsec.merge.report import InputInfo, MergeReport, OntologyChange, UnresolvedImport
from tajsec.merge.spool import Spool
from tajsec.merge.terms import is_ontology_term, nt, short
from tajsec.merge.vocabulary import AXIOM_PREDICATES, OWL_IMPORTS, REPORT_LIMIT, SYMMETRIC_AXIOMS

#: Quads put into the analysis store at a time.
BATCH = 50_000


@dataclass
class LoadedInput:
    """One input read: its description, its blank nodes' canonical labels, and what was left out."""

    info: InputInfo
    labels: dict                      # blank node -> canonical label
    left_out: list[str]               # N-Triples lines, sorted
    left_out_count: int               # quads left out
    prefixes: dict[str, str]


class SubGraphs:
    """Our graph for an input (named by its SHA-256), and a sub-graph for each named graph in it."""

    def __init__(self, sha: str) -> None:
        self.graph = INPUT_GRAPH_BASE + sha
        self.node = ox.NamedNode(self.graph)
        self.names: dict[str, str] = {}  # the input's graph name (N-Triples) -> our graph IRI
        self._blank: dict = {}

    def target(self, graph_name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> ox.NamedNode:
        if isinstance(graph_name, ox.DefaultGraph):
            return self.node
        if isinstance(graph_name, ox.BlankNode):
            key = self._blank.setdefault(graph_name, f"b{len(self._blank)}")
            name, iri = f"_:{key}", f"{self.graph}/graph/{key}"
        else:
            name = f"<{graph_name.value}>"
            iri = f"{self.graph}/graph/{hashlib.sha256(graph_name.value.encode()).hexdigest()[:16]}"
        self.names.setdefault(name, iri)
        return ox.NamedNode(iri)


def has_blank(term: AnyTerm | ox.DefaultGraph) -> bool:
    t = type(term)
    if t is ox.BlankNode:
        return True
    if t is ox.Triple:
        triple = cast(ox.Triple, term)
        return has_blank(triple.subject) or has_blank(triple.object)
    return False


@dataclass
class Triage:
    """Decides which triples of an input are left out, and keeps what the report says about them."""

    ours: Ours
    allow_ontology_changes: bool
    changes: list[tuple] = field(default_factory=list)      # (s, p, o, reason), first seen first
    std_axioms: list[tuple] = field(default_factory=list)   # (s, p, o)
    imports: list[tuple] = field(default_factory=list)      # (s, o)
    _seen: set = field(default_factory=set)

    def keep(self, s: AnyTerm, p: ox.NamedNode, o: AnyTerm) -> bool:
        pv = p.value
        if pv == OWL_IMPORTS:
            self.imports.append((s, o))
            return False
        reason = None
        if is_ontology_term(s):
            reason = "subject is a term of our ontology"
        elif pv in AXIOM_PREDICATES and is_ontology_term(o):
            reason = f"{short(pv)} pointing at a term of our ontology"
        if reason:
            self._once((s, p, o), self.changes, (s, p, o, reason))
            return self.allow_ontology_changes
        if pv in AXIOM_PREDICATES and (
                (isinstance(s, ox.NamedNode) and s.value in self.ours.standard_terms)
                or (pv in SYMMETRIC_AXIOMS and isinstance(o, ox.NamedNode) and o.value in self.ours.standard_terms)):
            self._once((s, p, o), self.std_axioms, (s, p, o))
        return True

    def _once(self, triple: tuple, found: list, entry: tuple) -> None:
        if triple not in self._seen:
            self._seen.add(triple)
            found.append(entry)


class TripleTermFound(Exception):
    """Raised while routing quads: the input holds an RDF 1.2 triple term (refused)."""


class InputReader:
    """Reads the inputs of one merge into the output spool and the analysis store."""

    def __init__(self, store: ox.Store, spool: Spool, ours: Ours, watch: frozenset[str],
                 allow_ontology_changes: bool, warnings: list, on_disk: bool = False) -> None:
        self.store, self.spool, self.ours, self.watch = store, spool, ours, watch
        # on disk, the bulk loader (no transaction: the store is read only between inputs)
        self._add = store.bulk_extend if on_disk else store.extend
        self.allow = allow_ontology_changes
        self.warnings = warnings

    def read(self, source: InputFile, given: str, report: MergeReport,
             progress: Callable[[str, int, int], None] | None) -> LoadedInput:
        """Stream a screened `source` (the path as the caller gave it: `given`) into the merge, and
        add its ontology changes and imports to `report`."""
        if source.sha256 is None:
            raise ValueError(f"{given}: screen() the input before reading it")
        sha256 = source.sha256
        graphs, triage, blanks = SubGraphs(sha256), Triage(self.ours, self.allow), BlankQuads()
        removed: set[tuple] = set()
        on_read = (lambda done: progress(given, done, source.size)) if progress else None
        # a binary file pyoxigraph reads with read(), though not an IO[bytes] to the stubs
        parser = ox.parse(source.stream(on_read), format=source.format, rename_blank_nodes=True)  # type: ignore[arg-type]
        try:
            ill_typed_found = self._route(parser, graphs, triage, blanks, removed)
            prefixes = dict(parser.prefixes or {})
        except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
            raise parse_error(given, e) from None
        except TripleTermFound:
            refuse_triple_terms(given, True, b"".join(source.chunks()))
        report_ill_typed(given, source.lines, ill_typed_found, False, self.warnings)
        labels = self._spool_blank_quads(blanks, graphs.graph)
        self._report(triage, labels, given, report)
        info = InputInfo(given, graphs.graph, sha256, source.format.media_type,
                         source.size, 0, 0, 0, dict(sorted(graphs.names.items())))
        left_out = sorted({f"{nt(s, labels)} {nt(p)} {nt(o, labels)} ." for s, p, o, g in removed})
        return LoadedInput(info, labels, left_out, len(removed), prefixes)

    def _route(self, quads: Iterable[ox.Quad], graphs: SubGraphs, triage: Triage, blanks: BlankQuads,
               removed: set) -> list[str]:
        """Each quad to the spool (or, with blank nodes, to `blanks` until their labels are known),
        and to the store if the analysis needs it. Returns the ill-typed literals seen."""
        graph_text: dict[str, str] = {}
        graph_parts: dict[str, str] = {}
        analysis: list[ox.Quad] = []
        bad: list[str] = []
        for q in quads:
            gq = graphs.target(q.graph_name)
            s, p, o = q.subject, q.predicate, q.object
            if type(o) is ox.Literal:
                why = ill_typed(o)
                if why:
                    bad.append(why)
            elif type(o) is ox.Triple:
                raise TripleTermFound
            kept = triage.keep(s, p, o)
            if not kept:
                removed.add((s, p, o, gq))
            if has_blank(s) or has_blank(o):
                gp = graph_parts.get(gq.value) or graph_parts.setdefault(gq.value, f" <{gq.value}>")
                blanks.add(s, p, o, gp, kept)
            elif kept:
                gt = graph_text.get(gq.value) or graph_text.setdefault(gq.value, f"<{gq.value}>")
                self.spool.add(f"{gt}\t{s} {p} {o} {gt} .\n")  # no blank node: str() is the N-Triples form
            if kept and (p.value in self.watch or (isinstance(s, ox.NamedNode) and s.value in self.ours.watched)):
                analysis.append(ox.Quad(s, p, o, gq))
                if len(analysis) >= BATCH:
                    self._add(analysis)
                    analysis = []
        self._add(analysis)
        return bad

    def _spool_blank_quads(self, blanks: BlankQuads, graph: str) -> dict:
        compiled = list(blanks.quads)
        label_list = canonical_labels(compiled, len(blanks.index), graph)
        for qt in compiled:
            if blanks.quads[qt]:
                self.spool.add(f"<{qt[-1][2:-1]}>\t{BlankQuads.render(qt, label_list)} .\n")
        return blanks.labels_by_node(label_list)

    def _report(self, triage: Triage, labels: dict, given: str, report: MergeReport) -> None:
        for s, p, o, reason in triage.changes:
            report.ontology_changes_total += 1
            if len(report.ontology_changes) < REPORT_LIMIT:
                report.ontology_changes.append(
                    OntologyChange(given, nt(s, labels), nt(p), nt(o, labels), reason, self.allow))
        for s, p, o in triage.std_axioms[:REPORT_LIMIT]:
            report.standard_term_axioms.append(OntologyChange(
                given, nt(s, labels), nt(p), nt(o, labels), "axiom about a standard term our ontology uses", True))
        for s, o in triage.imports:
            report.unresolved_imports.append(UnresolvedImport(given, nt(s, labels), nt(o, labels)))


def screen_error(given: str, e: LoadError) -> LoadError:
    """A loader error about an input, naming the input as the caller gave it."""
    return LoadError(given, e.line, e.column, e.message)
