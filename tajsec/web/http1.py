"""The request head of `tajsec serve`, read without the e-mail parser.

`http.server` parses every request's header block with `email.parser` (a feed parser, then a
policy object per header looked up): about half the server's own time per query. A header block
of plain `Name: value` lines, the one clients send, is read here into a small mapping with what
that parser gives for it: the value after the colon without the spaces and tabs before it, the
first of repeated names, names in any case. Anything else (folded lines, a line without a colon)
still goes through `email.parser`, so the odd cases behave exactly as before. The limits are the
standard library's: 65,536 bytes a line (431 "Line too long") and 100 lines (431 "Too many
headers").
"""
from __future__ import annotations

import email.parser
import http.client
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import Protocol

MAX_LINE = 65536  # http.client._MAXLINE
MAX_HEADERS = 100  # http.client._MAXHEADERS
PLAIN_LINE = re.compile(rb"([!#$%&'*+.^_`|~0-9A-Za-z-]+):([^\r\n]*)\r?\n")


class _Lines(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


class Headers:
    """A plain header block: `get(name)` as `email.message.Message.get` answers it."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs
        self._first: dict[str, str] = {}
        for name, value in pairs:
            self._first.setdefault(name.lower(), value)

    def get(self, name: str, failobj: str | None = None) -> str | None:
        return self._first.get(name.lower(), failobj)

    def __getitem__(self, name: str) -> str | None:
        return self._first.get(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._first

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)


def read_headers(fp: _Lines) -> Headers | http.client.HTTPMessage:
    """The header block from `fp` (up to and with the empty line); LineTooLong or HTTPException
    when it breaks the limits, as `http.client.parse_headers`."""
    lines: list[bytes] = []
    while True:
        line = fp.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise http.client.LineTooLong("header line")
        lines.append(line)
        if len(lines) > MAX_HEADERS:
            raise http.client.HTTPException(f"got more than {MAX_HEADERS} headers")
        if line in (b"\r\n", b"\n", b""):
            break
    pairs = []
    for line in lines[:-1]:
        m = PLAIN_LINE.fullmatch(line)
        if m is None:  # folded, no colon, or odd: the standard library's reading
            text = b"".join(lines).decode("iso-8859-1")
            return email.parser.Parser(_class=http.client.HTTPMessage).parsestr(text)
        pairs.append((m[1].decode("ascii"), m[2].decode("iso-8859-1").lstrip(" \t")))
    return Headers(pairs)


class FastHead(BaseHTTPRequestHandler):
    """`BaseHTTPRequestHandler.parse_request` (CPython 3.11, the same checks and answers) with
    the header block read by `read_headers`."""

    def parse_request(self) -> bool:
        self.command = None  # type: ignore[assignment]  # set in case of error on the first line
        self.request_version = version = self.default_request_version
        self.close_connection = True
        raw: bytes = self.raw_requestline  # type: ignore[attr-defined]  # set by handle_one_request
        requestline = str(raw, "iso-8859-1").rstrip("\r\n")
        self.requestline = requestline
        words = requestline.split()
        if len(words) == 0:
            return False
        if len(words) >= 3:  # enough to know the protocol version
            version = words[-1]
            try:
                if not version.startswith("HTTP/"):
                    raise ValueError
                base_version_number = version.split("/", 1)[1]
                parts = base_version_number.split(".")
                if len(parts) != 2 or any(not p.isdigit() or len(p) > 10 for p in parts):
                    raise ValueError
                version_number = int(parts[0]), int(parts[1])
            except (ValueError, IndexError):
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request version ({version!r})")
                return False
            if version_number >= (1, 1) and self.protocol_version >= "HTTP/1.1":
                self.close_connection = False
            if version_number >= (2, 0):
                self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED,
                                f"Invalid HTTP version ({base_version_number})")
                return False
            self.request_version = version
        if not 2 <= len(words) <= 3:
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request syntax ({requestline!r})")
            return False
        command, path = words[:2]
        if len(words) == 2:
            self.close_connection = True
            if command != "GET":
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad HTTP/0.9 request type ({command!r})")
                return False
        self.command, self.path = command, path
        if self.path.startswith("//"):
            self.path = "/" + self.path.lstrip("/")  # reduce to a single /
        try:
            self.headers = read_headers(self.rfile)  # type: ignore[assignment]  # .get as HTTPMessage's
        except http.client.LineTooLong as err:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Line too long", str(err))
            return False
        except http.client.HTTPException as err:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers", str(err))
            return False
        conntype = (self.headers.get("Connection") or "").lower()
        if conntype == "close":
            self.close_connection = True
        elif conntype == "keep-alive" and self.protocol_version >= "HTTP/1.1":
            self.close_connection = False
        expect = (self.headers.get("Expect") or "").lower()
        if expect == "100-continue" and self.protocol_version >= "HTTP/1.1" and self.request_version >= "HTTP/1.1":
            return self.handle_expect_100()
        return True
