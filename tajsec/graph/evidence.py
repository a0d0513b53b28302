"""The one reader of provenance: where the paper says what a node states (section, footnotes,
page), the verbatim quote that supports it, the works it is derived from, and editorial notes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox

from tajsec.core.namespaces import PREFIXES, TS
from tajsec.core.terms import Resource, Term
from tajsec.graph.index import GraphView

PROV = PREFIXES["prov"]
SKOS = PREFIXES["skos"]

EVIDENCE_QUOTE = TS + "evidenceQuote"
# the properties that carry provenance rather than content
PROVENANCE_PROPERTIES = frozenset({EVIDENCE_QUOTE, TS + "inSection", TS + "footnote", PROV + "wasDerivedFrom",
                                   TS + "page", SKOS + "editorialNote"})


@dataclass(frozen=True)
class Footnote:
    iri: str
    number: str | None  # its ts:footnoteNumber, as written


@dataclass(frozen=True)
class Provenance:
    quotes: tuple[str, ...]
    sections: tuple[str, ...]  # IRIs of the sections that make the statement
    footnotes: tuple[Footnote, ...]
    pages: tuple[str, ...]
    sources: tuple[str, ...]  # IRIs of the works it is derived from (the paper, cited works)
    notes: tuple[str, ...]  # editorial notes

    @property
    def quote(self) -> str | None:
        """The evidence quote shown with it (the first, in lexical order)."""
        return self.quotes[0] if self.quotes else None


def provenance(g: GraphView, n: str) -> Provenance:
    footnotes = []
    for f in g.iris(n, TS + "footnote"):
        num = g.first(f, TS + "footnoteNumber")
        footnotes.append(Footnote(f, num.value if num is not None else None))
    return Provenance(
        quotes=tuple(o.value for o in g.objects(n, EVIDENCE_QUOTE)),
        sections=tuple(g.iris(n, TS + "inSection")),
        footnotes=tuple(footnotes),
        pages=tuple(o.value for o in g.objects(n, TS + "page")),
        sources=tuple(g.iris(n, PROV + "wasDerivedFrom")),
        notes=tuple(o.value for o in g.objects(n, SKOS + "editorialNote")),
    )


def evidence_quotes(store: ox.Store) -> list[tuple[str, str]]:
    """Every (node IRI, evidence quote) of the graph, sorted, each pair once."""
    quads = store.quads_for_pattern(None, ox.NamedNode(EVIDENCE_QUOTE), None, None)
    # the loader refuses triple terms: subjects are IRIs or blank nodes, objects plain terms
    pairs = {(cast(Resource, q.subject).value, cast(Term, q.object).value) for q in quads}
    return sorted(pairs)
