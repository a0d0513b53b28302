"""What the docs site knows before it writes a page: the graph index, which node is what (class,
property, concept scheme, concept, entity, statement, quantity, time), the site path where each
one is shown, and the SHACL shapes."""
from __future__ import annotations

import functools
from collections import defaultdict

import pyoxigraph as ox

from tajsec.core.namespaces import ONTOLOGY_IRI, TS, TSD
from tajsec.core.project import Project
from tajsec.graph.build import Built
from tajsec.graph.describe_rdf import ALL_SHAPES
from tajsec.graph.index import GraphIndex
from tajsec.graph.time import node_span
from tajsec.site.shapes import SHAPES_PAGE, ShapeIndex, load_shapes
from tajsec.site.text import local_name, slug
from tajsec.site.vocab import ENTITY_ROOTS, OWL, PROV, SKOS
from tajsec.timeline.bounds import MAX, span
from tajsec.timeline.reader import Timeline, read_timeline


class SiteModel:
    """Read-only once made: page functions take it, with the path of the page they write."""

    def __init__(self, project: Project, built: Built):
        self.project = project
        self.built = built
        self.g = GraphIndex(built.store)
        self.path: dict[str, str] = {}  # IRI -> site path (with #fragment for concepts, statements)
        self._classify_terms()
        self._classify_nodes()
        self.shapes: ShapeIndex = load_shapes(project.shape_files)
        self.path.update(self.shapes.paths())
        # page path -> IRI, for the nodes with a page of their own (their RDF files sit beside it)
        self.described: dict[str, str] = {
            self.path[n]: n for n in (*self.entities, *self.classes, *self.properties, *self.schemes)
            if "#" not in self.path[n]}
        self.described[self.path[ONTOLOGY_IRI]] = ONTOLOGY_IRI  # the whole ontology, as serve's /onto
        self.described[SHAPES_PAGE] = ALL_SHAPES  # every shape, as serve's /shapes

    def _classify_terms(self) -> None:
        """The classes, properties, concept schemes and concepts of ts:, and their pages."""
        g = self.g
        subjects = sorted(g.out)
        self.classes, self.properties, self.schemes, self.concepts = [], [], [], {}
        for s in subjects:
            if not s.startswith(TS):
                continue
            types = g.types.get(s, set())
            if OWL + "Class" in types:
                self.classes.append(s)
            elif types & {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty"}:
                self.properties.append(s)
            elif SKOS + "ConceptScheme" in types:
                self.schemes.append(s)
        for s in subjects:
            if s.startswith(TS):
                schemes = sorted(o for o in g.iris(s, SKOS + "inScheme"))
                if schemes:
                    self.concepts[s] = schemes[0]
        self._assign(self.classes, "terms/classes", keep_case=True)
        self._assign(self.properties, "terms/properties", keep_case=True)
        self._assign(self.schemes, "terms/schemes", keep_case=True)
        for c, scheme in sorted(self.concepts.items()):
            if scheme in self.path:
                self.path[c] = f"{self.path[scheme]}#{slug(local_name(c))}"
        self.path[ONTOLOGY_IRI] = "terms/index.html"
        self.path[ONTOLOGY_IRI + "/"] = "terms/index.html"

    def _classify_nodes(self) -> None:
        """The tsd: nodes: entities (a page each), statements (a card on their home page),
        quantities, intervals and instants (shown inside the cards)."""
        g = self.g
        subjects = sorted(g.out)
        nodes = sorted({s for s in subjects if s.startswith(TSD)}
                       | {o for o in g.inc if o.startswith(TSD)})
        self.entities, self.statements, self.quantities, self.intervals, self.instants = [], [], [], [], []
        for n in nodes:
            t = g.all_types(n)
            if TS + "Statement" in t:
                self.statements.append(n)
            elif TS + "Quantity" in t:
                self.quantities.append(n)
            elif TS + "Interval" in t:
                self.intervals.append(n)
            elif TS + "Instant" in t:
                self.instants.append(n)
            else:
                self.entities.append(n)
        self._assign(self.entities, "entities")
        self.entity_set = set(self.entities)
        self.statement_set = set(self.statements)
        self.quantity_set = set(self.quantities)
        self.interval_set = set(self.intervals) | set(self.instants)
        # a statement's card lives on its section's page (every statement has a section), else on
        # the page of the first entity it names
        self.home: dict[str, str] = {}
        for st in self.statements:
            sections = [s for s in g.iris(st, TS + "inSection") if s in self.entity_set]
            if sections:
                self.home[st] = sections[0]
            else:
                named = sorted(o for p, o in self._links_out(st)
                               if o in self.entity_set and p != PROV + "wasDerivedFrom")
                if named:
                    self.home[st] = named[0]
            if st in self.home:
                self.path[st] = f"{self.path[self.home[st]]}#{self.anchor(st)}"
        # a quantity links to the statement that has it
        for q in self.quantities:
            owners = sorted(s for s, p in g.inc.get(q, []) if p == TS + "quantity" and s in self.path)
            if owners:
                self.path[q] = self.path[owners[0]]
        self.papers = {e for e in self.entities if g.is_a(e, TS + "Chapter")}

    def _assign(self, iris: list[str], folder: str, keep_case: bool = False) -> None:
        taken = {p.lower() for p in self.path.values()}
        for iri in sorted(iris):
            base = f"{folder}/{slug(local_name(iri), keep_case)}"
            cand, i = f"{base}.html", 2
            while cand.lower() in taken:  # safe on case-insensitive file systems too
                cand, i = f"{base}-{i}.html", i + 1
            taken.add(cand.lower())
            self.path[iri] = cand

    def _links_out(self, s: str) -> list[tuple[str, str]]:
        return [(p, o.value) for p, o in self.g.out.get(s, []) if isinstance(o, ox.NamedNode)]

    @staticmethod
    def anchor(iri: str) -> str:
        return "s-" + slug(local_name(iri))

    def kinds(self, n: str) -> list[str]:
        """The most specific ts: classes of a node."""
        ts_types = sorted(t for t in self.g.types.get(n, ()) if t.startswith(TS))
        return [t for t in ts_types if not any(t != o and t in self.g.ancestors(o) for o in ts_types)]

    def entity_root(self, e: str) -> str:
        t = self.g.all_types(e)
        for r in ENTITY_ROOTS:
            if r in t:
                return r
        return ""

    def statements_about(self, e: str) -> list[tuple[str, list[str]]]:
        """Statements, events and agreements that point to `e`, with the properties they use."""
        g = self.g
        roles: dict[str, list[str]] = defaultdict(list)
        paper = e in self.papers
        for s, p in g.inc.get(e, []):
            if s == e or g.is_derived(s, p, ox.NamedNode(e)):
                continue
            if paper and p == PROV + "wasDerivedFrom":
                continue
            t = g.all_types(s)
            if (TS + "Statement" in t or TS + "Event" in t or TS + "Agreement" in t) and p not in roles[s]:
                roles[s].append(p)
        return [(s, roles[s]) for s in roles]

    def node_dates(self, n: str) -> tuple[str | None, str | None]:
        when = node_span(self.g, n)
        return (when.begin, when.end) if when else (None, None)

    @functools.cached_property
    def timeline(self) -> Timeline:
        """The normalised times of every statement, event and agreement (tajsec.timeline)."""
        return read_timeline(self.built.store)

    def time_key(self, n: str) -> tuple:
        """Sorts `n` by its normalised time: earliest beginning, latest beginning, latest end (the
        timeline's bounds, else the date node_dates gives), undated last."""
        tl, t = self.timeline, self.timeline.things.get(n)
        if t is not None and tl.dated(n):
            b, e = tl.begin(t.key), tl.end(t.key)
            return (False, b.lo, b.hi, e.hi)
        start, end = self.node_dates(n)
        d = span(start or end or "")
        return (False, d.lo, d.hi, d.hi) if d else (True, MAX, MAX, MAX)

    @property
    def version(self) -> str:
        v = self.g.first(ONTOLOGY_IRI, OWL + "versionInfo")
        return v.value if v is not None else "unversioned"
