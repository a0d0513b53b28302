"""The merged dataset and its one serialisation: sorted, deterministic TriG, written atomically;
and the rule that a merge never writes over one of its inputs."""
from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from tajsec.io.load import STDIN
from tajsec.io.write import SortedPrefixWriter, atomic_writer
from tajsec.merge.report import MergeReport


class MergeResult:
    """What `merge` returns: the report, and the merged dataset as sorted, de-duplicated N-Quads in
    a temporary file (every term exactly as parsed), ready for `write_trig`. Close it (or use it as a
    context manager) to delete the temporary file early."""

    def __init__(self, report: MergeReport, nquads: BinaryIO, prefixes: dict[str, str],
                 left_out: dict[str, list[str]], counts: dict[str, int], warnings: list | None = None) -> None:
        self.report = report
        self.warnings = warnings or []  # rdfio.LoadWarning: ill-typed literals, byte-order marks
        self.prefixes = prefixes
        self.left_out = left_out        # input graph -> N-Triples lines left out of the output
        self.counts = counts            # graph IRI -> triples in the output
        self._nquads = nquads

    @property
    def graphs(self) -> list[str]:
        return sorted(self.counts)

    def input_graph(self, path: Path | str) -> str:
        for i in self.report.inputs:
            if i.path == str(path):
                return i.graph
        raise KeyError(path)

    def quad_count(self) -> int:
        return sum(self.counts.values())

    def nquads(self) -> bytes:
        """The merged dataset as sorted N-Quads (small merges; large ones: `write_trig`)."""
        self._nquads.seek(0)
        return self._nquads.read()

    def dataset(self) -> ox.Dataset:
        self._nquads.seek(0)
        return ox.Dataset(ox.parse(self._nquads, format=ox.RdfFormat.N_QUADS))

    def close(self) -> None:
        self._nquads.close()

    def __enter__(self) -> MergeResult:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()



def _write(result: MergeResult, out: BinaryIO) -> None:
    result._nquads.seek(0)
    w = SortedPrefixWriter(out, result.prefixes)
    quads = ox.parse(result._nquads, format=ox.RdfFormat.N_QUADS)
    ox.serialize(quads, w, format=ox.RdfFormat.TRIG, prefixes=result.prefixes)  # type: ignore[arg-type]  # only write()
    w.finish()


def trig_bytes(result: MergeResult) -> bytes:
    """The merged dataset as TriG: graphs, then subjects, in code-point order, the metadata graph
    last (deterministic)."""
    buf = io.BytesIO()
    _write(result, buf)
    return buf.getvalue()


def write_trig(result: MergeResult, path: Path) -> None:
    """Write the merged dataset as sorted TriG to `path`, atomically and streamed, so that a
    large merge is never held in memory. On failure `path` is left as it was."""
    with atomic_writer(path) as f:
        _write(result, f)


def write_outputs(result: MergeResult, output: Path, report_path: Path | None) -> None:
    """The merged TriG and, if asked, the JSON report: both written to temporary files first and
    renamed into place only when both are complete, so that a failure writes neither."""
    with contextlib.ExitStack() as stack:
        trig = stack.enter_context(atomic_writer(output))
        if report_path is not None:
            stack.enter_context(atomic_writer(report_path)).write(result.report.as_json().encode("utf-8"))
        _write(result, trig)


class OverwritesInput(ValueError):
    """An output of the merge would be one of its inputs."""


def refuse_overwriting_inputs(inputs: list[Path], outputs: dict[str, Path | None]) -> None:
    """Raises OverwritesInput if an output (option name -> path) is an input, by any name: the
    same path, a symbolic link to it or a hard link of it."""
    for option, out in outputs.items():
        if out is None or not os.path.exists(out):
            continue
        for given in inputs:
            if str(given) != STDIN and os.path.exists(given) and os.path.samefile(out, given):
                raise OverwritesInput(f"{option} {out} is the input {given}; refusing to write over it")
