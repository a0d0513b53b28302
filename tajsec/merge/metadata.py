"""The metadata graph of a merge: where each graph came from, in VoID, PROV-O, DCAT and SPDX terms."""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from tajsec.core.namespaces import IANA_MEDIA_TYPES, XSD
from tajsec.core.terms import Resource, Term
from tajsec.graph.build import DERIVED_GRAPH
from tajsec.merge.ours import Ours
from tajsec.merge.report import MergeReport
from tajsec.merge.vocabulary import DCAT, DCTERMS, MERGE_ACTIVITY, META_GRAPH, PROV, RDF, RDFS, SPDX, VOID


class Triples(list):
    """The metadata graph's triples, as (subject, predicate, object)."""

    def add(self, s: Resource, p: str, o: Term) -> None:
        self.append((s, ox.NamedNode(p), o))


def typed(v: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(v), datatype=ox.NamedNode(datatype))


def english(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def metadata(ours: Ours, root: Path, report: MergeReport, counts: dict[str, int],
             timestamp: str | None) -> list[tuple]:
    """The metadata graph's triples: where each graph of the merge came from (VoID, PROV-O,
    DCAT, SPDX), how many triples it holds, and the merge activity."""
    out = Triples()
    _activity(out, report, timestamp)
    _our_graphs(out, ours, root, counts)
    _input_graphs(out, report, timestamp)
    return out


def _activity(t: Triples, report: MergeReport, timestamp: str | None) -> None:
    M, A = META_GRAPH, MERGE_ACTIVITY
    t.add(M, RDF + "type", ox.NamedNode(VOID + "Dataset"))
    t.add(M, DCTERMS + "title", english("tajsec merge: our graphs and the inputs, one named graph each"))
    t.add(A, RDF + "type", ox.NamedNode(PROV + "Activity"))
    t.add(A, RDFS + "label", english("tajsec merge"))
    t.add(A, RDFS + "comment", english(
        "Ontology changes in the inputs were " + ("kept (allow_ontology_changes)." if report.allow_ontology_changes
                                                  else "left out; the merge report lists them.")
        + " owl:imports were stripped and nothing was fetched."))
    if timestamp:
        t.add(A, PROV + "startedAtTime", typed(timestamp, XSD + "dateTime"))
    else:
        t.add(A, RDFS + "comment", english(
            "No load time is recorded (the caller passed no timestamp), so that merging the same inputs "
            "gives the same bytes."))


def _dataset(t: Triples, G: ox.NamedNode) -> None:
    t.add(META_GRAPH, VOID + "subset", G)
    t.add(G, RDF + "type", ox.NamedNode(VOID + "Dataset"))
    t.add(G, RDF + "type", ox.NamedNode(PROV + "Entity"))


def _our_graphs(t: Triples, ours: Ours, root: Path, counts: dict[str, int]) -> None:
    for g, rel in sorted(ours.graphs.items()):
        G = ox.NamedNode(g)
        _dataset(t, G)
        t.add(G, VOID + "triples", typed(counts.get(g, 0), XSD + "integer"))
        if g == DERIVED_GRAPH.value:
            t.add(G, DCTERMS + "title", english("derived by the build rules (queries/construct-*.rq)"))
            for other in sorted(ours.graphs):
                if other != g:
                    t.add(G, PROV + "wasDerivedFrom", ox.NamedNode(other))
            continue
        t.add(G, DCTERMS + "title", ox.Literal(rel))
        f = root / rel
        if f.is_file():
            sha = hashlib.sha256(f.read_bytes()).hexdigest()
            file_description(t.add, G, ox.NamedNode(g + "#file"), Path(rel).name, rel, f.stat().st_size,
                             "text/turtle", sha, None)


def _input_graphs(t: Triples, report: MergeReport, timestamp: str | None) -> None:
    for info in report.inputs:
        if info.duplicate_of:
            continue
        G, F = ox.NamedNode(info.graph), ox.NamedNode(info.graph + "#file")
        _dataset(t, G)
        t.add(G, DCTERMS + "title", ox.Literal(Path(info.path).name))
        t.add(G, VOID + "triples", typed(info.triples_kept, XSD + "integer"))
        t.add(G, PROV + "wasGeneratedBy", MERGE_ACTIVITY)
        t.add(MERGE_ACTIVITY, PROV + "used", F)
        if timestamp:
            t.add(G, PROV + "generatedAtTime", typed(timestamp, XSD + "dateTime"))
        if info.left_out:
            t.add(G, RDFS + "comment", english(
                f"{info.left_out} triple(s) of the file were left out (changes to the tajsec ontology, owl:imports); "
                "the merge report lists them."))
        for orig, sub in sorted(info.subgraphs.items()):
            S = ox.NamedNode(sub)
            t.add(G, VOID + "subset", S)
            t.add(S, RDF + "type", ox.NamedNode(VOID + "Dataset"))
            t.add(S, DCTERMS + "identifier", ox.Literal(orig))
            t.add(S, RDFS + "comment", english(f"the named graph {orig} of the input file"))
        file_description(t.add, G, F, Path(info.path).name, info.path, info.size, info.media_type, info.sha256,
                         info.triples_parsed)


def file_description(t: Callable[[Resource, str, Term], None], G: ox.NamedNode, F: ox.NamedNode, name: str,
                     given: str, size: int, media_type: str, sha: str, triples: int | None) -> None:
    t(G, PROV + "wasDerivedFrom", F)
    t(F, RDF + "type", ox.NamedNode(DCAT + "Distribution"))
    t(F, RDF + "type", ox.NamedNode(PROV + "Entity"))
    t(F, DCTERMS + "title", ox.Literal(name))
    t(F, DCTERMS + "source", ox.Literal(given))
    t(F, DCAT + "byteSize", ox.Literal(str(size), datatype=ox.NamedNode(XSD + "nonNegativeInteger")))
    t(F, DCAT + "mediaType", ox.NamedNode(IANA_MEDIA_TYPES + media_type))
    if triples is not None:
        t(F, VOID + "triples", ox.Literal(str(triples), datatype=ox.NamedNode(XSD + "integer")))
    C = ox.NamedNode(F.value.replace("#file", "#sha256"))
    t(F, SPDX + "checksum", C)
    t(C, RDF + "type", ox.NamedNode(SPDX + "Checksum"))
    t(C, SPDX + "algorithm", ox.NamedNode(SPDX + "checksumAlgorithm_sha256"))
    t(C, SPDX + "checksumValue", ox.Literal(sha, datatype=ox.NamedNode(XSD + "hexBinary")))
