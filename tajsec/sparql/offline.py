"""Refuse queries that would reach the network, found by parsing the query, not by matching text.

The query is parsed with rdflib's SPARQL 1.1 grammar (which also expands `\\uXXXX` escapes as the
specification requires) and its syntax tree is searched for SERVICE patterns, at any depth (sub-
SELECTs, EXISTS, OPTIONAL, UNION, MINUS, GRAPH). A query rdflib cannot parse is let through to
the engine, which runs it in a worker with no network (`sandbox.py`) and reports the syntax
error with its line and column; where the OS gives no network namespace, such a query is
refused instead.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

NETWORK_PATTERNS = {"ServiceGraphPattern": "SERVICE"}
NETWORK_UPDATES = {"Load": "LOAD"}


def _walk(node: Any) -> str | None:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            if x.name in NETWORK_PATTERNS:
                return NETWORK_PATTERNS[x.name]
            if x.name in NETWORK_UPDATES:
                return NETWORK_UPDATES[x.name]
            stack.extend(x.values())
        elif isinstance(x, (list, tuple, ParseResults)):
            stack.extend(x)
        elif isinstance(x, dict):
            stack.extend(x.values())
    return None


@lru_cache(maxsize=512)
def _parsed(text: str) -> Any:  # rdflib's parse results, untyped
    """rdflib's syntax tree of a query or update, or None when its parser does not accept it."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    for parse in (parseQuery, parseUpdate):
        try:
            return parse(text)
        except Exception:  # noqa: BLE001 - any parser failure means "not understood"
            pass
    return None


@lru_cache(maxsize=1024)  # a client repeats its queries: the same text, one look
def _plain(text: str, *words: str) -> bool:
    """Whether `text` cannot hold any of `words` as a keyword, however it is parsed, so that the
    parser, slow (tens of ms a query), is not needed to tell. Not when it has an escape
    (`\\u0053ERVICE` is SERVICE) or one of the words in any case, also once case mapping or
    compatibility normalisation has turned non-ASCII letters into ASCII ones (`ſERVICE` and
    `SERVıCE` are SERVICE to rdflib's parser, fullwidth letters are to NFKC). Not counted: a word
    inside a longer name (`?from`, `ts:distanceFrom`, `servicemen`: a keyword neither follows nor
    is followed by a letter, digit or `_`, nor follows `?`, `$`, `:` or `-`), and lines that start with
    `#` (a comment, or the inside of a long string: no keyword either way; lines end at CR or LF)."""
    if "\\" in text:
        return False
    live = "\n".join(line for line in _LINE_END.split(text) if not line.lstrip(" \t").startswith("#"))
    forms = (live.upper().lower(), unicodedata.normalize("NFKC", live).casefold())
    keyword = _keywords(words)
    return not any(keyword.search(form) for form in forms)


_LINE_END = re.compile(r"[\r\n]")


@lru_cache(maxsize=16)
def _keywords(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of `words` (lower case), not inside a longer name (see `_plain`)."""
    return re.compile(r"(?<![a-z0-9_?$:-])(?:" + "|".join(map(re.escape, words)) + r")(?![a-z0-9_])")


def network_use(text: str) -> tuple[str | None, bool]:
    """(the keyword that would reach the network, or None; whether the parser understood the
    query at all)."""
    tree = _parsed(text)
    return (None, False) if tree is None else (_walk(tree), True)


def declares_dataset(text: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED). A query the parser does not
    accept counts as not declaring one (the engine then reports its syntax error)."""
    if _plain(text, "from"):
        return False
    tree = _parsed(text)
    if tree is None or isinstance(tree, dict):  # not understood, or an update (a dict of its own)
        return False
    return any(isinstance(part, dict) and dict.get(part, "datasetClause") for part in tree)


def refusal(text: str, sandboxed: bool) -> str | None:
    """Why the query must not run without --allow-network, or None if it may. In a sandbox, a
    query that cannot name SERVICE or LOAD at all is let through without parsing it."""
    if sandboxed and _plain(text, "service", "load"):
        return None
    keyword, understood = network_use(text)
    if keyword:
        return (f"the query uses {keyword}, which would reach the network; "
                "tajsec refuses it unless --allow-network is given")
    if not understood and not sandboxed:
        return ("the query could not be checked for SERVICE (the SPARQL parser did not accept it) "
                "and this system gives no network namespace to run it in; "
                "tajsec refuses it unless --allow-network is given")
    return None
