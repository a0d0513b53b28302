"""Spelling-insensitive forms of names, for candidate matches by label across transliterations."""
from __future__ import annotations

import re
import unicodedata

_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєўқғҳҷӣӯ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s",
     "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "i", "e", "u",
     "q", "gh", "h", "j", "i", "u"], strict=True))


def normalise_name(text: str) -> str:
    """A spelling-insensitive form of a name: lower case, no diacritics, Cyrillic transliterated,
    kh->h, gh->g, dzh/dj/zh->j, y->i, double letters single, -ov/-ev/-ova/-eva dropped, "the"
    dropped. "Rakhmonov" and "Rahmonov" give "rahmon"; "Khorogh" and "Khorog" give "horog"."""
    t = unicodedata.normalize("NFKC", text).lower()
    t = "".join(_CYRILLIC.get(ch, ch) for ch in t)
    t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    t = re.sub(r"['’ʼ`´]", "", t)
    tokens = []
    for tok in re.sub(r"[^0-9a-z]+", " ", t).split():
        if tok == "the":
            continue
        if not tok.isdigit():
            for a, b in (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("gh", "g"), ("y", "i")):
                tok = tok.replace(a, b)
            tok = re.sub(r"(.)\1+", r"\1", tok)
            stem = re.sub(r"(ova|eva|ov|ev)$", "", tok)
            if len(stem) >= 3:
                tok = stem
        tokens.append(tok)
    return " ".join(tokens)


def skeleton(normalised: str) -> str:
    """First letter and consonants of each word of four letters or more ("kuliab" and "kulob" both
    give "klb"); shorter words and numbers unchanged."""
    out = []
    for tok in normalised.split():
        if len(tok) >= 4 and not tok.isdigit():
            tok = tok[0] + re.sub(r"[aeiou]", "", tok[1:])
        out.append(tok)
    return " ".join(out)
