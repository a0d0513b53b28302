"""Exports that keep the named graphs (issue 17, part 5): N-Quads and JSON-LD with one @graph per
graph hold exactly the quads of the TriG export, and are deterministic."""
from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from tajsec.publish.export import DATASET_FORMATS, FORMATS, export, jsonld_dataset_document, load_context


def quads_of(data: bytes, fmt: str) -> set[str]:
    """Each quad as text, read by pyoxigraph's parser for `fmt` (not by our writer)."""
    return {f"{q.subject} {q.predicate} {q.object} {q.graph_name}" for q in ox.parse(data, format=FORMATS[fmt])}


@pytest.fixture(scope="module")
def trig(project, built) -> bytes:
    return export(project, "trig", "full", built)


@pytest.mark.parametrize("fmt", ["nq", "jsonld-graphs"])
def test_dataset_export_round_trips_against_trig(project, built, trig, fmt):
    data = export(project, fmt, "full", built)
    assert data == export(project, fmt, "full", built)  # same graph, same bytes
    theirs, reference = quads_of(data, fmt), quads_of(trig, "trig")
    assert theirs == reference
    assert len({q.split(" ")[-1] for q in reference}) == len(list(built.store.named_graphs())) > 10


def test_jsonld_graphs_has_one_graph_object_per_named_graph(project, built):
    doc = json.loads(export(project, "jsonld-graphs", "full", built))
    assert isinstance(doc["@context"], dict)  # inline: nothing to fetch
    graphs = [g for g in doc["@graph"] if "@graph" in g]
    assert len(graphs) == len(list(built.store.named_graphs()))
    assert len({g["@id"] for g in graphs}) == len(graphs)
    derived = [g for g in graphs if g["@id"].endswith("graph/derived")]
    assert len(derived) == 1 and derived[0]["@graph"]


def test_flat_jsonld_merges_what_the_graphs_keep_apart(project, built):
    flat = {q.rsplit(" ", 1)[0] for q in quads_of(export(project, "jsonld", "full", built), "jsonld")}
    grouped = quads_of(export(project, "jsonld-graphs", "full", built), "jsonld-graphs")
    assert flat == {q.rsplit(" ", 1)[0] for q in grouped}
    assert {q.rsplit(" ", 1)[1] for q in quads_of(export(project, "jsonld", "full", built), "jsonld")} == {"DEFAULT"}


def test_default_graph_and_a_graph_named_by_a_described_node(project):
    ex = "https://example.org/"
    g = ox.NamedNode(ex + "g")
    quads = [ox.Quad(ox.NamedNode(ex + "g"), ox.NamedNode(ex + "p"), ox.Literal("about the graph"), ox.DefaultGraph()),
             ox.Quad(ox.NamedNode(ex + "a"), ox.NamedNode(ex + "p"), ox.BlankNode("b1"), g),
             ox.Quad(ox.BlankNode("b1"), ox.NamedNode(ex + "p"), ox.Literal("x", language="en"), g)]
    doc = jsonld_dataset_document(quads, load_context(project))
    back = set(ox.parse(json.dumps(doc).encode(), format=ox.RdfFormat.JSON_LD))
    assert len(doc["@graph"]) == 1 and doc["@graph"][0]["@graph"]  # one object: the node and its graph
    assert {(q.graph_name, q.object) for q in back} == {
        (ox.DefaultGraph(), ox.Literal("about the graph")), (g, ox.Literal("x", language="en"))} | {
        (g, q.object) for q in back if isinstance(q.object, ox.BlankNode)}
    assert len(back) == 3


def test_dataset_formats_keep_graphs():
    assert set(DATASET_FORMATS) == {"trig", "nq", "jsonld-graphs"}
