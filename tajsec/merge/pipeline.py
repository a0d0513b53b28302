"""`merge`: our graphs, then each input, into one sorted spool; the report alongside; the
metadata graph last."""
from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.errors import LoadError
from tajsec.core.project import Project
from tajsec.core.terms import AnyTerm
from tajsec.graph.build import build
from tajsec.io.load import InputFile, format_for
from tajsec.merge.analysis import analyse, analysis_predicates, sort_report
from tajsec.merge.analysis_store import analysis_store, on_disk_for
from tajsec.merge.inputs import InputReader, LoadedInput, screen_error
from tajsec.merge.metadata import metadata
from tajsec.merge.ours import Ours, our_labels, our_side
from tajsec.merge.output import MergeResult
from tajsec.merge.report import InputInfo, MergeReport
from tajsec.merge.spool import Spool
from tajsec.merge.terms import nt
from tajsec.merge.vocabulary import DISPLAY_PREFIXES, META_GRAPH, Progress

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tajsec.graph.build import Built
    from tajsec.merge.inputs import LoadedInput


def merge(project: Project, inputs: list[Path], allow_ontology_changes: bool = False,
          progress: Progress | None = None, timestamp: datetime | str | None = None,
          analysis_on_disk: bool | None = None) -> MergeResult:
    """Merge `inputs` with our ontology and instances (see the package docstring).

    `progress(label, done, total)` is called while each input is read (label: the path as given,
    in bytes) and while the result is sorted (label "sort", in quads). `timestamp`, if given (a
    datetime or an ISO 8601 string), is recorded as the time the inputs were loaded; by default no
    time is recorded, so that the output depends on the inputs only. `analysis_on_disk`: keep what
    the analysis reads in an on-disk store (None: only for inputs over `IN_MEMORY_LIMIT` bytes).
    Raises LoadError for an input that cannot be read or parsed. Nothing is written: see `write_trig`."""
    for p in inputs:
        format_for(Path(p))  # unknown extension: LoadError before any work
    on_disk = on_disk_for(inputs) if analysis_on_disk is None else analysis_on_disk
    built = build(project)
    ours = our_side(built, project.root)
    report = MergeReport(allow_ontology_changes=allow_ontology_changes)
    if timestamp is not None:
        report.timestamp = timestamp.isoformat() if isinstance(timestamp, datetime) else str(timestamp)
    spool = Spool()
    nquads = None
    try:
        _spool_ours(built, ours, spool)
        warnings: list = []
        with analysis_store(built.store, on_disk) as store:
            del built  # on disk, the analysis holds a copy: the build's store is freed
            reader = InputReader(store, spool, ours, analysis_predicates(ours), allow_ontology_changes, warnings,
                                 on_disk)
            loaded = _read_inputs(reader, inputs, report, progress)
            del reader, store
        sort_report(report)
        nquads, counts = spool.finish(progress)
        _count_triples(report, loaded, counts)
        meta = sorted(line(s, p, o, META_GRAPH.value, None).split("\t", 1)[1]
                      for s, p, o in metadata(ours, project.root, report, counts, report.timestamp))
        nquads.seek(0, os.SEEK_END)
        nquads.write("".join(meta).encode("utf-8"))
        counts[META_GRAPH.value] = len(meta)
    except BaseException:
        if nquads is not None:
            nquads.close()
        raise
    finally:
        spool.close()
    prefixes = _input_prefixes(loaded.values())
    all_prefixes = {**dict(sorted(prefixes.items())), **DISPLAY_PREFIXES}
    left_out = {x.info.graph: x.left_out for x in loaded.values()}
    return MergeResult(report, nquads, dict(sorted(all_prefixes.items())), left_out, dict(sorted(counts.items())),
                       warnings)


def _spool_ours(built: Built, ours: Ours, spool: Spool) -> None:
    labels = our_labels(built, ours)
    for g in sorted(ours.graphs):
        for q in built.store.quads_for_pattern(None, None, None, ox.NamedNode(g)):
            spool.add(line(q.subject, q.predicate, q.object, g, labels))


def _read_inputs(reader: InputReader, inputs: list[Path], report: MergeReport,
                 progress: Progress | None) -> dict[str, LoadedInput]:
    """Each input read once, in order; an input with the same bytes as an earlier one is listed
    as its duplicate and merged once. Returns the inputs read, by SHA-256."""
    loaded: dict[str, LoadedInput] = {}
    for raw in inputs:
        given = str(raw)
        try:
            with InputFile(Path(raw), strict=False, warnings=reader.warnings) as source:
                sha = source.screen()
                if sha in loaded:
                    first = loaded[sha].info
                    report.inputs.append(InputInfo(given, first.graph, sha, first.media_type, source.size, 0, 0, 0,
                                                   duplicate_of=first.path))
                    continue
                loaded[sha] = reader.read(source, given, report, progress)
        except LoadError as e:
            raise screen_error(given, e) from None
        report.inputs.append(loaded[sha].info)
        analyse(reader.store, loaded[sha].info, loaded[sha].labels, reader.ours, report)
    return loaded


def _count_triples(report: MergeReport, loaded: dict[str, LoadedInput], counts: dict[str, int]) -> None:
    """Triples kept, left out and parsed of each input, now that the output is de-duplicated."""
    for info in report.inputs:
        first = loaded[info.sha256]
        info.triples_kept = sum(counts.get(g, 0) for g in [first.info.graph, *first.info.subgraphs.values()])
        info.left_out = first.left_out_count
        info.triples_parsed = info.triples_kept + info.left_out


def _input_prefixes(loaded: Iterable[LoadedInput]) -> dict[str, str]:
    """Prefixes the inputs declare, for the output: well-formed, and naming no namespace twice."""
    prefixes: dict[str, str] = {}
    for x in loaded:
        for k, v in x.prefixes.items():
            if re.fullmatch(r"[A-Za-z][\w-]*", k) and k not in DISPLAY_PREFIXES \
                    and v not in DISPLAY_PREFIXES.values() and v not in prefixes.values():
                prefixes.setdefault(k, v)
    return prefixes


def line(s: AnyTerm, p: ox.NamedNode, o: AnyTerm, graph: str, labels: dict | None) -> str:
    """A sort line: the graph, a tab, then the N-Quads line (graphs first, then subjects...)."""
    g = f"<{graph}>"
    return f"{g}\t{nt(s, labels)} {nt(p)} {nt(o, labels)} {g} .\n"
