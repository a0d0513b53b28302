"""SPARQL results: the one in-memory form (`Result`) and the one writer for each results format
(SPARQL 1.1 JSON, XML, CSV and TSV, and a plain-text table for terminals).

The encodings follow the W3C Recommendations: CSV lines end in CRLF and carry plain values
(blank nodes as `_:label`); TSV carries N-Triples terms; JSON types every term (`uri`, `bnode`,
`literal` with `datatype` or `xml:lang`); an ASK answer in CSV/TSV is `true`/`false`.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from tajsec.core.namespaces import XSD_STRING

Term = ox.NamedNode | ox.Literal | ox.BlankNode
EVIDENCE_COLUMN = "_evidence"  # `--why --format csv`: the column of supporting statements


@dataclass
class Result:
    variables: list[str]
    rows: list[list[Term | None]]
    evidence: dict | None = None  # `tajsec query --why`: see tajsec/evidence/trace.py for the shape

    def lexical_rows(self) -> list[list[str]]:
        return [["" if t is None else t.value for t in row] for row in self.rows]

    def lexical_rows_or_none(self) -> list[list[str | None]]:
        """Lexical forms, with None for an unbound variable."""
        return [[None if t is None else t.value for t in row] for row in self.rows]


def _plain(t: Term | None) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return t.value


def to_csv(result: Result) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    if result.evidence is None:
        w.writerow(result.variables)
        w.writerows([_plain(t) for t in row] for row in result.rows)
    else:  # one more column: the IRIs of each row's supporting statements, space-separated
        w.writerow([*result.variables, EVIDENCE_COLUMN])
        w.writerows([_plain(t) for t in row] + [" ".join(e.get("statements", []))]
                    for row, e in zip(result.rows, result.evidence["rows"]))
    return out.getvalue()


def to_tsv(result: Result) -> str:
    lines = ["\t".join("?" + v for v in result.variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"


def json_term(t: Term) -> dict:
    """A term as SPARQL 1.1 JSON results write it."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    d = {"type": "literal", "value": t.value}
    if t.language:
        d["xml:lang"] = t.language
    elif t.datatype.value != XSD_STRING:
        d["datatype"] = t.datatype.value
    return d


def to_json(result: Result) -> str:
    if result.evidence is None:
        return _json_indented(result)
    bindings = [{v: json_term(t) for v, t in zip(result.variables, row) if t is not None}
                for row in result.rows]
    doc = {"head": {"vars": result.variables}, "results": {"bindings": bindings}, "evidence": result.evidence}
    # evidence: a top-level member, one entry per binding; readers of SPARQL JSON skip it
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_json_str = json.encoder.encode_basestring  # a JSON string, non-ASCII kept (json.dumps' ensure_ascii=False)


def _json_list(items: list[str], pad: str) -> str:
    """Items already written, as json.dumps(indent=2) lays out a list whose closing bracket is at `pad`."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join(items) + "\n" + pad + "]"


def _json_indented(result: Result) -> str:
    """Byte for byte what json.dumps(doc, ensure_ascii=False, indent=2) + "\\n" writes for the
    document without evidence, about six times faster (the served answers are mostly this)."""
    names = [_json_str(v) for v in result.variables]
    bindings = []
    for row in result.rows:
        cells = []
        for name, t in zip(names, row):
            if t is not None:
                members = ",\n".join(f"          {_json_str(k)}: {_json_str(x)}" for k, x in json_term(t).items())
                cells.append(f"        {name}: {{\n{members}\n        }}")
        bindings.append("      {\n" + ",\n".join(cells) + "\n      }" if cells else "      {}")
    return ('{\n  "head": {\n    "vars": ' + _json_list(["      " + n for n in names], "    ")
            + '\n  },\n  "results": {\n    "bindings": ' + _json_list(bindings, "    ") + "\n  }\n}\n")


_XML_CONTROL = {"\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}  # kept as written, not normalised by XML readers


def _xml_text(value: str) -> str:
    text = escape(value, _XML_CONTROL)
    # readers that trim text (pyoxigraph's does) keep spaces written as character references
    stripped = text.strip(" ")
    if stripped != text:
        lead = len(text) - len(text.lstrip(" "))
        trail = len(text) - len(text.rstrip(" ")) if stripped else 0
        text = "&#32;" * lead + stripped + "&#32;" * trail
    return text


def _xml_term(t: Term) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{_xml_text(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{_xml_text(t.value)}</bnode>"
    if t.language:
        return f"<literal xml:lang={quoteattr(t.language)}>{_xml_text(t.value)}</literal>"
    if t.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(t.datatype.value)}>{_xml_text(t.value)}</literal>"
    return f"<literal>{_xml_text(t.value)}</literal>"


def to_xml(result: Result) -> str:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    rows = []
    for row in result.rows:
        cells = "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                        for v, t in zip(result.variables, row) if t is not None)
        rows.append(f"<result>{cells}</result>")
    return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head>{head}</head><results>{''.join(rows)}</results></sparql>\n")


def boolean_to(fmt: str, value: bool) -> str:
    """An ASK answer in one of the results formats."""
    word = "true" if value else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{word}</boolean></sparql>\n")
    return word + ("\r\n" if fmt == "csv" else "\n")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """`text` for a terminal: control characters from the data (escape sequences, bells, line
    breaks) written as \\xNN, \\n, \\t, so a value can neither drive the terminal nor break a row."""
    text = text.replace("\n", "\\n").replace("\t", "\\t")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def to_table(result: Result, shorten: Callable[[str], str] | None = None, width: int | None = 70) -> str:
    """A plain-text table for terminals (control characters shown, not sent); cells longer than
    `width` are cut with '...' (None: never cut)."""
    shorten = shorten or (lambda s: s)
    cells = [[visible(shorten(t.value) if isinstance(t, ox.NamedNode) else _plain(t)) for t in row]
             for row in result.rows]
    widths = [len(v) for v in result.variables]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    if width:
        widths = [min(w, width) for w in widths]

    def cut(c: str) -> str:
        return c if not width or len(c) <= width else c[:width - 3] + "..."

    def fmt(row: list[str]) -> str:
        return " | ".join(cut(c).ljust(w) for c, w in zip(row, widths)).rstrip()

    lines = [fmt(result.variables), "-+-".join("-" * w for w in widths)]
    lines += [fmt(r) for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


WRITERS = {"csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml}
