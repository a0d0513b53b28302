"""Line-level edits of our own Turtle files, for the maintenance commands that add properties to
existing blocks (`tajsec dev stated-in`, `tajsec dev time-bounds`): our files are in the house
layout (one block per subject, one property per line, blank lines between blocks), so a line can
be placed without re-serialising the file and the diff stays the few lines added."""
from __future__ import annotations

import re
from collections.abc import Iterator

SUBJECT = re.compile(r"^tsd:([^\s;]+)\s")


def lines_by_subject(text: str) -> Iterator[tuple[str | None, str]]:
    """Each line of `text` (ends kept) with the local name of the tsd: block it is in (None
    between blocks)."""
    current: str | None = None
    for line in text.splitlines(keepends=True):
        m = SUBJECT.match(line)
        if m:
            current = m.group(1)
        elif not line.strip():
            current = None
        yield current, line


def insert_properties(out: list[str], line: str, indent: str, end: str, new: list[str]) -> None:
    """Append to `out` the property line `line` (which ends with `end`, ";" or ".") and the
    property lines `new` after it, keeping the block's final "."."""
    if end == ";":
        out += [line] + [f"{indent}{n} ;\n" for n in new]
    else:
        out += [f"{indent}{n} ;\n" for n in new] + [line]
