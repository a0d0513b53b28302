"""The one error type of tajsec, with the exit code it means, and the one reading of
pyoxigraph's parser messages (where a syntax error is: line, column, what).

Every error a user can cause is a `TajsecError`; the CLI's boundary (`tajsec.cli.base`) prints
it as `error: MESSAGE` and exits with its `exit_code` (2: cannot run).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


class TajsecError(Exception):
    """An error to report to the user in one line; `exit_code` is what the CLI exits with."""

    exit_code = 2


@dataclass
class LoadError(TajsecError):
    """A file that cannot be read or parsed; names the file, line and column."""

    path: str
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


_DATA_PARSER_PREFIX = re.compile(r"^Parser error at line \d+(?: between columns \d+ and \d+| column \d+)?: ")
_QUERY_PARSER = re.compile(r"error at (\d+):(\d+): (.*)", re.S)
_REMOTE_CONTEXT = "LoadDocumentCallback"


def data_syntax_error(path: str | Path, e: SyntaxError) -> LoadError:
    """The LoadError for pyoxigraph's SyntaxError while parsing RDF data."""
    msg = _DATA_PARSER_PREFIX.sub("", str(e.msg if getattr(e, "msg", None) else e))
    if _REMOTE_CONTEXT in msg:
        msg = "a JSON-LD @context that is not inline would have to be fetched; tajsec never fetches (inline it)"
    return LoadError(str(path), e.lineno, e.offset, msg)


def query_syntax_message(e: SyntaxError) -> str:
    """pyoxigraph's SyntaxError for a SPARQL query, as 'syntax error at line L, column C: what'."""
    m = _QUERY_PARSER.search(str(e))
    if not m:
        return f"syntax error: {e}"
    return f"syntax error at line {m.group(1)}, column {m.group(2)}: {m.group(3)}"
