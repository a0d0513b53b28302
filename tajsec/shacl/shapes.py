"""The shapes graph as the compiler reads it, loaded through the one loader (tajsec.io.load)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from tajsec.core.namespaces import PREFIXES, shorten
from tajsec.core.terms import Resource
from tajsec.io.load import parse_file

SH = PREFIXES["sh"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]


class Unsupported(Exception):
    """A shape uses something the SPARQL compiler does not translate (pySHACL validates it)."""


#: A term of the shapes graph: a shape or a node of a path or list (IRI or blank node), or a
#: parameter's value (any term). The loader refuses RDF 1.2 triple terms, so there are none.
Node = ox.NamedNode | ox.BlankNode | ox.Literal


class ShapesGraph:
    """Subject -> predicate IRI -> objects, for the shapes' triples."""

    def __init__(self, triples: Iterable[ox.Triple]) -> None:
        self.spo: dict[Node, dict[str, list[Node]]] = {}
        for t in triples:
            s, o = cast(Node, t.subject), cast(Node, t.object)
            self.spo.setdefault(s, {}).setdefault(t.predicate.value, []).append(o)

    @classmethod
    def from_files(cls, files: Iterable[Path | str]) -> ShapesGraph:
        return cls(triples_of(files))

    def objs(self, s: Node | None, p: str) -> list[Node]:
        return self.spo.get(s, {}).get(p, []) if s is not None else []

    def one(self, s: Node | None, p: str) -> Node | None:
        v = self.objs(s, p)
        return v[0] if v else None

    def has(self, s: Node | None, p: str) -> bool:
        return bool(self.objs(s, p))

    def rdf_list(self, node: Node | None) -> list[Node]:
        out: list[Node] = []
        seen: set[Node] = set()
        while node is not None and not (isinstance(node, ox.NamedNode) and node.value == RDF + "nil"):
            if node in seen:
                raise Unsupported("a cyclic RDF list")
            seen.add(node)
            first = self.one(node, RDF + "first")
            if first is None:
                raise Unsupported("a malformed RDF list")
            out.append(first)
            node = self.one(node, RDF + "rest")
        return out

    def subjects_with(self, p: str) -> list[Node]:
        return [s for s, po in self.spo.items() if p in po]

    def triples(self) -> list[ox.Triple]:
        return [ox.Triple(cast(Resource, s), ox.NamedNode(p), o)  # subjects: shapes and path or list nodes
                for s, po in self.spo.items() for p, objs in po.items() for o in objs]


def triples_of(files: Iterable[Path | str]) -> list[ox.Triple]:
    """The triples of the shapes files (graph names dropped), as the loader parses them. An
    ill-typed literal is kept as written: in a shapes graph it is a term to compare with
    (`sh:in ( "aldi"^^xsd:integer )`), not an error."""
    out: list[ox.Triple] = []
    for f in files:
        out.extend(ox.Triple(q.subject, q.predicate, q.object) for q in parse_file(Path(f), strict=False, warnings=[]))
    return out


def n3(term: Node) -> str:
    """A term as SPARQL text."""
    if isinstance(term, ox.BlankNode):
        raise Unsupported("a blank node where a constant is needed")
    return str(term)


def label(term: Node) -> str:
    return shorten(term.value) if isinstance(term, ox.NamedNode) else "a blank-node shape"


def labels(terms: Iterable[Node]) -> str:
    return "(" + ", ".join(label(t) for t in terms) + ")"


def is_true(term: Node | None) -> bool:
    """Whether a boolean parameter is `true`: the term itself, as the suite reads the spec
    ("1"^^xsd:boolean is another term and leaves sh:uniqueLang off: core/property/uniqueLang-002)."""
    return term == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
