"""The works the paper cites, as citations: a line ready to paste (author, title, outlet, date,
then "cited in" chains), BibTeX and CSL-JSON. Works are the nodes footnotes point to with
ts:cites; the paper is tsd:paper."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tajsec.core.project import Project
import json
import re
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import PREFIXES, TS, TSD
from tajsec.graph.index import StoreView

DCTERMS, SCHEMA, RDF = PREFIXES["dcterms"], PREFIXES["schema"], PREFIXES["rdf"]
PAPER = TSD + "paper"
CSL_TYPES = {"Article": "article-magazine", "NewsItem": "article-newspaper", "Report": "report",
             "Book": "book", "Chapter": "chapter"}
BIB_TYPES = {"Article": "article", "Report": "techreport", "Book": "book", "Chapter": "incollection"}


class Works:
    def __init__(self, store: ox.Store):
        self.store = store
        self.view = StoreView(store)

    def cited(self) -> list[str]:
        """Every work a footnote cites, and the works those are cited in, sorted."""
        found = {q.object.value for q in self.store.quads_for_pattern(None, ox.NamedNode(TS + "cites"), None, None)
                 if isinstance(q.object, ox.NamedNode)}
        todo = list(found)
        while todo:
            for w in self.view.iris(todo.pop(), TS + "citedIn"):
                if w not in found:
                    found.add(w)
                    todo.append(w)
        return sorted(found)

    def fields(self, w: str) -> dict:
        first = self.view.first
        title = first(w, DCTERMS + "title")
        outlet = self.view.iris(w, SCHEMA + "isPartOf") + self.view.iris(w, DCTERMS + "publisher")
        date = first(w, SCHEMA + "datePublished")
        issue = first(w, SCHEMA + "issueNumber")
        kinds = [t[len(TS):] for t in self.view.iris(w, RDF + "type") if t.startswith(TS) and t[len(TS):] in CSL_TYPES]
        return {
            "iri": w,
            "kind": kinds[0] if kinds else "Work",
            "authors": [self.view.label(a) for a in self.view.iris(w, DCTERMS + "creator")],
            "title": title.value if title is not None else None,
            "label": self.view.label(w),
            "outlet": self.view.label(outlet[0]) if outlet else None,
            "issue": issue.value if issue is not None else None,
            "date": date.value if date is not None else None,
            "cited_in": self.view.iris(w, TS + "citedIn"),
        }

    def citation(self, w: str) -> str:
        f = self.fields(w)
        parts = [", ".join(f["authors"])] if f["authors"] else []
        if f["title"]:
            parts.append(f"‘{f['title']}’" if f["kind"] in ("Article", "Chapter") else f["title"])
        elif not f["outlet"]:
            parts.append(f["label"])
        parts += [x for x in (f["outlet"], f"no. {f['issue']}" if f["issue"] else None, f["date"]) if x]
        text = ", ".join(parts)
        for via in f["cited_in"]:
            text += "; cited in " + self.citation(via)
        return text

    def paper_citation(self, sections: list[str], footnotes: list[str]) -> str:
        f = self.fields(PAPER)
        text = f"{', '.join(f['authors'])}, ‘{f['title']}’"
        if sections:
            text += ", section " + ", ".join(f"‘{s}’" for s in sections)
        if footnotes:
            text += ", footnote " + ", ".join(footnotes)
        return text


def _key(w: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]", "", w.rsplit("/", 1)[-1])


def _bib(value: str) -> str:
    return "{" + re.sub(r"([{}\\&%$#_])", r"\\\1", value) + "}"


def bibtex(works: Works, iris: list[str]) -> str:
    """BibTeX entries of `iris`, one per work, in the given order."""
    entries = []
    for w in iris:
        f = works.fields(w)
        fields = [("title", f["title"] or f["label"])]
        if f["authors"]:
            fields.append(("author", " and ".join("{" + a + "}" for a in f["authors"])))
        if f["outlet"]:
            fields.append(("journal" if f["kind"] in ("Article", "NewsItem") else "publisher", f["outlet"]))
        if f["issue"]:
            fields.append(("number", f["issue"]))
        if f["date"]:
            fields.append(("year", f["date"][:4]))
            fields.append(("date", f["date"]))
        if f["cited_in"]:
            fields.append(("note", "cited in " + "; ".join(works.citation(c) for c in f["cited_in"])))
        fields.append(("url", w))
        body = ",\n".join(f"  {k} = {_bib(v) if k != 'author' else '{' + v + '}'}" for k, v in fields)
        entries.append(f"@{BIB_TYPES.get(f['kind'], 'misc')}{{{_key(w)},\n{body}\n}}\n")
    return "\n".join(entries)


def csl_json(works: Works, iris: list[str]) -> str:
    """CSL-JSON items of `iris` (the format Zotero and pandoc read)."""
    items = []
    for w in iris:
        f = works.fields(w)
        item = {"id": _key(w), "type": CSL_TYPES.get(f["kind"], "document"), "title": f["title"] or f["label"],
                "URL": w}
        if f["authors"]:
            item["author"] = [{"literal": a} for a in f["authors"]]
        if f["outlet"]:
            item["container-title" if f["kind"] in ("Article", "NewsItem") else "publisher"] = f["outlet"]
        if f["issue"]:
            item["issue"] = f["issue"]
        if f["date"]:
            item["issued"] = {"date-parts": [[int(x) for x in f["date"].split("-")]]}
        if f["cited_in"]:
            item["note"] = "cited in " + "; ".join(works.citation(c) for c in f["cited_in"])
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def citations_export(project: Project, fmt: str) -> bytes:
    """`tajsec export --citations bibtex|csl-json`: every cited work, sorted by IRI."""
    from tajsec.graph.build import build

    works = Works(build(project).store)
    iris = works.cited()
    return (bibtex(works, iris) if fmt == "bibtex" else csl_json(works, iris)).encode("utf-8")
