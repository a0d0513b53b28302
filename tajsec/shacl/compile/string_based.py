"""SHACL 4.4, string-based constraint components: sh:minLength, sh:maxLength, sh:pattern,
sh:languageIn, sh:uniqueLang."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.shacl.shapes import Node, is_true, n3

if TYPE_CHECKING:
    from tajsec.shacl.compile.core import Check, Compiler, PropertyScope


def value_checks(c: Compiler, s: Node, v: str) -> list[Check]:
    out = []
    for name, op in (("minLength", "<"), ("maxLength", ">")):
        for limit in c.sh(s, name):
            out.append((name, f"(isBlank({v}) || COALESCE(STRLEN(STR({v})) {op} {int(limit.value)}, true))",
                        f"String length not {'>=' if op == '<' else '<='} {limit.value}"))
    flags = c.sh1(s, "flags")
    for pattern in c.sh(s, "pattern"):
        fl = f", {n3(ox.Literal(flags.value))}" if flags is not None else ""
        regex = f"REGEX(STR({v}), {n3(ox.Literal(pattern.value))}{fl})"
        out.append(("pattern", f"(isBlank({v}) || !COALESCE({regex}, false))",
                    f"Value does not match pattern '{pattern.value}'"))
    for lst in c.sh(s, "languageIn"):
        tags = [t.value for t in c.sg.rdf_list(lst)]
        cond = " || ".join(f"langMatches(LANG({v}), {n3(ox.Literal(t))})" for t in tags) or "false"
        out.append(("languageIn", f"!(isLiteral({v}) && LANG({v}) != \"\" && ({cond}))",
                    f"String language is not in {tags}"))
    return out


def _unique_lang(c: Compiler, s: Node) -> bool:
    c.mark(s, "uniqueLang")
    flag = c.sh1(s, "uniqueLang")
    return flag is not None and is_true(flag)


def unique_lang_queries(scope: PropertyScope) -> None:
    if not _unique_lang(scope.c, scope.s):
        return
    path, focus = scope.path, scope.focus
    # one result per language tag used more than once (SHACL 4.4.5), so one row per tag
    q = (f"SELECT DISTINCT ?this (LCASE(LANG(?a)) AS ?lang) WHERE {{ {focus} ?this {path} ?a . ?this {path} ?b . "
         f"FILTER(!sameTerm(?a, ?b) && isLiteral(?a) && isLiteral(?b) && LANG(?a) != \"\" && "
         f"LCASE(LANG(?a)) = LCASE(LANG(?b))) }}")
    scope.add("uniqueLang", q, "More than one String shares the same Language", None)


def unique_lang_fails(c: Compiler, s: Node, x: str, path: str) -> list[str]:
    if not _unique_lang(c, s):
        return []
    a, b = c.var(), c.var()
    return [(f"EXISTS {{ {x} {path} {a} . {x} {path} {b} . FILTER(!sameTerm({a}, {b}) && "
            f"isLiteral({a}) && isLiteral({b}) && LANG({a}) != \"\" && LCASE(LANG({a})) = LCASE(LANG({b}))) }}")]
