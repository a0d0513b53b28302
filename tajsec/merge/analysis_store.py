"""Where a merge keeps what its analysis reads: our graph and the input triples the analysis looks
at (see `analysis_predicates`). In memory (the build's own store) while the inputs are small; for
inputs beyond IN_MEMORY_LIMIT bytes in all, an on-disk store in a temporary folder, so that memory
stays bounded whatever their size (pyoxigraph's RocksDB store; the merge then takes 1.6-2 times
as long: README.md, "Merging with other datasets")."""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pyoxigraph as ox

IN_MEMORY_LIMIT = 1024**3  # bytes of input: at 1.5 GB of N-Triples (10M triples) the analysis in memory took 3 GB


def on_disk_for(inputs: Iterable[Path]) -> bool:
    """Whether inputs of this size go to an on-disk analysis store (files that cannot be sized
    count as nothing: reading them fails later with a clear error)."""
    total = 0
    for p in inputs:
        with suppress(OSError):
            total += Path(p).stat().st_size
    return total > IN_MEMORY_LIMIT


@contextmanager
def analysis_store(ours: ox.Store, on_disk: bool) -> Iterator[ox.Store]:
    """`ours` itself, or a temporary on-disk store holding a copy of it (not holding on to `ours`,
    so that the caller can free it), removed on the way out. The caller drops its references to
    the store before leaving the block: its files are closed when it is freed."""
    if not on_disk:
        yield ours
        return
    folder = tempfile.mkdtemp(prefix="tajsec-merge-analysis-")
    held: list[ox.Store] = []  # the one reference this frame keeps, dropped before the folder goes
    try:
        held.append(ox.Store(folder))
        held[0].bulk_extend(ours)
        del ours
        yield held[0]
    finally:
        held.clear()
        shutil.rmtree(folder, ignore_errors=True)
