"""`tajsec merge`: put other people's RDF beside ours, each input in its own named graph, and
report what the two sides share, where they disagree and what an input tried to change in our
ontology.

What merging does, and does not do:

- Our ontology and instances are built as usual (`tajsec.build.build`: one named graph per file
  plus the derived graph). Each input goes into its own named graph,
  ``https://w3id.org/tajsec/graph/input/<sha256 of the file>``; a named graph inside an input
  (TriG, N-Quads, JSON-LD) becomes a sub-graph ``…/input/<sha256>/graph/<hash of its name>``.
- A metadata graph (`META_GRAPH`) says where each graph came from in VoID, PROV-O, DCAT and SPDX
  terms: file name as given, size, media type, SHA-256, triples parsed and kept. The time of
  loading is recorded only when the caller passes ``timestamp=`` (default: none), so that the same
  inputs always give the same bytes.
- Blank nodes: every input is parsed with fresh blank-node identifiers (pyoxigraph
  ``rename_blank_nodes=True``), so blank nodes of different inputs never collide; they are then
  relabelled canonically per source by colour refinement over their triples (hash of each blank
  node's triples, refined with its neighbours' hashes until stable, seeded with the graph IRI),
  ties broken by first appearance in the file. Same input bytes, same labels.
- Nothing is fetched: ``owl:imports`` triples are stripped from inputs and reported as unresolved;
  JSON-LD remote contexts are refused by the parser; RDF/XML with ``<!ENTITY`` declarations is
  refused (entity expansion).
- Triples of an input that change our ontology (a ``ts:`` term as subject, or
  ``rdfs:subClassOf``/``subPropertyOf``/``domain``/``range``/``owl:equivalentClass``/
  ``equivalentProperty``/``disjointWith``/``inverseOf``/``sameAs``… pointing at a ``ts:`` term) are
  reported and left out of the output unless ``allow_ontology_changes=True``.
- Entities both sides describe are found by same IRI and by ``skos:exactMatch``/``owl:sameAs`` to
  the same external IRI (or the input describing that external IRI itself, as Wikidata extracts
  do); *candidates* are found by label after normalising transliteration and are offered for
  review, never asserted. Conflicting values of the same property (including the measurement
  pattern: same measured entity and aspect, and mapped Wikidata properties) are listed side by
  side; both stay in the output.
- A parse failure raises `tajsec.rdfio.LoadError` (file, line, column); `merge` writes nothing,
  `write_trig` writes only after everything succeeded, atomically.

Memory and fidelity: an input is streamed from disk by pyoxigraph's parser (no rdflib graph is
built, nothing is read whole); each triple goes, exactly as parsed, to an external merge sort in
temporary files, which yields the sorted, de-duplicated output. Only what the report needs (names,
links, the measurement pattern, mapped properties, the predicates our entities use) is also put in
a pyoxigraph Store for querying. The output never goes through that Store, because a Store rewrites
valid typed literals to their canonical form ("+1200"^^xsd:decimal becomes "1200", "0042" becomes
"42", "1"^^xsd:boolean becomes "true") and merges literals that are equal in value; values quoted in
the report come from the Store and may show that canonical form. Blank-node triples of an input are
held in memory in compact form until the labels are known. A 1M-triple N-Triples input (100k blank
nodes) peaked at about 360 MB.
"""
from __future__ import annotations

import hashlib
import heapq
import io
import json
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Callable

import pyoxigraph as ox

from tajsec.build import DERIVED_GRAPH, build
from tajsec.export import SortedPrefixWriter
from tajsec.namespaces import ONTOLOGY_IRI, PREFIXES, TS, TSD
from tajsec.project import Project
from tajsec.rdfio import ENTITY_REFUSED, EntityScreen, LoadError, format_for

# ---- Names ----

GRAPH_BASE = "https://w3id.org/tajsec/graph/"
INPUT_GRAPH_BASE = GRAPH_BASE + "input/"
META_GRAPH = ox.NamedNode(GRAPH_BASE + "merge-metadata")
MERGE_ACTIVITY = ox.NamedNode(META_GRAPH.value + "#activity")

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEMA = "https://schema.org/"
SCHEMA_HTTP = "http://schema.org/"  # Wikidata and many others still write schema.org with http
FOAF = "http://xmlns.com/foaf/0.1/"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
WDP = "http://www.wikidata.org/prop/"
WDPS = "http://www.wikidata.org/prop/statement/"
WDPQ = "http://www.wikidata.org/prop/qualifier/"

#: Extra prefixes used to display terms in the report and in the merged TriG.
DISPLAY_PREFIXES = {
    **PREFIXES,
    "dcat": DCAT,
    "p": WDP,
    "pq": WDPQ,
    "ps": WDPS,
    "spdx": SPDX,
    "void": VOID,
    "wd": WD,
    "wds": "http://www.wikidata.org/entity/statement/",
    "wdt": WDT,
}

OWL_IMPORTS = OWL + "imports"

#: Predicates that change what a term means when they point at it (or start from it).
AXIOM_PREDICATES = frozenset([
    RDFS + "subClassOf", RDFS + "subPropertyOf", RDFS + "domain", RDFS + "range",
    OWL + "equivalentClass", OWL + "equivalentProperty", OWL + "disjointWith", OWL + "inverseOf",
    OWL + "sameAs", OWL + "propertyDisjointWith", OWL + "complementOf", OWL + "disjointUnionOf",
    OWL + "propertyChainAxiom", OWL + "hasKey", OWL + "differentFrom",
])
#: Of those, the ones that constrain the object as much as the subject.
SYMMETRIC_AXIOMS = frozenset([
    OWL + "equivalentClass", OWL + "equivalentProperty", OWL + "disjointWith", OWL + "inverseOf",
    OWL + "sameAs", OWL + "propertyDisjointWith", OWL + "complementOf",
])

LINK_PREDICATES = frozenset([SKOS + "exactMatch", OWL + "sameAs"])
LABEL_PREDICATES = frozenset([
    RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel",
    SCHEMA + "name", SCHEMA + "alternateName", SCHEMA_HTTP + "name", SCHEMA_HTTP + "alternateName",
    FOAF + "name",
])
OUR_LABEL_PREDICATES = frozenset([RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel"])

#: Our nodes that are not entities a third party would describe (statements, quantities, time).
NOT_ENTITIES = frozenset(TS + c for c in ("Statement", "Quantity", "Interval", "Instant", "Footnote", "Section"))

#: Predicates never compared for conflicts: names, types, notes, links and provenance, which
#: legitimately differ between sources.
NOT_COMPARED_NAMESPACES = (SKOS, PROV, DCTERMS, "http://www.wikidata.org/", "http://wikiba.se/ontology#")
NOT_COMPARED = frozenset([
    RDF + "type", RDFS + "label", RDFS + "comment", RDFS + "seeAlso", RDFS + "isDefinedBy",
    OWL + "sameAs", OWL_IMPORTS, OWL + "versionInfo", FOAF + "name", FOAF + "page", FOAF + "homepage",
    TS + "quantity",  # compared through the measurement pattern instead
    *(ns + local for ns in (SCHEMA, SCHEMA_HTTP)
      for local in ("name", "alternateName", "description", "sameAs", "url", "identifier", "image")),
])

#: External properties compared with ours: Wikidata property -> (kind, our aspect or predicate).
WIKIDATA_PROPERTIES = {
    "P1128": ("aspect", TS + "aspect-personnel"),     # employees
    "P1082": ("aspect", TS + "aspect-population"),    # population
    "P2043": ("aspect", TS + "aspect-length"),        # length
    "P749": ("predicate", ORG + "subOrganizationOf"),  # parent organization
    "P131": ("predicate", SCHEMA + "containedInPlace"),  # located in the administrative territorial entity
}
OTHER_PROPERTIES = {
    SCHEMA + "numberOfEmployees": ("aspect", TS + "aspect-personnel"),
    SCHEMA_HTTP + "numberOfEmployees": ("aspect", TS + "aspect-personnel"),
}

MEDIA_TYPES = {
    ox.RdfFormat.TURTLE: "text/turtle", ox.RdfFormat.N_TRIPLES: "application/n-triples",
    ox.RdfFormat.N_QUADS: "application/n-quads", ox.RdfFormat.TRIG: "application/trig",
    ox.RdfFormat.JSON_LD: "application/ld+json", ox.RdfFormat.RDF_XML: "application/rdf+xml",
}

#: Report lists longer than this are cut (the counts stay exact).
REPORT_LIMIT = 1000
_BATCH = 50_000
_SORT_CHUNK = 250_000

Progress = Callable[[str, int, int], None]
"""progress(label, done, total): called while inputs are read (bytes) and written (quads)."""


# ---- Report ----

@dataclass
class InputInfo:
    path: str            # as given by the caller
    graph: str
    sha256: str
    media_type: str
    size: int
    triples_parsed: int  # distinct triples (quads) in the file
    triples_kept: int    # in the merged output
    left_out: int        # ontology changes and owl:imports not kept
    subgraphs: dict[str, str] = field(default_factory=dict)  # original graph name -> our graph
    duplicate_of: str | None = None


@dataclass
class Match:
    ours: str
    theirs: str
    input: str
    basis: str           # "same IRI" | "shared external IRI" | "linked with skos:exactMatch" ...
    via: str | None
    our_label: str | None
    their_label: str | None


@dataclass
class Candidate:
    ours: str
    theirs: str
    input: str
    our_label: str
    their_label: str
    normalised: str
    rule: str            # "same spelling after normalisation" | "same consonant skeleton"


@dataclass
class Value:
    value: str
    source: str
    node: str | None = None
    detail: str | None = None


@dataclass
class Conflict:
    ours: str
    theirs: str
    input: str
    basis: str
    property: str
    ours_values: list[Value]
    theirs_values: list[Value]


@dataclass
class OntologyChange:
    input: str
    subject: str
    predicate: str
    object: str
    reason: str
    kept: bool

    @property
    def ntriple(self) -> str:
        return f"{self.subject} {self.predicate} {self.object} ."


@dataclass
class UnresolvedImport:
    input: str
    subject: str
    imported: str


@dataclass
class MergeReport:
    inputs: list[InputInfo] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    ontology_changes: list[OntologyChange] = field(default_factory=list)
    ontology_changes_total: int = 0
    standard_term_axioms: list[OntologyChange] = field(default_factory=list)
    unresolved_imports: list[UnresolvedImport] = field(default_factory=list)
    new_entities: dict[str, list[str]] = field(default_factory=dict)
    new_entities_total: dict[str, int] = field(default_factory=dict)
    allow_ontology_changes: bool = False
    timestamp: str | None = None

    @property
    def has_findings(self) -> bool:
        """Conflicts, ontology changes or unresolved imports: what a reviewer must look at."""
        return bool(self.conflicts or self.ontology_changes or self.unresolved_imports)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["summary"] = {
            "inputs": len(self.inputs), "matches": len(self.matches), "candidates": len(self.candidates),
            "conflicts": len(self.conflicts), "ontology_changes": self.ontology_changes_total,
            "ontology_changes_kept": self.allow_ontology_changes,
            "standard_term_axioms": len(self.standard_term_axioms),
            "unresolved_imports": len(self.unresolved_imports),
            "new_entities": sum(self.new_entities_total.values()),
        }
        return d

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"

    def as_text(self) -> str:
        s = _short
        out = [f"tajsec merge: {len(self.inputs)} input(s)"]
        for i in self.inputs:
            if i.duplicate_of:
                out.append(f"  {i.path}: same content as {i.duplicate_of}, merged once")
                continue
            out.append(f"  {i.path}  sha256 {i.sha256[:12]}…  {i.triples_parsed} triples parsed, "
                       f"{i.triples_kept} kept  -> <{i.graph}>")
            for orig, g in sorted(i.subgraphs.items()):
                out.append(f"      named graph {orig} -> <{g}>")
        out.append(f"entities both sides describe: {len(self.matches)}")
        for m in self.matches:
            via = f" {s(m.via)}" if m.via else ""
            out.append(f"  {s(m.ours)} = {s(m.theirs)}  ({m.basis}{via}; {m.input})")
        out.append(f"candidate matches by label, for review (not asserted): {len(self.candidates)}")
        for c in self.candidates:
            out.append(f"  {s(c.ours)} {c.our_label!r} ~ {s(c.theirs)} {c.their_label!r}  "
                       f"({c.rule}: {c.normalised!r}; {c.input})")
        out.append(f"conflicting values (both kept): {len(self.conflicts)}")
        for c in self.conflicts:
            out.append(f"  {s(c.ours)} ~ {s(c.theirs)} ({c.basis}): {c.property}")
            for side, values in (("ours  ", c.ours_values), ("theirs", c.theirs_values)):
                for v in values:
                    extra = "; ".join(x for x in (s(v.node) if v.node else None, v.detail) if x)
                    out.append(f"      {side} {v.value}  [{v.source}{'; ' + extra if extra else ''}]")
        verb = "kept (--allow-ontology-changes)" if self.allow_ontology_changes else "left out"
        out.append(f"changes to our ontology, {verb}: {self.ontology_changes_total}")
        for h in self.ontology_changes:
            out.append(f"  {s(h.subject)} {s(h.predicate)} {s(h.object)}  ({h.reason}; {h.input})")
        if self.ontology_changes_total > len(self.ontology_changes):
            out.append(f"  … and {self.ontology_changes_total - len(self.ontology_changes)} more (--format json)")
        if self.standard_term_axioms:
            out.append(f"axioms about standard terms we use, kept: {len(self.standard_term_axioms)}")
            for h in self.standard_term_axioms:
                out.append(f"  {s(h.subject)} {s(h.predicate)} {s(h.object)}  ({h.input})")
        out.append(f"owl:imports stripped, not fetched (unresolved): {len(self.unresolved_imports)}")
        for u in self.unresolved_imports:
            out.append(f"  {s(u.subject)} owl:imports {s(u.imported)}  ({u.input})")
        for path, ents in self.new_entities.items():
            total = self.new_entities_total.get(path, len(ents))
            out.append(f"entities only in {path}: {total}")
            for e in ents[:20]:
                out.append(f"  {e}")
            if total > 20:
                out.append(f"  … and {total - 20} more (--format json lists up to {REPORT_LIMIT})")
        return "\n".join(out) + "\n"


class MergeResult:
    """What `merge` returns: the report, and the merged dataset as sorted, de-duplicated N-Quads in
    a temporary file (every term exactly as parsed), ready for `write_trig`. Close it (or use it as a
    context manager) to delete the temporary file early."""

    def __init__(self, report: MergeReport, nquads, prefixes: dict[str, str],
                 left_out: dict[str, list[str]], counts: dict[str, int]):
        self.report = report
        self.prefixes = prefixes
        self.left_out = left_out        # input graph -> N-Triples lines left out of the output
        self.counts = counts            # graph IRI -> triples in the output
        self._nquads = nquads

    @property
    def graphs(self) -> list[str]:
        return sorted(self.counts)

    def input_graph(self, path: Path | str) -> str:
        for i in self.report.inputs:
            if i.path == str(path):
                return i.graph
        raise KeyError(path)

    def quad_count(self) -> int:
        return sum(self.counts.values())

    def nquads(self) -> bytes:
        """The merged dataset as sorted N-Quads (small merges; large ones: `write_trig`)."""
        self._nquads.seek(0)
        return self._nquads.read()

    def dataset(self) -> ox.Dataset:
        self._nquads.seek(0)
        return ox.Dataset(ox.parse(self._nquads, format=ox.RdfFormat.N_QUADS))

    def close(self) -> None:
        self._nquads.close()

    def __enter__(self) -> "MergeResult":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# ---- Normalising names (candidate matches) ----

_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєўқғҳҷӣӯ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s",
     "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "i", "e", "u",
     "q", "gh", "h", "j", "i", "u"]))


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


# ---- Terms ----

def _nt(term, labels: dict | None = None) -> str:
    """N-Triples form of a term, blank nodes under their canonical label."""
    if isinstance(term, ox.BlankNode):
        return "_:" + (labels[term] if labels and term in labels else term.value)
    if isinstance(term, ox.Triple):
        return f"<<( {_nt(term.subject, labels)} {_nt(term.predicate, labels)} {_nt(term.object, labels)} )>>"
    return str(term)


def _short(text: str | None) -> str:
    """Prefixed form of an N-Triples IRI (<…>) or a bare IRI, for display."""
    if text is None:
        return ""
    iri = text[1:-1] if text.startswith("<") and text.endswith(">") else text
    best = None
    for p, ns in DISPLAY_PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(DISPLAY_PREFIXES[best])):
            best = p
    if best is None or not re.fullmatch(r"[\w.-]*", iri[len(DISPLAY_PREFIXES[best]):]):
        return text
    return f"{best}:{iri[len(DISPLAY_PREFIXES[best]):]}"


def _is_ontology_term(term) -> bool:
    return isinstance(term, ox.NamedNode) and (term.value.startswith(TS) or term.value == ONTOLOGY_IRI)


def _number(lit) -> Decimal | None:
    if not isinstance(lit, ox.Literal):
        return None
    try:
        return Decimal(lit.value.strip())
    except (InvalidOperation, ValueError):
        return None


def _literal_text(term, labels=None) -> str:
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if term.language:
            return f'"{term.value}"@{term.language}'
        if dt == XSD + "string":
            return f'"{term.value}"'
        return f'"{term.value}"^^{_short(dt)}'
    return _short(_nt(term, labels))


# ---- Canonical blank-node labels ----

class BlankQuads:
    """The quads of one source that contain blank nodes, compiled: a tuple of N-Triples text pieces
    with each blank node replaced by its index (order of first appearance). Kept compact so that a
    large input's blank nodes fit in memory."""

    def __init__(self) -> None:
        self.index: dict = {}            # BlankNode -> index
        self.quads: dict[tuple, bool] = {}  # compiled quad -> kept in the output (insertion-ordered)
        self._strings: dict[str, str] = {}

    def _parts(self, term, out: list) -> None:
        if isinstance(term, ox.BlankNode):
            out.append(self.index.setdefault(term, len(self.index)))
        elif isinstance(term, ox.Triple):
            out.append("<<( ")
            self._parts(term.subject, out)
            out.append(" ")
            self._parts(term.predicate, out)
            out.append(" ")
            self._parts(term.object, out)
            out.append(" )>>")
        else:
            t = str(term)
            out.append(self._strings.setdefault(t, t) if isinstance(term, ox.NamedNode) else t)

    def add(self, s, p, o, graph_part: str, kept: bool) -> None:
        """`graph_part` is " <graph IRI>" (share one string per graph)."""
        q: list = []
        self._parts(s, q)
        q.append(" ")
        self._parts(p, q)
        q.append(" ")
        self._parts(o, q)
        q.append(graph_part)
        t = tuple(q)
        self.quads[t] = self.quads.get(t, False) or kept

    @staticmethod
    def render(quad: tuple, labels: list[str]) -> str:
        """The N-Quads text (without the final " .") of a compiled quad."""
        return "".join(x if isinstance(x, str) else "_:" + labels[x] for x in quad)

    def labels_by_node(self, labels: list[str]) -> dict:
        return {b: labels[i] for b, i in self.index.items()}


def canonical_labels(quads: list[tuple], n: int, seed: str) -> list[str]:
    """Canonical labels for the `n` blank nodes of one source (see `BlankQuads`).

    Each blank node is coloured by the hash of its quads (blank neighbours by their colour),
    refined until the number of colours stops growing (at most 64 rounds); the label is the
    colour, seeded with `seed` so that two sources never share a label; blank nodes that remain
    alike are told apart by first appearance."""
    if n == 0:
        return []
    occurs: list[list[int]] = [[] for _ in range(n)]
    for qi, qt in enumerate(quads):
        for x in {x for x in qt if isinstance(x, int)}:
            occurs[x].append(qi)
    colour = [hashlib.sha256(seed.encode()).hexdigest()] * n
    classes = 1
    for _ in range(64):
        new = []
        for b in range(n):
            sig = sorted("".join("_:self" if x == b else ("_:" + colour[x]) if isinstance(x, int) else x
                                 for x in quads[qi]) for qi in occurs[b])
            h = hashlib.sha256(colour[b].encode())
            for line in sig:
                h.update(b"\n")
                h.update(line.encode())
            new.append(h.hexdigest())
        colour = new
        k = len(set(colour))
        if k == classes:
            break
        classes = k
    labels = [""] * n
    seen: dict[str, int] = {}
    for b in sorted(range(n), key=lambda i: (colour[i], i)):
        base = "b" + colour[b][:32]
        k = seen.get(base, 0)
        seen[base] = k + 1
        labels[b] = base if k == 0 else f"{base}x{k}"
    return labels


# ---- Reading inputs ----

class _Reader(io.RawIOBase):
    """A binary file that reports progress as pyoxigraph reads it."""

    def __init__(self, path: Path, label: str, total: int, progress: Progress | None):
        self._f = open(path, "rb")
        self._label, self._total, self._progress = label, total, progress
        self._done = 0
        self._last = 0
        self.sha256 = hashlib.sha256()
        self.at_end = False

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        b = self._f.read(n)
        self._done += len(b)
        self.sha256.update(b)
        if not b:
            self.at_end = True
        if self._progress and (self._done - self._last >= 1 << 20 or not b):
            self._last = self._done
            self._progress(self._label, self._done, self._total)
        return b

    def readinto(self, buf) -> int:
        b = self.read(len(buf))
        buf[:len(b)] = b
        return len(b)

    def close(self) -> None:
        self._f.close()
        super().close()


def _hash_and_screen(path: Path, fmt) -> tuple[str, int]:
    """SHA-256 and size of a file; refuses RDF/XML that declares entities."""
    h = hashlib.sha256()
    size = 0
    screen = EntityScreen()
    try:
        with open(path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                h.update(chunk)
                size += len(chunk)
                if fmt == ox.RdfFormat.RDF_XML:
                    at = screen.feed(chunk)
                    if at is not None:
                        raise LoadError(str(path), at, None, ENTITY_REFUSED)
    except OSError as e:
        raise LoadError(str(path), None, None, f"cannot read file: {e.strerror}") from None
    return h.hexdigest(), size


_PARSER_PREFIX = re.compile(r"^Parser error at line \d+(?: between columns \d+ and \d+| column \d+)?: ")


def _load_error(path: str, e: SyntaxError) -> LoadError:
    msg = str(e.msg if getattr(e, "msg", None) else e)
    return LoadError(path, e.lineno, e.offset, _PARSER_PREFIX.sub("", msg))


# ---- Our side ----

@dataclass
class _Ours:
    graphs: dict[str, str]                       # graph IRI -> path relative to the checkout
    entities: set[str]                           # tsd: IRIs that are subjects
    labels: dict[str, str]                       # IRI -> rdfs:label
    strong: dict[str, set[tuple[str, str]]]      # normalised name -> {(IRI, label)}
    weak: dict[str, set[tuple[str, str]]]        # consonant skeleton -> {(IRI, label)}
    external: dict[str, set[str]]                # external IRI -> our IRIs linked to it
    facts: dict[str, list["_Fact"]]              # our IRI -> aspect facts (measurements)
    standard_terms: set[str]
    predicates: set[str]                         # predicates used on our entities
    watched: set[str]                            # our entities and the external IRIs they link to


@dataclass
class _Fact:
    key: str                 # "aspect <IRI>" or "predicate <IRI>"
    term: object             # an RDF term, or (low, high) for quantities
    shown: str
    source: str
    node: str | None = None
    detail: str | None = None


_MEASUREMENTS = """
PREFIX schema: <https://schema.org/>
PREFIX ts: <https://w3id.org/tajsec/onto/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT * WHERE {
  %(pattern)s
  OPTIONAL { ?q schema:value ?v } OPTIONAL { ?q schema:minValue ?min } OPTIONAL { ?q schema:maxValue ?max }
  OPTIONAL { ?q ts:valueText ?text } OPTIONAL { ?q ts:hedge ?hedge }
  OPTIONAL { ?q ts:referencePeriod/rdfs:label ?period }
  FILTER NOT EXISTS { ?q ts:partOf ?whole }
}"""
_OUR_MEASUREMENTS = _MEASUREMENTS % {
    "pattern": "GRAPH ?g { ?m ts:measuredEntity ?e ; ts:aspect ?aspect ; ts:quantity ?q }"}
_THEIR_MEASUREMENTS = _MEASUREMENTS % {"pattern": "?m ts:measuredEntity ?e ; ts:aspect ?aspect ; ts:quantity ?q ."}

_WIKIDATA_FACTS = """
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
SELECT ?x ?prop ?v ?st ?time WHERE {
  { VALUES ?prop { %(direct)s } ?x ?prop ?v . }
  UNION
  { VALUES (?prop ?ps) { %(full)s } ?x ?prop ?st . ?st ?ps ?v .
    OPTIONAL { ?st pq:P585 ?time } }
}"""


def _measurement_facts(store: ox.Store, rows_query: str, source_of, labels=None, **kw) -> dict:
    """Aspect facts of the measurement pattern, keyed by the measured entity's N-Triples form."""
    facts: dict[str, list[_Fact]] = defaultdict(list)
    for r in store.query(rows_query, **kw):
        lo = hi = None
        v, mn, mx = _number(r["v"]), _number(r["min"]), _number(r["max"])
        if v is not None:
            lo = hi = v
        if mn is not None:
            lo = mn
        if mx is not None:
            hi = mx
        if lo is None and hi is None:
            continue
        shown = r["text"].value if r["text"] is not None else (
            str(v) if v is not None else f"{mn if mn is not None else ''}..{mx if mx is not None else ''}")
        detail = "; ".join(x for x in (
            f"hedge {_short(r['hedge'].value)}" if r["hedge"] is not None else None,
            f"period {r['period'].value}" if r["period"] is not None else None) if x)
        facts[_nt(r["e"], labels)].append(_Fact(
            "aspect " + r["aspect"].value, (lo, hi), shown, source_of(r["g"]), _nt(r["m"], labels), detail or None))
    return facts


def _our_side(built, root: Path) -> _Ours:
    graphs = {g: _relative(p, root) for g, p in built.graphs.items()}
    graphs[DERIVED_GRAPH.value] = "derived (queries/construct-*.rq)"
    entities: set[str] = set()
    labels: dict[str, str] = {}
    strong: dict[str, set] = defaultdict(set)
    weak: dict[str, set] = defaultdict(set)
    external: dict[str, set] = defaultdict(set)
    not_entities = set()
    for cls in NOT_ENTITIES:
        for q in built.store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), ox.NamedNode(cls), None):
            not_entities.add(q.subject.value if isinstance(q.subject, ox.NamedNode) else None)
    standard_terms = set()
    for g, path in graphs.items():
        if path.endswith("standard-terms.ttl"):
            for q in built.store.quads_for_pattern(None, None, None, ox.NamedNode(g)):
                if isinstance(q.subject, ox.NamedNode):
                    standard_terms.add(q.subject.value)
    predicates: set[str] = set()
    for q in built.store.quads_for_pattern(None, None, None, None):
        s = q.subject
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(TSD):
            continue
        entities.add(s.value)
        p = q.predicate.value
        predicates.add(p)
        if p in OUR_LABEL_PREDICATES and isinstance(q.object, ox.Literal):
            if p == RDFS + "label":
                labels.setdefault(s.value, q.object.value)
            if s.value not in not_entities:
                n = normalise_name(q.object.value)
                if n:
                    strong[n].add((s.value, q.object.value))
                    weak[skeleton(n)].add((s.value, q.object.value))
        elif p in LINK_PREDICATES and isinstance(q.object, ox.NamedNode):
            external[q.object.value].add(s.value)
    for q in built.store.quads_for_pattern(None, None, None, None):
        # the other direction: <external> owl:sameAs tsd:x
        if q.predicate.value in LINK_PREDICATES and isinstance(q.subject, ox.NamedNode) \
                and isinstance(q.object, ox.NamedNode) and q.object.value.startswith(TSD) \
                and not q.subject.value.startswith(TSD):
            external[q.subject.value].add(q.object.value)
    facts = _measurement_facts(built.store, _OUR_MEASUREMENTS,
                               lambda g: graphs.get(g.value, g.value), use_default_graph_as_union=True)
    return _Ours(graphs, entities, labels, dict(strong), dict(weak), dict(external), dict(facts), standard_terms,
                 predicates, entities | set(external))


def _relative(p: Path, root: Path) -> str:
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(p)


def _our_labels(built, ours: "_Ours") -> dict:
    """Canonical labels for blank nodes in our own graphs (none today: instances/ has no blank
    nodes, but the ontology might one day); ties broken by the sorted masked quads."""
    quads = []
    for q in built.store.quads_for_pattern(None, None, None, None):
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in ours.graphs and (
                isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)):
            quads.append((q.subject, q.predicate, q.object, q.graph_name))
    quads.sort(key=lambda q: " ".join("_:" if isinstance(x, ox.BlankNode) else str(x) for x in q))
    bq = BlankQuads()
    for s, p, o, g in quads:
        bq.add(s, p, o, f" <{g.value}>", True)
    return bq.labels_by_node(canonical_labels(list(bq.quads), len(bq.index), GRAPH_BASE))


# ---- Merging ----

def merge(project: Project, inputs: list[Path], allow_ontology_changes: bool = False,
          progress: Progress | None = None, timestamp: datetime | str | None = None) -> MergeResult:
    """Merge `inputs` with our ontology and instances (see the module docstring).

    `progress(label, done, total)` is called while each input is read (label: the path as given,
    in bytes) and while the result is sorted (label "sort", in quads). `timestamp`, if given (a
    datetime or an ISO 8601 string), is recorded as the time the inputs were loaded; by default no
    time is recorded, so that the output depends on the inputs only. Raises LoadError for an input
    that cannot be read or parsed. Nothing is written: see `write_trig`."""
    for p in inputs:
        format_for(Path(p))  # unknown extension: LoadError before any work
    built = build(project)
    ours = _our_side(built, project.root)
    store = built.store     # ours, plus the part of each input the analysis needs
    report = MergeReport(allow_ontology_changes=allow_ontology_changes)
    if timestamp is not None:
        report.timestamp = timestamp.isoformat() if isinstance(timestamp, datetime) else str(timestamp)
    spool = _Spool()
    try:
        our_labels = _our_labels(built, ours)
        for g in sorted(ours.graphs):
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g)):
                spool.add(_line(q.subject, q.predicate, q.object, g, our_labels))
        watch = _analysis_predicates(ours)
        left_out: dict[str, list[str]] = {}
        prefixes: dict[str, str] = {}
        by_sha: dict[str, InputInfo] = {}
        removed_counts: dict[str, int] = {}
        for raw in inputs:
            path = Path(raw)
            fmt = format_for(path)
            sha, size = _hash_and_screen(path, fmt)
            if sha in by_sha:
                first = by_sha[sha]
                report.inputs.append(InputInfo(str(raw), first.graph, sha, first.media_type, size, 0, 0, 0,
                                               duplicate_of=first.path))
                continue
            info, labels, removed, n_removed, input_prefixes = _load_input(
                store, spool, path, str(raw), fmt, sha, size, ours, watch, report, allow_ontology_changes, progress)
            by_sha[sha] = info
            report.inputs.append(info)
            left_out[info.graph] = removed
            removed_counts[info.graph] = n_removed
            for k, v in input_prefixes.items():
                if re.fullmatch(r"[A-Za-z][\w-]*", k) and k not in DISPLAY_PREFIXES \
                        and v not in DISPLAY_PREFIXES.values() and v not in prefixes.values():
                    prefixes.setdefault(k, v)
            _analyse(store, info, labels, ours, report)
        _sort_report(report)
        del store, built
        nquads, counts = spool.finish(progress)
        for info in report.inputs:
            first = by_sha[info.sha256]
            info.triples_kept = sum(counts.get(g, 0) for g in [first.graph, *first.subgraphs.values()])
            info.left_out = removed_counts[first.graph]
            info.triples_parsed = info.triples_kept + info.left_out
        meta = sorted(_line(s, p, o, META_GRAPH.value, None).split("\t", 1)[1]
                      for s, p, o in _metadata(ours, project.root, report, counts, report.timestamp))
        nquads.seek(0, os.SEEK_END)
        nquads.write("".join(meta).encode("utf-8"))
        counts[META_GRAPH.value] = len(meta)
    except BaseException:
        spool.close()
        raise
    spool.close()
    all_prefixes = {**dict(sorted(prefixes.items())), **DISPLAY_PREFIXES}
    return MergeResult(report, nquads, dict(sorted(all_prefixes.items())), left_out, dict(sorted(counts.items())))


def _line(s, p, o, graph: str, labels: dict | None) -> str:
    """A sort line: the graph, a tab, then the N-Quads line (graphs first, then subjects...)."""
    g = f"<{graph}>"
    return f"{g}\t{_nt(s, labels)} {_nt(p)} {_nt(o, labels)} {g} .\n"


def _analysis_predicates(ours: "_Ours") -> frozenset[str]:
    """Predicates of input triples the analysis looks at (the rest only goes to the output):
    names, links, the measurement pattern, mapped properties, and every predicate our entities use
    that conflicts are looked for in."""
    preds = set(LABEL_PREDICATES) | set(LINK_PREDICATES) | set(OTHER_PROPERTIES)
    preds |= {TS + x for x in ("measuredEntity", "aspect", "quantity", "partOf", "valueText", "hedge", "referencePeriod")}
    preds |= {ns + x for ns in (SCHEMA, SCHEMA_HTTP) for x in ("value", "minValue", "maxValue")}
    for pid in WIKIDATA_PROPERTIES:
        preds |= {WDT + pid, WDP + pid, WDPS + pid}
    preds.add(WDPQ + "P585")
    preds |= {p for p in ours.predicates if _compared(p)}
    return frozenset(preds)


def _load_input(store: ox.Store, spool: "_Spool", path: Path, given: str, fmt, sha: str, size: int,
                ours: "_Ours", watch: frozenset[str], report: MergeReport, allow: bool,
                progress: Progress | None):
    graph = INPUT_GRAPH_BASE + sha
    g_node = ox.NamedNode(graph)
    subgraphs: dict[str, str] = {}
    bnode_graph_index: dict = {}
    blanks = BlankQuads()
    graph_parts: dict[str, str] = {}
    removed_quads: set[tuple] = set()
    changes: list[tuple] = []
    imports: list[tuple] = []
    std_axioms: list[tuple] = []
    seen_changes: set = set()
    analysis: list[ox.Quad] = []

    def target(gn) -> ox.NamedNode:
        if isinstance(gn, ox.DefaultGraph):
            return g_node
        if isinstance(gn, ox.BlankNode):
            key = bnode_graph_index.setdefault(gn, f"b{len(bnode_graph_index)}")
            name = f"_:{key}"
            iri = f"{graph}/graph/{key}"
        else:
            name = f"<{gn.value}>"
            iri = f"{graph}/graph/{hashlib.sha256(gn.value.encode()).hexdigest()[:16]}"
        subgraphs.setdefault(name, iri)
        return ox.NamedNode(iri)

    BNode, Triple = ox.BlankNode, ox.Triple

    def has_blank(term) -> bool:
        t = type(term)
        if t is BNode:
            return True
        if t is Triple:
            return has_blank(term.subject) or has_blank(term.object)
        return False

    graph_text: dict[str, str] = {}

    def keep_blank(s, p, o, g, kept: bool) -> None:
        gp = graph_parts.get(g.value)
        if gp is None:
            gp = graph_parts.setdefault(g.value, f" <{g.value}>")
        blanks.add(s, p, o, gp, kept)

    reader = None
    try:
        reader = _Reader(path, given, size, progress)
        parser = ox.parse(reader, format=fmt, rename_blank_nodes=True)
        for q in parser:
            gq = target(q.graph_name)
            s, p, o = q.subject, q.predicate, q.object
            has_b = has_blank(s) or has_blank(o)
            pv = p.value
            if pv == OWL_IMPORTS:
                imports.append((s, o))
                removed_quads.add((s, p, o, gq))
                if has_b:
                    keep_blank(s, p, o, gq, False)
                continue
            reason = None
            if _is_ontology_term(s):
                reason = "subject is a term of our ontology"
            elif pv in AXIOM_PREDICATES and _is_ontology_term(o):
                reason = f"{_short(pv)} pointing at a term of our ontology"
            if reason:
                if (s, p, o) not in seen_changes:
                    seen_changes.add((s, p, o))
                    changes.append((s, p, o, reason))
                if not allow:
                    removed_quads.add((s, p, o, gq))
                    if has_b:
                        keep_blank(s, p, o, gq, False)
                    continue
            elif pv in AXIOM_PREDICATES and (
                    (isinstance(s, ox.NamedNode) and s.value in ours.standard_terms)
                    or (pv in SYMMETRIC_AXIOMS and isinstance(o, ox.NamedNode) and o.value in ours.standard_terms)):
                if (s, p, o) not in seen_changes:
                    seen_changes.add((s, p, o))
                    std_axioms.append((s, p, o))
            if has_b:
                keep_blank(s, p, o, gq, True)
            else:
                gt = graph_text.get(gq.value) or graph_text.setdefault(gq.value, f"<{gq.value}>")
                spool.add(f"{gt}\t{s} {p} {o} {gt} .\n")  # no blank node: str() is the N-Triples form
            if pv in watch or (isinstance(s, ox.NamedNode) and s.value in ours.watched):
                analysis.append(ox.Quad(s, p, o, gq))
                if len(analysis) >= _BATCH:
                    store.extend(analysis)
                    analysis = []
        store.extend(analysis)
        input_prefixes = dict(parser.prefixes or {})
        if reader.at_end and reader.sha256.hexdigest() != sha:
            raise LoadError(given, None, None, "the file changed while it was being read; merge again")
    except SyntaxError as e:
        raise _load_error(given, e) from None
    except ValueError as e:
        raise LoadError(given, None, None, str(e)) from None
    except OSError as e:
        raise LoadError(given, None, None, f"cannot read file: {e.strerror or e}") from None
    finally:
        if reader is not None:
            reader.close()

    compiled = list(blanks.quads)
    label_list = canonical_labels(compiled, len(blanks.index), graph)
    for qt in compiled:
        if blanks.quads[qt]:
            spool.add(f"<{qt[-1][2:-1]}>\t{BlankQuads.render(qt, label_list)} .\n")
    del compiled
    labels = blanks.labels_by_node(label_list)
    del blanks
    for s, p, o, reason in changes:
        report.ontology_changes_total += 1
        if len(report.ontology_changes) < REPORT_LIMIT:
            report.ontology_changes.append(OntologyChange(given, _nt(s, labels), _nt(p), _nt(o, labels), reason, allow))
    for s, p, o in std_axioms[:REPORT_LIMIT]:
        report.standard_term_axioms.append(OntologyChange(
            given, _nt(s, labels), _nt(p), _nt(o, labels), "axiom about a standard term our ontology uses", True))
    for s, o in imports:
        report.unresolved_imports.append(UnresolvedImport(given, _nt(s, labels), _nt(o, labels)))
    removed = sorted({f"{_nt(s, labels)} {_nt(p)} {_nt(o, labels)} ." for s, p, o, g in removed_quads})
    info = InputInfo(given, graph, sha, MEDIA_TYPES.get(fmt, str(fmt)), size, 0, 0, 0,
                     dict(sorted(subgraphs.items())))
    return info, labels, removed, len(removed_quads), input_prefixes


def _analyse(store: ox.Store, info: InputInfo, labels: dict, ours: _Ours, report: MergeReport) -> None:
    """Matches, candidates, conflicts and new entities of one input."""
    graphs = [ox.NamedNode(info.graph), *(ox.NamedNode(g) for g in info.subgraphs.values())]
    given = info.path

    def in_input(s=None, p=None, o=None):
        for g in graphs:
            yield from store.quads_for_pattern(s, p, o, g)

    def their_label(term) -> str | None:
        found = sorted(q.object.value for q in in_input(term) if q.predicate.value in LABEL_PREDICATES
                       and isinstance(q.object, ox.Literal))
        return found[0] if found else None

    matches: dict[tuple[str, str], Match] = {}

    def add_match(our_iri: str, theirs, basis: str, via: str | None) -> None:
        key = (our_iri, _nt(theirs, labels))
        if key not in matches:
            matches[key] = Match(f"<{our_iri}>", key[1], given, basis, via and f"<{via}>",
                                 ours.labels.get(our_iri), their_label(theirs))

    # same IRI
    for iri in sorted(ours.entities):
        if next(iter(in_input(ox.NamedNode(iri))), None) is not None:
            add_match(iri, ox.NamedNode(iri), "same IRI", None)
    # the same external IRI: they describe it, or link to it
    for ext, our_iris in sorted(ours.external.items()):
        node = ox.NamedNode(ext)
        for our_iri in sorted(our_iris):
            if next(iter(in_input(node)), None) is not None:
                add_match(our_iri, node, "shared external IRI", ext)
            for lp in LINK_PREDICATES:
                for q in in_input(None, ox.NamedNode(lp), node):
                    add_match(our_iri, q.subject, "shared external IRI", ext)
                for q in in_input(node, ox.NamedNode(lp), None):
                    if not isinstance(q.object, ox.Literal):
                        add_match(our_iri, q.object, "shared external IRI", ext)
    # linked to one of ours directly
    for lp in LINK_PREDICATES:
        for q in in_input(None, ox.NamedNode(lp), None):
            for a, b in ((q.subject, q.object), (q.object, q.subject)):
                if isinstance(a, ox.NamedNode) and a.value in ours.entities and not isinstance(b, ox.Literal) \
                        and not (isinstance(b, ox.NamedNode) and b.value in ours.entities):
                    add_match(a.value, b, f"linked with {_short(lp)}", None)

    matched_theirs = {m.theirs for m in matches.values()}
    # candidates by label
    candidates: dict[tuple[str, str], Candidate] = {}
    labelled: dict[str, object] = {}
    for lp in sorted(LABEL_PREDICATES):
        for q in in_input(None, ox.NamedNode(lp), None):
            if not isinstance(q.object, ox.Literal) or isinstance(q.subject, ox.Triple):
                continue
            theirs = _nt(q.subject, labels)
            labelled.setdefault(theirs, q.subject)
            if theirs in matched_theirs:
                continue
            n = normalise_name(q.object.value)
            if not n:
                continue
            hits = [(x, "same spelling after normalisation", n) for x in ours.strong.get(n, ())]
            if not hits:
                k = skeleton(n)
                hits = [(x, "same consonant skeleton", k) for x in ours.weak.get(k, ())]
            for (our_iri, our_label), rule, key in hits:
                if f"<{our_iri}>" == theirs:
                    continue
                ck = (our_iri, theirs)
                c = Candidate(f"<{our_iri}>", theirs, given, our_label, q.object.value, key, rule)
                if ck not in candidates or _cand_rank(c) < _cand_rank(candidates[ck]):
                    candidates[ck] = c
    report.matches.extend(matches.values())
    report.candidates.extend(candidates.values())

    # new entities: labelled, neither matched nor candidate
    paired = matched_theirs | {c.theirs for c in candidates.values()}
    new = [t for t in labelled if t not in paired]
    report.new_entities_total[given] = len(new)
    report.new_entities[given] = [
        f"{_short(t)} {their_label(labelled[t])!r}" for t in heapq.nsmallest(REPORT_LIMIT, new)]

    _conflicts(store, graphs, info, labels, ours, matches, candidates, report)


def _cand_rank(c: Candidate) -> tuple:
    return (c.rule != "same spelling after normalisation", c.their_label, c.our_label)


def _conflicts(store, graphs, info, labels, ours: _Ours, matches, candidates, report) -> None:
    given = info.path
    pairs: list[tuple[str, str, str]] = []  # (our IRI, their N-Triples, basis)
    for m in matches.values():
        via = f" {_short(m.via)}" if m.via else ""
        pairs.append((m.ours[1:-1], m.theirs, m.basis + via))
    for c in candidates.values():
        pairs.append((c.ours[1:-1], c.theirs, f"candidate by label {c.their_label!r}, if accepted"))
    if not pairs:
        return
    # equivalences for comparing IRI values: their IRI -> our IRI
    equiv: dict[str, str] = {}
    for m in matches.values():
        equiv.setdefault(m.theirs, m.ours)
    for ext, our_iris in ours.external.items():
        if len(our_iris) == 1:
            equiv.setdefault(f"<{ext}>", f"<{next(iter(our_iris))}>")

    def canon(text: str) -> str:
        return equiv.get(text, text)

    # their facts from the measurement pattern and from mapped properties
    theirs_facts = _measurement_facts(store, _THEIR_MEASUREMENTS, lambda g: given, labels, default_graph=graphs)
    direct = " ".join(f"<{WDT}{p}>" for p in WIKIDATA_PROPERTIES)
    full = " ".join(f"(<{WDP}{p}> <{WDPS}{p}>)" for p in WIKIDATA_PROPERTIES)
    wikidata: dict[str, list[_Fact]] = defaultdict(list)
    for r in store.query(_WIKIDATA_FACTS % {"direct": direct, "full": full}, default_graph=graphs):
        pid = r["prop"].value.rsplit("/", 1)[-1]
        kind, target = WIKIDATA_PROPERTIES[pid]
        detail = f"point in time {r['time'].value}" if r["time"] is not None else None
        node = _nt(r["st"], labels) if r["st"] is not None else None
        wikidata[_nt(r["x"], labels)].append(_mapped_fact(kind, target, r["v"], given, node, detail, labels,
                                                          f"{_short(r['prop'].value)}"))
    for x, facts in wikidata.items():
        # wdt: is the "truthy" copy of a full statement: keep the statement, with its qualifiers
        full_values = {(f.key, f.shown) for f in facts if f.node is not None}
        theirs_facts[x].extend(f for f in facts if f.node is not None or (f.key, f.shown) not in full_values)
    for prop, (kind, target) in OTHER_PROPERTIES.items():
        for g in graphs:
            for q in store.quads_for_pattern(None, ox.NamedNode(prop), None, g):
                v = q.object
                if not isinstance(v, ox.Literal):
                    inner = [x.object for x in store.quads_for_pattern(v, ox.NamedNode(SCHEMA + "value"), None, g)] + \
                            [x.object for x in store.quads_for_pattern(v, ox.NamedNode(SCHEMA_HTTP + "value"), None, g)]
                    v = inner[0] if inner else v
                theirs_facts[_nt(q.subject, labels)].append(
                    _mapped_fact(kind, target, v, given, None, None, labels, _short(prop)))

    def predicate_facts(term_text: str, their_term, is_ours: bool) -> list[_Fact]:
        out = []
        if is_ours:
            node = ox.NamedNode(term_text)
            for q in store.quads_for_pattern(node, None, None, None):
                src = ours.graphs.get(q.graph_name.value) if isinstance(q.graph_name, ox.NamedNode) else None
                if src is None or not _compared(q.predicate.value):
                    continue
                out.append(_Fact("predicate " + q.predicate.value, q.object, _literal_text(q.object), src))
        else:
            for g in graphs:
                for q in store.quads_for_pattern(their_term, None, None, g):
                    if _compared(q.predicate.value):
                        out.append(_Fact("predicate " + q.predicate.value, q.object,
                                         _literal_text(q.object, labels), given))
        return out

    seen = set()
    for our_iri, theirs_text, basis in sorted(pairs):
        if (our_iri, theirs_text) in seen:
            continue
        seen.add((our_iri, theirs_text))
        their_term = _term_of(theirs_text, labels)
        ours_all = list(ours.facts.get(f"<{our_iri}>", [])) + predicate_facts(our_iri, None, True)
        theirs_all = list(theirs_facts.get(theirs_text, []))
        if their_term is not None:
            theirs_all += predicate_facts(theirs_text, their_term, False)
        by_key_ours: dict[str, list[_Fact]] = defaultdict(list)
        for f in ours_all:
            by_key_ours[f.key].append(f)
        by_key_theirs: dict[str, list[_Fact]] = defaultdict(list)
        for f in theirs_all:
            by_key_theirs[f.key].append(f)
        for key in sorted(set(by_key_ours) & set(by_key_theirs)):
            o_vals, t_vals = by_key_ours[key], by_key_theirs[key]
            if all(any(_agree(t, o, canon) for o in o_vals) for t in t_vals):
                continue
            kind, iri = key.split(" ", 1)
            prop = f"{_short(iri)} (measured aspect)" if kind == "aspect" else _short(iri)
            report.conflicts.append(Conflict(
                f"<{our_iri}>", theirs_text, given, basis, prop,
                sorted((Value(f.shown, f.source, f.node, f.detail) for f in o_vals), key=_value_key),
                sorted((Value(f.shown, f.source, f.node, f.detail) for f in t_vals), key=_value_key)))


def _value_key(v: Value) -> tuple:
    return (v.value, v.source, v.node or "", v.detail or "")


def _compared(p: str) -> bool:
    return p not in NOT_COMPARED and not p.startswith(NOT_COMPARED_NAMESPACES)


def _term_of(text: str, labels: dict):
    if text.startswith("<") and text.endswith(">"):
        return ox.NamedNode(text[1:-1])
    if text.startswith("_:"):
        for b, lab in labels.items():
            if "_:" + lab == text:
                return b
    return None


def _mapped_fact(kind, target, v, source, node, detail, labels, via) -> _Fact:
    detail = "; ".join(x for x in (f"via {via}", detail) if x)
    if kind == "aspect":
        n = _number(v)
        return _Fact("aspect " + target, (n, n) if n is not None else v, _literal_text(v, labels), source, node, detail)
    return _Fact("predicate " + target, v, _literal_text(v, labels), source, node, detail)


def _agree(t: _Fact, o: _Fact, canon) -> bool:
    a, b = t.term, o.term
    if isinstance(a, tuple) or isinstance(b, tuple):
        if not (isinstance(a, tuple) and isinstance(b, tuple)):
            return False
        (alo, ahi), (blo, bhi) = a, b
        lo = max(x for x in (alo, blo) if x is not None) if (alo is not None or blo is not None) else None
        hi = min(x for x in (ahi, bhi) if x is not None) if (ahi is not None or bhi is not None) else None
        return lo is None or hi is None or lo <= hi
    if isinstance(a, ox.Literal) and isinstance(b, ox.Literal):
        na, nb = _number(a), _number(b)
        if na is not None and nb is not None:
            return na == nb
        return a.value == b.value and (a.language or "").lower() == (b.language or "").lower()
    if isinstance(a, ox.Literal) or isinstance(b, ox.Literal):
        return False
    return canon(_nt(a)) == canon(_nt(b))


def _sort_report(report: MergeReport) -> None:
    report.matches.sort(key=lambda m: (m.input, m.ours, m.theirs))
    report.candidates.sort(key=lambda c: (c.input, c.ours, c.theirs))
    report.conflicts.sort(key=lambda c: (c.input, c.ours, c.theirs, c.property))
    report.ontology_changes.sort(key=lambda h: (h.input, h.subject, h.predicate, h.object))
    report.standard_term_axioms.sort(key=lambda h: (h.input, h.subject, h.predicate, h.object))
    report.unresolved_imports.sort(key=lambda u: (u.input, u.subject, u.imported))


# ---- Metadata graph ----

def _metadata(ours: _Ours, root: Path, report: MergeReport, counts: dict[str, int],
              timestamp: str | None) -> list[tuple]:
    """The metadata graph's triples: where each graph of the merge came from (VoID, PROV-O,
    DCAT, SPDX), how many triples it holds, and the merge activity."""
    M = META_GRAPH
    out: list[tuple] = []

    def t(s, p, o) -> None:
        out.append((s, ox.NamedNode(p), o))

    def lit(v, dt: str | None = None) -> ox.Literal:
        return ox.Literal(str(v), datatype=ox.NamedNode(dt)) if dt else ox.Literal(str(v))

    def iri(v: str) -> ox.NamedNode:
        return ox.NamedNode(v)

    A = MERGE_ACTIVITY
    t(M, RDF + "type", iri(VOID + "Dataset"))
    t(M, DCTERMS + "title", ox.Literal("tajsec merge: our graphs and the inputs, one named graph each", language="en"))
    t(A, RDF + "type", iri(PROV + "Activity"))
    t(A, RDFS + "label", ox.Literal("tajsec merge", language="en"))
    t(A, RDFS + "comment", ox.Literal(
        "Ontology changes in the inputs were " + ("kept (allow_ontology_changes)." if report.allow_ontology_changes
                                                  else "left out; the merge report lists them.")
        + (" owl:imports were stripped and nothing was fetched."), language="en"))
    if timestamp:
        t(A, PROV + "startedAtTime", lit(timestamp, XSD + "dateTime"))
    else:
        t(A, RDFS + "comment", ox.Literal(
            "No load time is recorded (the caller passed no timestamp), so that merging the same inputs "
            "gives the same bytes.", language="en"))
    for g, rel in sorted(ours.graphs.items()):
        G = iri(g)
        t(M, VOID + "subset", G)
        t(G, RDF + "type", iri(VOID + "Dataset"))
        t(G, RDF + "type", iri(PROV + "Entity"))
        t(G, VOID + "triples", lit(counts.get(g, 0), XSD + "integer"))
        if g == DERIVED_GRAPH.value:
            t(G, DCTERMS + "title", ox.Literal("derived by the build rules (queries/construct-*.rq)", language="en"))
            for other in sorted(ours.graphs):
                if other != g:
                    t(G, PROV + "wasDerivedFrom", iri(other))
            continue
        t(G, DCTERMS + "title", ox.Literal(rel))
        f = root / rel
        if f.is_file():
            sha = hashlib.sha256(f.read_bytes()).hexdigest()
            _file_description(t, G, iri(g + "#file"), Path(rel).name, rel, f.stat().st_size, "text/turtle", sha, None)
    for info in report.inputs:
        if info.duplicate_of:
            continue
        G = iri(info.graph)
        F = iri(info.graph + "#file")
        t(M, VOID + "subset", G)
        t(G, RDF + "type", iri(VOID + "Dataset"))
        t(G, RDF + "type", iri(PROV + "Entity"))
        t(G, DCTERMS + "title", ox.Literal(Path(info.path).name))
        t(G, VOID + "triples", lit(info.triples_kept, XSD + "integer"))
        t(G, PROV + "wasGeneratedBy", A)
        t(A, PROV + "used", F)
        if timestamp:
            t(G, PROV + "generatedAtTime", lit(timestamp, XSD + "dateTime"))
        if info.left_out:
            t(G, RDFS + "comment", ox.Literal(
                f"{info.left_out} triple(s) of the file were left out (changes to the tajsec ontology, owl:imports); "
                "the merge report lists them.", language="en"))
        for orig, sub in sorted(info.subgraphs.items()):
            S = iri(sub)
            t(G, VOID + "subset", S)
            t(S, RDF + "type", iri(VOID + "Dataset"))
            t(S, DCTERMS + "identifier", ox.Literal(orig))
            t(S, RDFS + "comment", ox.Literal(f"the named graph {orig} of the input file", language="en"))
        _file_description(t, G, F, Path(info.path).name, info.path, info.size, info.media_type, info.sha256,
                          info.triples_parsed)
    return out


def _file_description(t, G, F, name: str, given: str, size: int, media_type: str, sha: str,
                      triples: int | None) -> None:
    t(G, PROV + "wasDerivedFrom", F)
    t(F, RDF + "type", ox.NamedNode(DCAT + "Distribution"))
    t(F, RDF + "type", ox.NamedNode(PROV + "Entity"))
    t(F, DCTERMS + "title", ox.Literal(name))
    t(F, DCTERMS + "source", ox.Literal(given))
    t(F, DCAT + "byteSize", ox.Literal(str(size), datatype=ox.NamedNode(XSD + "nonNegativeInteger")))
    t(F, DCAT + "mediaType", ox.NamedNode("https://www.iana.org/assignments/media-types/" + media_type))
    if triples is not None:
        t(F, VOID + "triples", ox.Literal(str(triples), datatype=ox.NamedNode(XSD + "integer")))
    C = ox.NamedNode(F.value.replace("#file", "#sha256"))
    t(F, SPDX + "checksum", C)
    t(C, RDF + "type", ox.NamedNode(SPDX + "Checksum"))
    t(C, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
    t(C, SPDX + "checksumValue", ox.Literal(sha, datatype=ox.NamedNode(XSD + "hexBinary")))


# ---- Writing ----

class _Spool:
    """Lines in any order in, sorted and de-duplicated lines out; sorted runs of `chunk` lines are
    spilled to temporary files, so memory stays bounded whatever the size of the inputs."""

    def __init__(self, chunk: int = _SORT_CHUNK):
        self.chunk = chunk
        self.runs: list = []
        self.buf: list[str] = []
        self.added = 0

    def add(self, line: str) -> None:
        self.buf.append(line)
        self.added += 1
        if len(self.buf) >= self.chunk:
            self._spill()

    def _spill(self) -> None:
        self.buf.sort()
        f = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n")
        f.writelines(self.buf)
        f.seek(0)
        self.runs.append(f)
        self.buf = []

    def finish(self, progress: Progress | None = None):
        """The sorted, de-duplicated N-Quads (a binary temporary file) and the triples per graph."""
        self.buf.sort()
        out = tempfile.TemporaryFile("w+b")
        counts: dict[str, int] = defaultdict(int)
        prev = None
        done = 0
        lines = heapq.merge(*self.runs, self.buf) if self.runs else iter(self.buf)
        for line in lines:
            done += 1
            if progress and done % 200_000 == 0:
                progress("sort", done, self.added)
            if line == prev:
                continue
            prev = line
            key, rest = line.split("\t", 1)
            counts[key[1:-1]] += 1
            out.write(rest.encode("utf-8"))
        if progress:
            progress("sort", self.added, self.added)
        out.flush()
        return out, dict(counts)

    def close(self) -> None:
        for f in self.runs:
            f.close()
        self.runs = []
        self.buf = []


def _write(result: MergeResult, out) -> None:
    result._nquads.seek(0)
    w = SortedPrefixWriter(out, result.prefixes)
    ox.serialize(ox.parse(result._nquads, format=ox.RdfFormat.N_QUADS), w, format=ox.RdfFormat.TRIG,
                 prefixes=result.prefixes)
    w.finish()


def trig_bytes(result: MergeResult) -> bytes:
    """The merged dataset as TriG: graphs, then subjects, in code-point order, the metadata graph
    last (deterministic)."""
    buf = io.BytesIO()
    _write(result, buf)
    return buf.getvalue()


def write_trig(result: MergeResult, path: Path) -> None:
    """Write the merged dataset as sorted TriG to `path`, atomically and streamed, so that a
    large merge is never held in memory. On failure `path` is left as it was."""
    from tajsec.rdfio import atomic_writer

    with atomic_writer(path) as f:
        _write(result, f)
