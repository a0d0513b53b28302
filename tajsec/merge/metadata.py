"""The metadata graph of a merge: where each graph came from, in VoID, PROV-O, DCAT and SPDX terms."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from tajsec.build import DERIVED_GRAPH
from tajsec.merge.ours import Ours
from tajsec.merge.report import MergeReport
from tajsec.merge.vocabulary import (DCAT, DCTERMS, MERGE_ACTIVITY, META_GRAPH, PROV, RDF, RDFS, SPDX, VOID,
                                     XSD)

def metadata(ours: Ours, root: Path, report: MergeReport, counts: dict[str, int],
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
            file_description(t, G, iri(g + "#file"), Path(rel).name, rel, f.stat().st_size, "text/turtle", sha, None)
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
        file_description(t, G, F, Path(info.path).name, info.path, info.size, info.media_type, info.sha256,
                          info.triples_parsed)
    return out


def file_description(t, G, F, name: str, given: str, size: int, media_type: str, sha: str,
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
