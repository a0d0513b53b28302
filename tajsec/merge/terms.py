"""RDF terms as the merge writes and shows them: N-Triples with canonical blank-node labels,
prefixed names for display, numbers and literal values."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from tajsec.core.namespaces import ONTOLOGY_IRI, TS, XSD, shorten
from tajsec.core.terms import AnyTerm
from tajsec.merge.vocabulary import DISPLAY_PREFIXES


def nt(term: AnyTerm, labels: dict | None = None) -> str:
    """N-Triples form of a term, blank nodes under their canonical label."""
    if isinstance(term, ox.BlankNode):
        return "_:" + (labels[term] if labels and term in labels else term.value)
    if isinstance(term, ox.Triple):
        return f"<<( {nt(term.subject, labels)} {nt(term.predicate, labels)} {nt(term.object, labels)} )>>"
    return str(term)


def short(text: str | None) -> str:
    """Prefixed form of an N-Triples IRI (<…>) or a bare IRI, for display."""
    if text is None:
        return ""
    iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    name = shorten(iri, DISPLAY_PREFIXES)
    if name == iri or not re.fullmatch(r"[\w.-]*", name.split(":", 1)[1]):
        return text
    return name


def is_ontology_term(term: AnyTerm) -> bool:
    return isinstance(term, ox.NamedNode) and (term.value.startswith(TS) or term.value == ONTOLOGY_IRI)


def number(lit: AnyTerm | None) -> Decimal | None:
    if not isinstance(lit, ox.Literal):
        return None
    try:
        return Decimal(lit.value.strip())
    except (InvalidOperation, ValueError):
        return None


def literal_text(term: AnyTerm, labels: dict | None = None) -> str:
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if term.language:
            return f'"{term.value}"@{term.language}'
        if dt == XSD + "string":
            return f'"{term.value}"'
        return f'"{term.value}"^^{short(dt)}'
    return short(nt(term, labels))
