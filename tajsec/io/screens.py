"""The checks an input gets before (or beside) the parser: what pyoxigraph would otherwise do
dangerously (RDF/XML entities; RDF/XML nested so deep the parser slows quadratically) or
silently (JSON-LD keys, identifiers and language tags it drops without a word; remote
contexts it would need to fetch). Each check works on a whole file or, fed chunk by chunk, on a
stream (tajsec merge)."""
from __future__ import annotations

import contextlib
import json
import re
import xml.parsers.expat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from tajsec.core.errors import LoadError

ENTITY_REFUSED = ("RDF/XML that declares entities (<!ENTITY) is refused "
                  "(entity expansion can exhaust memory or read other files)")
MAX_XML_DEPTH = 1000


class EntityScreen:
    """Finds the first <!ENTITY declaration in RDF/XML read as a stream of byte chunks, and the
    line it is on."""

    def __init__(self) -> None:
        self.line = 1
        self.tail = b""

    def feed(self, chunk: bytes) -> int | None:
        window = self.tail + chunk
        i = window.find(b"<!ENTITY")
        if i >= 0:
            return self.line + window[:i].count(b"\n") - self.tail.count(b"\n")
        self.line += chunk.count(b"\n")
        self.tail = chunk[-16:]
        return None


class DepthScreen:
    """Refuses XML nested deeper than MAX_XML_DEPTH elements (pyoxigraph's RDF/XML parser takes
    seconds at 16,000 levels and minutes at 100,000), fed chunk by chunk."""

    def __init__(self, path: Path, limit: int = MAX_XML_DEPTH) -> None:
        self.path, self.limit, self.depth = path, limit, 0
        self.parser = xml.parsers.expat.ParserCreate()
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > self.limit:
            raise LoadError(str(self.path), self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1,
                            f"XML nested deeper than {self.limit} elements is refused")

    def _end(self, name: str) -> None:
        self.depth -= 1

    def feed(self, chunk: bytes, last: bool = False) -> None:
        # not well-formed: the RDF/XML parser reports it with its own words
        with contextlib.suppress(xml.parsers.expat.ExpatError):
            self.parser.Parse(chunk, last)


def refuse_entities(path: Path, data: bytes) -> None:
    line = EntityScreen().feed(data)
    if line is not None:
        raise LoadError(str(path), line, None, ENTITY_REFUSED)


def refuse_deep_xml(path: Path, data: bytes) -> None:
    DepthScreen(path).feed(data, last=True)


# -- JSON-LD ---------------------------------------------------------------------------------------

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class Dropped:
    """Something in a JSON-LD document that becomes no triple, and why."""

    text: str  # the key or value, to find its line
    why: str


def json_document(path: Path, data: bytes) -> Any:
    """The parsed JSON, or LoadError naming the line (invalid UTF-8 included)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise LoadError(str(path), line, None, f"not valid UTF-8 (byte {e.start})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise LoadError(str(path), None, None, "JSON nested too deeply") from None
    except ValueError as e:
        raise LoadError(str(path), getattr(e, "lineno", None), getattr(e, "colno", None),
                        f"invalid JSON: {getattr(e, 'msg', e)}") from None


def refuse_remote_contexts(path: Path, doc: Any) -> None:
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ctx = node.get("@context")
            for c in (ctx if isinstance(ctx, list) else [ctx]):
                if isinstance(c, str):
                    raise LoadError(str(path), None, None, f"JSON-LD @context {c!r} is remote or a file reference; "
                                                           "tajsec never fetches contexts: inline it")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _with_context(active: dict, ctx: Any) -> dict:
    """The active context after `ctx` (inline contexts only; remote ones are refused earlier).
    Simplified: terms accumulate; @base/@vocab set or cleared; null resets."""
    active = dict(active)
    for c in (ctx if isinstance(ctx, list) else [ctx]):
        if c is None:
            active = {}
        elif isinstance(c, dict):
            for k, v in c.items():
                active[k] = v
    return active


def _iri_problem(value: str, active: dict, vocab_relative: bool) -> str | None:
    if value.startswith("_:"):
        return None
    prefix = value.split(":", 1)[0]
    if ":" in value and prefix in active:
        return None
    if value in active:  # a term
        return None
    if _SCHEME.match(value):
        try:
            ox.NamedNode(value)
        except ValueError as e:
            return f"not a valid IRI ({e})"
        return None
    if vocab_relative and active.get("@vocab"):
        return None
    if not vocab_relative and active.get("@base"):
        return None
    return "a relative IRI with no @base to resolve it against" if not vocab_relative else \
        "a relative type with no @vocab to resolve it against"


def jsonld_dropped(doc: Any) -> list[Dropped]:
    """What pyoxigraph's JSON-LD parser would drop silently: keys that are neither terms of the
    (inline) context nor IRIs, identifiers that are relative with no base or invalid, types that
    are relative with no vocabulary, language tags that are not tags."""
    found: list[Dropped] = []
    stack: list[tuple[Any, dict]] = [(doc, {})]
    while stack:
        node, active = stack.pop()
        if isinstance(node, list):
            stack.extend((n, active) for n in node)
            continue
        if not isinstance(node, dict):
            continue
        if "@context" in node:
            active = _with_context(active, node["@context"])
        if "@value" in node:
            lang = node.get("@language")
            if isinstance(lang, str) and not _LANGUAGE_TAG.match(lang):
                found.append(Dropped(lang, f"@language {lang!r} is not a language tag: the value is dropped"))
            continue
        for key, value in node.items():
            if key == "@id" and isinstance(value, str):
                why = _iri_problem(value, active, vocab_relative=False)
                if why:
                    found.append(Dropped(value, f"@id {value!r} is {why}: the node's triples are dropped"))
            elif key == "@type":
                for t in (value if isinstance(value, list) else [value]):
                    why = _iri_problem(t, active, vocab_relative=True) if isinstance(t, str) else None
                    if why:
                        found.append(Dropped(t, f"@type {t!r} is {why}: dropped"))
            elif key.startswith("@"):
                if key in ("@graph", "@list", "@set", "@reverse", "@included", "@nest"):
                    stack.append((value, active))
            else:
                why = _iri_problem(key, active, vocab_relative=True)
                if why:
                    found.append(Dropped(key, f"key {key!r} is not a term of the @context nor an IRI: "
                                              "its values are dropped"))
                    continue
                term = active.get(key)
                if isinstance(term, dict) and "@context" in term:
                    stack.append((value, _with_context(active, term["@context"])))
                else:
                    stack.append((value, active))
    return found


def line_of(text: str, needle: str) -> int | None:
    """The first line of `text` on which the JSON string `needle` stands."""
    quoted = json.dumps(needle, ensure_ascii=False)
    for n, line in enumerate(text.splitlines(), start=1):
        if quoted in line:
            return n
    return None
