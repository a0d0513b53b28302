"""An external merge sort: the merged dataset is sorted and de-duplicated through temporary files,
so memory stays bounded whatever the size of the inputs."""
from __future__ import annotations

import heapq
import tempfile
from collections import defaultdict
from typing import BinaryIO

from tajsec.merge.vocabulary import Progress

SORT_CHUNK = 250_000

class Spool:
    """Lines in any order in, sorted and de-duplicated lines out; sorted runs of `chunk` lines are
    spilled to temporary files, so memory stays bounded whatever the size of the inputs."""

    def __init__(self, chunk: int = SORT_CHUNK) -> None:
        self.chunk = chunk
        self.runs: list = []
        self.buf: list[str] = []
        self.added = 0

    def add(self, line: str) -> None:
        self.buf.append(line)
        self.added += 1
        if len(self.buf) >= self.chunk:
            self._spill()

    def _spill(self) -> None:
        self.buf.sort()
        f = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")  # noqa: SIM115 - a run, closed in close()
        f.writelines(self.buf)
        f.seek(0)
        self.runs.append(f)
        self.buf = []

    def finish(self, progress: Progress | None = None) -> tuple[BinaryIO, dict[str, int]]:
        """The sorted, de-duplicated N-Quads (a binary temporary file) and the triples per graph."""
        self.buf.sort()
        out = tempfile.TemporaryFile("w+b")  # noqa: SIM115 - returned open; the caller closes it
        counts: dict[str, int] = defaultdict(int)
        prev = None
        done = 0
        lines = heapq.merge(*self.runs, self.buf) if self.runs else iter(self.buf)
        for line in lines:
            done += 1
            if progress and done % 200_000 == 0:
                progress("sort", done, self.added)
            if line == prev:
                continue
            prev = line
            key, rest = line.split("\t", 1)
            counts[key[1:-1]] += 1
            out.write(rest.encode("utf-8"))
        if progress:
            progress("sort", self.added, self.added)
        out.flush()
        return out, dict(counts)

    def close(self) -> None:
        for f in self.runs:
            f.close()
        self.runs = []
        self.buf = []
