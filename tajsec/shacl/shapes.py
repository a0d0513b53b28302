"""The shapes graph as the compiler reads it, loaded through the one loader (tajsec.io.load)."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from tajsec.core.namespaces import PREFIXES, shorten
from tajsec.io.load import parse_file

SH = PREFIXES["sh"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]


class Unsupported(Exception):
    """A shape uses something the SPARQL compiler does not translate (pySHACL validates it)."""


class ShapesGraph:
    """Subject -> predicate IRI -> objects, for the shapes' triples."""

    def __init__(self, triples) -> None:
        self.spo: dict = {}
        for t in triples:
            self.spo.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    @classmethod
    def from_files(cls, files) -> ShapesGraph:
        return cls(triples_of(files))

    def objs(self, s, p: str) -> list:
        return self.spo.get(s, {}).get(p, [])

    def one(self, s, p: str):
        v = self.objs(s, p)
        return v[0] if v else None

    def has(self, s, p: str) -> bool:
        return bool(self.objs(s, p))

    def rdf_list(self, node) -> list:
        out, seen = [], set()
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

    def subjects_with(self, p: str) -> list:
        return [s for s, po in self.spo.items() if p in po]

    def triples(self) -> list[ox.Triple]:
        return [ox.Triple(s, ox.NamedNode(p), o) for s, po in self.spo.items() for p, objs in po.items() for o in objs]


def triples_of(files) -> list[ox.Triple]:
    """The triples of the shapes files (graph names dropped), as the loader parses them. An
    ill-typed literal is kept as written: in a shapes graph it is a term to compare with
    (`sh:in ( "aldi"^^xsd:integer )`), not an error."""
    out = []
    for f in files:
        out.extend(ox.Triple(q.subject, q.predicate, q.object) for q in parse_file(Path(f), strict=False, warnings=[]))
    return out


def n3(term) -> str:
    """A term as SPARQL text."""
    if isinstance(term, ox.BlankNode):
        raise Unsupported("a blank node where a constant is needed")
    return str(term)


def label(term) -> str:
    return shorten(term.value) if isinstance(term, ox.NamedNode) else "a blank-node shape"


def labels(terms) -> str:
    return "(" + ", ".join(label(t) for t in terms) + ")"


def is_true(term) -> bool:
    """Whether a boolean parameter is `true`: the term itself, as the suite reads the spec
    ("1"^^xsd:boolean is another term and leaves sh:uniqueLang off: core/property/uniqueLang-002)."""
    return term == ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))
