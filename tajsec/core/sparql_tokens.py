"""SPARQL's tokens, for the fast reader of query shapes (`tajsec.core.sparql_syntax`)."""
from __future__ import annotations

import re
from typing import NamedTuple


class SyntaxNotTraced(ValueError):
    """A query this reader cannot follow (the engine may still run it)."""


# One match per token, with the white space and comments before it (half as many matches as
# matching those apart); possessive runs (`++`, `*+`): a run of name or string characters is read
# at once, never backtracked; the most frequent kinds are tried first ("brace": the marks no other
# token can start with, punctuation as the rest).
_SPACE = re.compile(r"(?:\s+|\#[^\n]*)*+")
_TOKEN = re.compile(r"""(?:\s+|\#[^\n]*)*+(?:
   (?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
 | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\u00B7-\uFFFF-]*+)?:(?:[\w\u00B7-\uFFFF:%-]++|\\.|\.(?=[\w:%-]))*+)
 | (?P<bnode>_:[A-Za-z0-9_\u00B7-\uFFFF.-]*[A-Za-z0-9_\u00B7-\uFFFF-])
 | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
 | (?P<brace>[{};,()\[\]])
 | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
 | (?P<str>\"\"\"(?:[^"\\]++|\\.|"(?!""))*+\"\"\"|'''(?:[^'\\]++|\\.|'(?!''))*+'''
           |"(?:[^"\\\n]++|\\.)*+"|'(?:[^'\\\n]++|\\.)*+')
 | (?P<num>[+-]?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+|\d+))
 | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
 | (?P<punct>\^\^|&&|\|\||<=|>=|!=|[./|^*+?!=<>-])
)""", re.X)


class Tok(NamedTuple):  # a tuple, not a dataclass: a query has hundreds, made in a hurry
    kind: str
    text: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


_new = tuple.__new__  # a Tok made without the call of its __new__: a fifth of the tokenizer's time


# A PREFIX or BASE declaration, read whole: a query's prologue is a fifth of its tokens, and
# read by the tokens it would cost as much as any other part. Its pieces are the tokens' own
# (the keyword then a space or comment, as no other token could follow it; a prefix name; an
# IRI), so a declaration this misses is left to the tokens, which read it or say what is wrong.
DECLARATION = re.compile(r"""(?:\s+|\#[^\n]*)*+(?:
   (?i:PREFIX)(?:\s+|\#[^\n]*)++(?P<name>(?:[A-Za-z\u00C0-\uFFFF][\w.\u00B7-\uFFFF-]*+)?):
 | (?i:BASE))(?:\s+|\#[^\n]*)*+<(?P<iri>[^<>"{}|^`\\\x00-\x20]*)>""", re.X)


def tokenize(text: str, pos: int = 0) -> list[Tok]:
    """The tokens of `text` from offset `pos` on; SyntaxNotTraced at a character no token starts with."""
    toks: list[Tok] = []
    append = toks.append
    for m in _TOKEN.finditer(text, pos):
        if m.start() != pos:
            break
        group = m.lastgroup or ""  # every alternative is named
        token = m[group]
        pos = m.end()
        append(_new(Tok, ("punct" if group == "brace" else group, token, pos - len(token), pos)))
    pos = _SPACE.match(text, pos).end()  # type: ignore[union-attr]  # it matches the empty string too
    if pos < len(text):
        raise SyntaxNotTraced(f"unexpected character {text[pos]!r} at offset {pos}")
    return toks


_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def unescape(body: str) -> str:
    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)",
                  lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] in "uU" and len(m.group(1)) > 1
                  else _ESCAPES.get(m.group(1), m.group(1)), body)


__all__ = ["DECLARATION", "SyntaxNotTraced", "Tok", "tokenize", "unescape"]
