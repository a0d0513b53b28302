"""Statement cards: what the evidence of an answer shows for one node of the graph (a statement,
a claim, or any node whose asserted triples back the row), read through the one provenance reader."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tajsec.graph.build import Built
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import RDF_TYPE, TS, shorten
from tajsec.graph.build import DERIVED_GRAPH
from tajsec.graph.evidence import provenance
from tajsec.graph.index import NodeView
from tajsec.shacl.locate import subject_lines


class Cards:
    """Statement cards and file lines for one built graph, each read once."""

    def __init__(self, built: Built, root: Path | None = None) -> None:
        self.built = built
        self.view = NodeView(built.store)
        self.root = root
        self.cards: dict[str, dict] = {}
        self._lines: dict[Path, dict] = {}
        self._shown: dict[Path, str] = {}
        self._labels: dict[str, str] = {}
        self._shortened: dict[str, str] = {}
        self._files: dict[str, tuple[str, dict] | None] = {}
        self._data_graphs: dict[str, tuple] = {}
        self._described: dict[str, list[dict]] = {}

    def where(self, subject: object, graphs: Iterable[object]) -> list[dict]:
        """The input files (and lines) that assert a triple of `subject`, from its named graphs."""
        out = []
        for g in sorted({g.value for g in graphs if isinstance(g, ox.NamedNode)}):
            found = self._file(g)
            if found is None:
                continue
            shown, lines = found
            entry: dict = {"file": shown}
            if isinstance(subject, ox.NamedNode):
                line = lines.get(subject.value)
                if line:
                    entry["line"] = line
            out.append(entry)
        return out

    def data_graphs(self, iri: str) -> tuple:
        """The graphs other than the derived one that hold triples of the node `iri`."""
        found = self._data_graphs.get(iri)
        if found is None:
            found = self._data_graphs[iri] = tuple(g for g in self.view.node(iri)[1] if g != DERIVED_GRAPH)
        return found

    def described_in(self, iri: str) -> list[dict]:
        """`where` the node `iri` is described: the files (and lines) of its data graphs."""
        found = self._described.get(iri)
        if found is None:
            found = self._described[iri] = self.where(ox.NamedNode(iri), self.data_graphs(iri))
        return found

    def _file(self, graph: str) -> tuple[str, dict] | None:
        """The file a named graph was loaded from, as shown, and its subjects' lines (read once)."""
        if graph not in self._files:
            path = self.built.graphs.get(graph)
            self._files[graph] = None if path is None else (self._show(path), self._subject_lines(path))
        return self._files[graph]

    def card(self, iri: str) -> dict:
        if iri not in self.cards:
            self.cards[iri] = self._read(iri)
        return self.cards[iri]

    def _read(self, iri: str) -> dict:
        v = self.view
        by = v.node(iri)[0]  # the card's node, read at once
        prov = provenance(v, iri)
        types = sorted(v.iris(iri, RDF_TYPE))
        card = {
            "iri": iri,
            "label": v.label(iri),
            "kind": [self._short(t) for t in types if t.startswith(TS)] or [self._short(t) for t in types],
            "holders": [self._named(h) for h in v.iris(iri, TS + "claimHolder")],
            "hedges": sorted({v.label(h) for q in (self._own_quantities(iri) if TS + "quantity" in by else [])
                              for h in v.iris(q, TS + "hedge")}),
            "sections": [self._named(s) for s in prov.sections],
            "footnotes": [{"iri": f.iri, "number": f.number} for f in prov.footnotes],
            "sources": [self._named(w) for w in prov.sources],
            "cited_works": sorted({w for f in prov.footnotes for w in self.view.iris(f.iri, TS + "cites")}),
            "quote": prov.quote,
            "quotes": list(prov.quotes) if len(prov.quotes) > 1 else [],  # all, when there are several
            "described_in": self.described_in(iri),
            "footnote_number": next((o.value for o in v.objects(iri, TS + "footnoteNumber")), None),  # a footnote node
        }
        return {k: v for k, v in card.items() if v not in ([], None)}

    def _own_quantities(self, iri: str) -> list[str]:
        """The quantities a node states itself (an entity's ts:quantity shortcuts are derived: left out)."""
        quads = self.built.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(TS + "quantity"), None, None)
        return [q.object.value for q in quads if q.graph_name != DERIVED_GRAPH and isinstance(q.object, ox.NamedNode)]

    def _short(self, iri: str) -> str:
        if iri not in self._shortened:  # the same few classes on every card
            self._shortened[iri] = shorten(iri)
        return self._shortened[iri]

    def _named(self, iri: str) -> dict:
        if iri not in self._labels:  # sections, sources and holders recur from card to card
            self._labels[iri] = self.view.label(iri)
        return {"iri": iri, "label": self._labels[iri]}

    def _show(self, path: Path) -> str:
        if path not in self._shown:
            self._shown[path] = self._relative(path)
        return self._shown[path]

    def _relative(self, path: Path) -> str:
        if self.root is not None:
            if path.is_relative_to(self.root) and ".." not in path.parts:
                return str(path.relative_to(self.root))  # no file system call needed
            try:
                return str(path.resolve().relative_to(self.root.resolve()))
            except ValueError:
                pass
        return str(path)

    def _subject_lines(self, path: Path) -> dict:
        if path not in self._lines:
            self._lines[path] = subject_lines(path)
        return self._lines[path]

