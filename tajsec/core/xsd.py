"""XSD lexical spaces: whether a literal's lexical form is valid for its datatype.

pyoxigraph keeps ill-typed literals as written (and stores well-formed ones of the datatypes it
knows in a canonical form); rdflib checks only some datatypes and leniently. This module is the
one place that decides, for the loader (tajsec.io.load) and the SHACL engine (tajsec.shacl).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from tajsec.core.namespaces import XSD
from tajsec.core.terms import Queryable, solutions

# ---------------------------------------------------------------------------------------------
# XSD lexical spaces (XSD 1.1, as RDF 1.1 uses them: no whitespace processing)
# ---------------------------------------------------------------------------------------------

_TZ = r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?"
_YEAR = r"-?([1-9][0-9]{3,}|0[0-9]{3})"
_MONTH = r"(0[1-9]|1[0-2])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
_TIME = r"(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?|24:00:00(\.0+)?)"
_DUR_T = r"T(([0-9]+H)([0-9]+M)?([0-9]+(\.[0-9]+)?S)?|([0-9]+M)([0-9]+(\.[0-9]+)?S)?|([0-9]+(\.[0-9]+)?S))"
_DUR_YMD = r"(([0-9]+Y)([0-9]+M)?([0-9]+D)?|([0-9]+M)([0-9]+D)?|([0-9]+D))"
_INT = r"[+-]?[0-9]+"
_DEC = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
_FLOAT = r"([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN)"

LEXICAL_SPACES = {
    "integer": _INT, "decimal": _DEC, "double": _FLOAT, "float": _FLOAT,
    "boolean": r"true|false|1|0",
    "date": _YEAR + "-" + _MONTH + "-" + _DAY + _TZ,
    "dateTime": _YEAR + "-" + _MONTH + "-" + _DAY + "T" + _TIME + _TZ,
    "dateTimeStamp": _YEAR + "-" + _MONTH + "-" + _DAY + "T" + _TIME + r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))",
    "time": _TIME + _TZ,
    "gYear": _YEAR + _TZ,
    "gYearMonth": _YEAR + "-" + _MONTH + _TZ,
    "gMonth": "--" + _MONTH + _TZ,
    "gMonthDay": "--" + _MONTH + "-" + _DAY + _TZ,
    "gDay": "---" + _DAY + _TZ,
    "duration": "-?P(" + _DUR_YMD + "(" + _DUR_T + ")?|" + _DUR_T + ")",
    "yearMonthDuration": r"-?P(([0-9]+Y)([0-9]+M)?|([0-9]+M))",
    "dayTimeDuration": "-?P(([0-9]+D)(" + _DUR_T + ")?|" + _DUR_T + ")",
    "hexBinary": r"([0-9a-fA-F]{2})*",
    "base64Binary": r"((([A-Za-z0-9+/] ?){4})*(([A-Za-z0-9+/] ?){3}[A-Za-z0-9+/]|([A-Za-z0-9+/] ?){2}"
                    r"[AEIMQUYcgkosw048] ?=|[A-Za-z0-9+/] ?[AQgw] ?= ?=))?",
    "language": r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*",
    "normalizedString": r"[^\r\n\t]*",
    "token": r"([^\s]+( [^\s]+)*)?",
    "NMTOKEN": r"[\w.:-]+",
    "Name": r"([^\W\d.-]|:)[\w.:-]*",  # XML 1.0 NameStartChar includes ':'

    "NCName": r"[^\W\d.-][\w.-]*",
}
INTEGER_RANGES = {
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "long": (-2**63, 2**63 - 1), "int": (-2**31, 2**31 - 1), "short": (-2**15, 2**15 - 1),
    "byte": (-128, 127), "unsignedLong": (0, 2**64 - 1), "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1), "unsignedByte": (0, 255),
}
_COMPILED = {k: re.compile(v) for k, v in LEXICAL_SPACES.items()}
_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

# Datatypes whose literals pyoxigraph parses (and so stores in a canonical form): a literal of
# one of these that pyoxigraph could not cast is a candidate ill-typed literal.
_OX_CASTABLE = ["boolean", "integer", "decimal", "double", "float", "date", "dateTime", "time",
                "gYear", "gYearMonth", "gMonth", "gMonthDay", "gDay", "duration",
                "yearMonthDuration", "dayTimeDuration"]


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def xsd_well_formed(lexical: str, datatype: str) -> bool | None:
    """Whether `lexical` is in the lexical space of the XSD datatype `datatype` (a full IRI);
    None for a datatype this module does not know (treated as well-formed)."""
    if not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD):]
    if name in ("string", "anyURI", "anySimpleType", "anyAtomicType"):
        return True
    if name in INTEGER_RANGES:
        if not _COMPILED["integer"].fullmatch(lexical):
            return False
        lo, hi = INTEGER_RANGES[name]
        n = int(lexical)
        return (lo is None or n >= lo) and (hi is None or n <= hi)
    pattern = _COMPILED.get(name)
    if pattern is None:
        return None
    if not pattern.fullmatch(lexical):
        return False
    if name in ("date", "dateTime", "dateTimeStamp"):
        negative = lexical.startswith("-")
        y, m, d = (lexical[1:] if negative else lexical).split("-")[:3]
        year, month, day = (-int(y) if negative else int(y)), int(m), int(d[:2])
        if day > (29 if month == 2 and _leap(year) else 28 if month == 2 else _DAYS[month - 1]):
            return False
    return not (name == "gMonthDay" and int(lexical[5:7]) > _DAYS[int(lexical[2:4]) - 1])




def ill_typed_literals(store: ox.Store | Queryable,
                       datatypes: Iterable[str] | dict[str, set[str] | None]) -> dict[str, list[ox.Literal]]:
    """The literals of the given XSD datatypes that are not in their lexical space, by datatype.

    `datatypes` maps each datatype to the predicates whose objects can be value nodes of an
    sh:datatype constraint on it (None: any predicate). pyoxigraph stores a literal it can
    parse in a canonical form: only those it could not parse (and those of datatypes it does
    not parse) need checking, and one query finds them."""
    preds: set[str] | None
    if isinstance(datatypes, dict):
        preds = set()
        for ps in datatypes.values():
            preds = None if ps is None or preds is None else preds | ps
    else:
        preds = None
    datatypes = sorted(datatypes)
    if not datatypes or preds == set():
        return {}
    castable = [d for d in datatypes if d[len(XSD):] in _OX_CASTABLE]
    other = [d for d in datatypes if d not in castable]
    conds = []
    for d in castable:
        conds.append(f"(sameTerm(?dt, <{d}>) && !COALESCE(isLiteral(<{d}>(STR(?o))), false))")
    for d in other:
        conds.append(f"sameTerm(?dt, <{d}>)")
    scope = "" if preds is None else "VALUES ?p { " + " ".join(f"<{p}>" for p in sorted(preds)) + " } "
    q = (f"SELECT DISTINCT ?o WHERE {{ {scope}?s ?p ?o . FILTER(isLiteral(?o)) BIND(DATATYPE(?o) AS ?dt) "
         f"FILTER({' || '.join(conds)}) }}")
    out: dict[str, list[ox.Literal]] = {}
    for row in solutions(store.query(q, use_default_graph_as_union=True)):
        lit = row["o"]
        if xsd_well_formed(lit.value, lit.datatype.value) is False:
            out.setdefault(lit.datatype.value, []).append(lit)
    return out


