"""The shape of a SPARQL SELECT or CONSTRUCT query, read fast and without an engine: its prefixes,
what it projects, its GROUP BY, and the triple patterns of its WHERE clause with where each sits
(plain, OPTIONAL, UNION branch, EXISTS, NOT EXISTS, MINUS, sub-SELECT; in which GRAPH), its
dataset (FROM, FROM NAMED). RDF collections in patterns become their rdf:first/rdf:rest triples,
as the engine reads them.

Used to trace which triples produced an answer (`tajsec.evidence`) and which statements produced
a derived triple (`tajsec.graph.derivation`). Expressions (FILTER, BIND, projections) are skipped,
not evaluated: the engine evaluates them; here only the patterns matter. rdflib's parser would do,
but takes ~80 ms a query; this reader takes well under 1 ms.
"""
from __future__ import annotations

import re

from tajsec.core.namespaces import RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, XSD
from tajsec.core.sparql_shape import (
    Iri,
    Lit,
    Path,
    PathAlt,
    PathInv,
    PathMod,
    PathNeg,
    PathSeq,
    Pattern,
    Query,
    Select,
    Term,
    Var,
)
from tajsec.core.sparql_tokens import DECLARATION, SyntaxNotTraced, Tok, tokenize, unescape


class _Cursor:
    """Tokens, a position, the prefixes."""

    def __init__(self, text: str, prefixes: dict[str, str] | None):
        self.text = text
        self.prefixes = dict(prefixes or {})
        self.declared_to = pos = 0  # the declarations read whole (see DECLARATION) end here
        while m := DECLARATION.match(text, pos):
            if m["name"] is not None:
                self.prefixes[m["name"]] = m["iri"]
            self.declared_to = pos = m.end()
        self.toks = tokenize(text, pos)
        self.n = len(self.toks)
        self.i = 0
        self.anon = 0
        self.groups = 0  # OPTIONAL groups and UNION branches numbered so far
        self.default_graphs: list[str] | None = None
        self.named_graphs: list[str] | None = None
        self.dataset_span = (0, 0)

    # -- cursor ----------------------------------------------------------------------------
    def peek(self, k: int = 0) -> Tok | None:
        j = self.i + k
        return self.toks[j] if j < self.n else None

    def here(self) -> Tok:
        """The token at the cursor (not consumed); SyntaxNotTraced at the end of the query."""
        t = self.peek()
        if t is None:
            raise SyntaxNotTraced("the query ends too early")
        return t

    def next(self) -> Tok:
        i = self.i
        if i >= self.n:
            raise SyntaxNotTraced("the query ends too early")
        self.i = i + 1
        return self.toks[i]

    def at(self, text: str) -> bool:
        i = self.i
        return i < self.n and self.toks[i].text == text and self.toks[i].kind == "punct"

    def at_word(self, *words: str) -> bool:
        i = self.i
        return i < self.n and self.toks[i].kind == "word" and self.toks[i].text.upper() in words

    def expect(self, text: str) -> Tok:
        t = self.next()
        if t.text != text and t.text.upper() != text:
            raise SyntaxNotTraced(f"expected {text!r}, found {t.text!r} at offset {t.start}")
        return t

    def skip_balanced(self) -> None:
        """Skip a parenthesised expression, reading the patterns of any EXISTS inside."""
        depth = 0
        while True:
            t = self.next()
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth -= 1
                if depth == 0:
                    return
            elif t.is_word("EXISTS"):
                negated = self.toks[self.i - 2].is_word("NOT")
                self.group(self._sink, "not-exists" if negated else "exists")

    def group(self, sel: Select, ctx: str) -> None:
        raise NotImplementedError

    _sink: Select


_IRI_KINDS = ("iri", "pname", "word")  # "word": `a`, which `iri` reads as rdf:type
_PATH_MARKS = frozenset("/|?*+")  # after a predicate: it is part of a path


class _Triples(_Cursor):
    """Terms, property paths and triples blocks."""

    # -- terms -----------------------------------------------------------------------------
    def iri(self, t: Tok) -> Iri:
        if t.kind == "iri":
            return Iri(t.text[1:-1])
        if t.kind == "pname":
            p, local = t.text.split(":", 1)
            if p not in self.prefixes:
                raise SyntaxNotTraced(f"undeclared prefix {p!r}")
            return Iri(self.prefixes[p] + (re.sub(r"\\(.)", r"\1", local) if "\\" in local else local))
        if t.is_word("A") and t.text == "a":
            return Iri(RDF_TYPE)
        raise SyntaxNotTraced(f"expected an IRI, found {t.text!r} at offset {t.start}")

    def fresh(self) -> Var:
        self.anon += 1
        return Var(f" anon{self.anon}")  # a space: no query variable can be named so

    def term(self, ctx: str, out: list) -> Term:
        t = self.next()
        if t.kind == "var":
            return Var(t.text[1:])
        if t.kind in ("iri", "pname"):
            return self.iri(t)
        if t.kind == "bnode":
            return Var(" " + t.text)
        if t.kind == "str":
            q = 3 if t.text[:3] in ('"""', "'''") else 1
            value = unescape(t.text[q:-q])
            nxt = self.peek()
            if nxt is not None and nxt.kind == "lang":
                self.i += 1
                return Lit(value, language=nxt.text[1:].lower())
            if nxt is not None and nxt.text == "^^":
                self.i += 1
                dt = self.iri(self.next()).value
                return Lit(value, datatype=None if dt == XSD + "string" else dt)
            return Lit(value)
        if t.kind == "num":
            v = t.text
            dt = "double" if "e" in v.lower() else "decimal" if "." in v else "integer"
            return Lit(v, datatype=XSD + dt)
        if t.is_word("TRUE", "FALSE"):
            return Lit(t.text.lower(), datatype=XSD + "boolean")
        if t.text == "[":
            node = self.fresh()
            if not self.at("]"):
                self.property_list(node, ctx, out)
            self.expect("]")
            return node
        if t.text == "(":
            return self.collection(ctx, out)
        raise SyntaxNotTraced(f"expected a term, found {t.text!r} at offset {t.start}")

    def collection(self, ctx: str, out: list) -> Term:
        """An RDF collection `( a b )` (its "(" read): the list's triples, as the engine makes
        them with fresh blank nodes; its head (rdf:nil for `()`)."""
        if self.at(")"):
            self.i += 1
            return Iri(RDF_NIL)
        head = node = self.fresh()
        while True:
            out.append(Pattern(node, Iri(RDF_FIRST), self.term(ctx, out), ctx))
            if self.at(")"):
                self.i += 1
                out.append(Pattern(node, Iri(RDF_REST), Iri(RDF_NIL), ctx))
                return head
            rest = self.fresh()
            out.append(Pattern(node, Iri(RDF_REST), rest, ctx))
            node = rest

    # -- paths -----------------------------------------------------------------------------
    def path(self) -> Path:
        options = [self.path_seq()]
        while self.at("|"):
            self.i += 1
            options.append(self.path_seq())
        return options[0] if len(options) == 1 else PathAlt(tuple(options))

    def path_seq(self) -> Path:
        steps = [self.path_elt()]
        while self.at("/"):
            self.i += 1
            steps.append(self.path_elt())
        return steps[0] if len(steps) == 1 else PathSeq(tuple(steps))

    def path_elt(self) -> Path:
        inverse = self.at("^")
        if inverse:
            self.i += 1
        t = self.next()
        if t.text == "(":
            p = self.path()
            self.expect(")")
        elif t.text == "!":
            p = self.negated(t.start)
        else:
            p = self.iri(t)
        nxt = self.peek()
        if nxt is not None and nxt.kind == "punct" and nxt.text in ("?", "*", "+"):
            self.i += 1
            p = PathMod(p, nxt.text)
        return PathInv(p) if inverse else p

    def negated(self, start: int) -> PathNeg:
        """A negated property set, its "!" read: `!iri`, `!^iri` or `!( ... | ... )`."""
        forward: list[str] = []
        inverse: list[str] = []
        grouped = self.at("(")
        if grouped:
            self.i += 1
        while not (grouped and self.at(")")):
            inverted = self.at("^")
            if inverted:
                self.i += 1
            (inverse if inverted else forward).append(self.iri(self.next()).value)
            if not (grouped and self.at("|")):
                break
            self.i += 1
        if grouped:
            self.expect(")")
        return PathNeg(self.text[start:self.toks[self.i - 1].end], tuple(forward), tuple(inverse))

    def verb(self) -> Path:
        i = self.i
        if i < self.n:
            t = self.toks[i]
            if t.kind == "var":
                self.i = i + 1
                return Var(t.text[1:])
            if t.kind in _IRI_KINDS and (i + 1 == self.n or self.toks[i + 1].text not in _PATH_MARKS):
                self.i = i + 1  # a plain predicate, most verbs: no path to read
                return self.iri(t)
        return self.path()

    # -- triples ---------------------------------------------------------------------------
    def property_list(self, subject: Term, ctx: str, out: list) -> None:
        while True:
            p = self.verb()
            while True:
                o = self.term(ctx, out)
                out.append(Pattern(subject, p, o, ctx))
                if not self.at(","):
                    break
                self.i += 1
            while self.at(";"):
                self.i += 1
            t = self.peek()
            if t is None or (t.kind == "punct" and t.text in (".", "]", "}", "{")) or t.is_word(
                    "OPTIONAL", "FILTER", "BIND", "VALUES", "MINUS", "GRAPH", "SERVICE", "UNION"):
                return

    def triples(self, ctx: str, out: list) -> None:
        subject = self.term(ctx, out)
        if self.at(".") or self.at("}"):
            return  # a bare [ ... ] subject
        self.property_list(subject, ctx, out)


class _Reader(_Triples):
    """Group graph patterns and queries."""

    # -- groups ----------------------------------------------------------------------------
    def group(self, sel: Select, ctx: str) -> None:
        self.expect("{")
        if self.at_word("SELECT"):
            sub = Select()
            self.select(sub)
            sel.subselects.append(sub)
            self.expect("}")
            return
        while not self.at("}"):
            t = self.peek()
            if t is None:
                raise SyntaxNotTraced("unbalanced braces")
            if t.text == ".":
                self.i += 1
            elif t.is_word("OPTIONAL"):
                self.i += 1
                self.branch(sel, "optional" if ctx == "required" else ctx)
            elif t.is_word("MINUS"):
                self.i += 1
                self.group(self._sink, "minus")
            elif t.is_word("FILTER"):
                self.i += 1
                if self.at_word("NOT", "EXISTS"):
                    negated = self.at_word("NOT")
                    self.i += 2 if negated else 1
                    self.group(self._sink, "not-exists" if negated else "exists")
                else:
                    if self.here().kind in ("word", "pname", "iri"):
                        self.i += 1  # a function call: FILTER regex(...)
                    self.skip_balanced()
            elif t.is_word("BIND"):
                self.i += 1
                self.skip_balanced()
            elif t.is_word("VALUES"):
                self.i += 1
                self.values()
            elif t.is_word("SERVICE"):
                self.i += 1
                if self.at_word("SILENT"):
                    self.i += 1
                self.next()
                self.group(sel, "service")
            elif t.is_word("GRAPH"):
                self.i += 1
                self.graph(sel, ctx)
            elif t.text == "{":
                self.union(sel, ctx)
            else:
                self.triples(ctx, sel.patterns)
        self.expect("}")

    def graph(self, sel: Select, ctx: str) -> None:
        """`GRAPH g { ... }`, its GRAPH read: the group's patterns (and sub-SELECTs') sit in g."""
        name = self.term(ctx, [])
        if isinstance(name, Lit):
            raise SyntaxNotTraced(f"GRAPH {name.value!r}: a graph is named by an IRI or a variable")
        first, first_sub = len(sel.patterns), len(sel.subselects)
        self.group(sel, ctx)
        _in_graph(sel, name, first, first_sub)

    def branch(self, sel: Select, ctx: str) -> None:
        """An OPTIONAL group or a UNION branch: its own patterns get a group number of their own."""
        first = len(sel.patterns)
        self.group(sel, ctx)
        self.groups += 1
        for p in sel.patterns[first:]:
            if p.group == 0:
                p.group = self.groups

    def union(self, sel: Select, ctx: str) -> None:
        first = len(sel.patterns)
        if not self._union_follows():
            self.group(sel, ctx)
            return
        self.branch(sel, ctx)
        while self.at_word("UNION"):
            self.i += 1
            self.branch(sel, ctx)
        if ctx in ("required", "optional"):  # a branch's patterns need not match for the row
            for p in sel.patterns[first:]:
                if p.context == ctx:
                    p.context = "union"

    def _union_follows(self) -> bool:
        """Whether the group at the cursor is the first branch of a UNION."""
        depth, j = 0, self.i
        while j < len(self.toks):
            t = self.toks[j]
            depth += t.text == "{" and t.kind == "punct"
            depth -= t.text == "}" and t.kind == "punct"
            j += 1
            if depth == 0:
                return j < len(self.toks) and self.toks[j].is_word("UNION")
        return False

    def values(self) -> None:
        if self.at("("):
            self.skip_balanced()
        else:
            self.next()
        self.expect("{")
        while not self.at("}"):
            self.next()
        self.expect("}")

    # -- queries ---------------------------------------------------------------------------
    def prologue(self) -> int:
        end = self.declared_to
        while self.at_word("PREFIX", "BASE"):
            kw = self.next()
            if kw.is_word("PREFIX"):
                name = self.next()
                if name.kind != "pname" or not name.text.endswith(":"):
                    raise SyntaxNotTraced(f"bad PREFIX at offset {name.start}")
                self.prefixes[name.text[:-1]] = self.iri(self.next()).value
            else:
                self.next()
            end = self.toks[self.i - 1].end
        return end

    def select(self, sel: Select) -> None:
        self.expect("SELECT")
        if self.at_word("DISTINCT", "REDUCED"):
            keyword = self.next()
            sel.distinct = keyword.is_word("DISTINCT")
            sel.distinct_span = (keyword.start, keyword.end)
        while not (self.at("{") or self.at_word("WHERE", "FROM")):
            t = self.next()
            if t.text == "*":
                sel.star = True
            elif t.kind == "var":
                sel.projection.append((t.text[1:], "var"))
            elif t.text == "(":
                self.i -= 1
                start = self.i
                self.skip_balanced()
                inner = self.toks[start:self.i]
                name = inner[-2].text[1:] if len(inner) >= 4 and inner[-3].is_word("AS") else None
                if name is None:
                    raise SyntaxNotTraced("a projected expression without AS")
                aggregate = any(x.is_word("COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT") for x in inner)
                sel.projection.append((name, "aggregate" if aggregate else "expr"))
                sel.grouped |= aggregate
            else:
                raise SyntaxNotTraced(f"unexpected {t.text!r} in the SELECT clause")
        sel.projection_end = self.toks[self.i - 1].end
        self.dataset()
        if self.at_word("WHERE"):
            self.i += 1
        start = self.here().start
        self.group(sel, "required")
        sel.where_span = (start, self.toks[self.i - 1].end)
        self.modifiers(sel)

    def dataset(self) -> None:
        """FROM and FROM NAMED clauses, if any."""
        start = self.here().start
        while self.at_word("FROM"):
            self.i += 1
            named = self.at_word("NAMED")
            if named:
                self.i += 1
            iri = self.iri(self.next()).value
            if named:
                self.named_graphs = (self.named_graphs or []) + [iri]
            else:
                self.default_graphs = (self.default_graphs or []) + [iri]
            self.dataset_span = (start, self.toks[self.i - 1].end)
        if self.named_graphs is not None and self.default_graphs is None:
            self.default_graphs = []  # FROM NAMED alone: the default graph is empty
        if self.default_graphs is not None and self.named_graphs is None:
            self.named_graphs = []  # FROM alone: no named graphs

    def modifiers(self, sel: Select) -> None:
        while self.peek() is not None and not self.at("}"):
            t = self.next()
            if t.is_word("GROUP"):
                self.expect("BY")
                sel.grouped = True
                while (nxt := self.peek()) is not None and (nxt.kind == "var" or self.at("(")):
                    if self.at("("):
                        self.skip_balanced()
                    else:
                        sel.group_by.append(self.next().text[1:])
            elif t.is_word("HAVING", "ORDER", "BY", "ASC", "DESC", "LIMIT", "OFFSET") or t.kind in ("num", "var"):
                sel.sliced |= t.is_word("LIMIT", "OFFSET")
            elif t.is_word("VALUES"):
                self.values()
            elif t.text == "(" or (t.kind in ("word", "pname", "iri") and self.at("(")):
                if t.text == "(":
                    self.i -= 1
                self.skip_balanced()
            else:
                raise SyntaxNotTraced(f"unexpected {t.text!r} after the WHERE clause")


def parse(text: str, prefixes: dict[str, str] | None = None) -> Query:
    """The shape of a SELECT or CONSTRUCT query. `prefixes` are declared unless the query declares
    its own. Raises SyntaxNotTraced for what this reader does not follow."""
    r = _Reader(text, prefixes)
    r._sink = Select()  # EXISTS, NOT EXISTS and MINUS patterns: kept apart from the row's match
    end = r.prologue()
    sel = Select()
    if r.at_word("CONSTRUCT"):
        r.i += 1
        sel.form = "CONSTRUCT"
        r.expect("{")
        while not r.at("}"):
            if r.at("."):
                r.i += 1
            else:
                r.triples("template", sel.template)
        r.expect("}")
        r.expect("WHERE")
        start = r.here().start
        r.group(sel, "required")
        sel.where_span = (start, r.toks[r.i - 1].end)
        sel.star = True
    elif r.at_word("SELECT"):
        r.select(sel)
    else:
        t = r.peek()
        raise SyntaxNotTraced(f"only SELECT queries are traced, not {t.text if t else 'an empty query'}")
    if (extra := r.peek()) is not None:
        raise SyntaxNotTraced(f"unexpected {extra.text!r} at offset {extra.start}")
    sel.patterns += list(r._sink.patterns)
    a, b = r.dataset_span
    return Query(text, r.prefixes, end, sel, r.default_graphs, r.named_graphs, text[a:b])


def _in_graph(sel: Select, name: Term, first: int, first_sub: int) -> None:
    """The patterns from `first` on (and the sub-SELECTs from `first_sub` on) sit in graph `name`
    unless an inner GRAPH already placed them."""
    for p in sel.patterns[first:]:
        if p.graph is None:
            p.graph = name
    for sub in sel.subselects[first_sub:]:
        _in_graph(sub, name, 0, 0)
