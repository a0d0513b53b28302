"""The shape of a SPARQL query as `tajsec.core.sparql_syntax` reads it: terms, property paths,
triple patterns (each with where it sits), a SELECT (or CONSTRUCT) and the query around it."""
from __future__ import annotations

from dataclasses import dataclass, field


# Terms, paths and patterns are values: compared and hashed by their fields, and never changed
# once read (the reader alone sets a pattern's group, context and graph as it places it). Not
# frozen: a frozen dataclass is built field by field through object.__setattr__, 3-4x slower,
# and a query makes hundreds of them.
@dataclass(slots=True, unsafe_hash=True)
class Var:
    name: str


@dataclass(slots=True, unsafe_hash=True)
class Iri:
    value: str


@dataclass(slots=True, unsafe_hash=True)
class Lit:
    value: str
    language: str | None = None
    datatype: str | None = None  # None: xsd:string (or rdf:langString with a language)


Term = Var | Iri | Lit


@dataclass(slots=True, unsafe_hash=True)
class PathSeq:
    steps: tuple  # of paths


@dataclass(slots=True, unsafe_hash=True)
class PathAlt:
    options: tuple


@dataclass(slots=True, unsafe_hash=True)
class PathInv:
    path: Path


@dataclass(slots=True, unsafe_hash=True)
class PathMod:
    path: Path
    mod: str  # "?", "*" or "+"


@dataclass(slots=True, unsafe_hash=True)
class PathNeg:
    """A negated property set `!(p1|^p2)`: any predicate but the forward ones, and (inverted) any
    but the inverse ones; a side with no members is not walked unless the other has none either."""
    text: str
    forward: tuple[str, ...] = ()
    inverse: tuple[str, ...] = ()


Path = Iri | Var | PathSeq | PathAlt | PathInv | PathMod | PathNeg


@dataclass(slots=True, unsafe_hash=True)
class Pattern:
    s: Term
    p: Path
    o: Term
    context: str = "required"  # required, optional, union, exists, not-exists, minus, service
    graph: Term | None = None  # the GRAPH the pattern sits in (an IRI or a variable); None: the default graph
    group: int = 0  # the OPTIONAL group or UNION branch (0: the query's required part): joined together


@dataclass
class Select:
    projection: list = field(default_factory=list)  # (variable name, kind): kind "var", "expr" or "aggregate"
    star: bool = False
    distinct: bool = False
    distinct_span: tuple[int, int] = (0, 0)  # the DISTINCT (or REDUCED) keyword's text
    sliced: bool = False  # LIMIT or OFFSET
    group_by: list[str] = field(default_factory=list)  # plain GROUP BY variables
    grouped: bool = False  # GROUP BY or an aggregate
    patterns: list[Pattern] = field(default_factory=list)
    subselects: list[Select] = field(default_factory=list)
    where_span: tuple[int, int] = (0, 0)  # the WHERE group's text, braces included
    projection_end: int = 0  # where the SELECT clause's projection ends (before FROM or WHERE)
    template: list[Pattern] = field(default_factory=list)  # CONSTRUCT only
    form: str = "SELECT"


@dataclass
class Query:
    text: str
    prefixes: dict[str, str]
    prologue_end: int  # where the prologue (BASE and PREFIX lines) ends
    select: Select
    default_graphs: list[str] | None = None  # FROM graphs (None: no dataset clause)
    named_graphs: list[str] | None = None  # FROM NAMED graphs
    dataset_text: str = ""  # the FROM and FROM NAMED clauses as written

    @property
    def declares_dataset(self) -> bool:
        return self.default_graphs is not None or self.named_graphs is not None

    def where_text(self, select: Select | None = None) -> str:
        a, b = (select or self.select).where_span
        return self.text[a:b]
