"""No silent change: every Turtle file of the project, written out by our one Turtle writer
(tajsec.io.write.write_turtle) and parsed again, gives an isomorphic graph with literals exactly as written
(compared after RDFC-1.0 canonicalisation, so blank nodes may be renamed but nothing else)."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from tajsec.io.load import parse_file
from tajsec.io.write import write_turtle

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("ontology/*.ttl"), *ROOT.glob("instances/*.ttl"), *ROOT.glob("shapes/*.ttl")])


def canonical(quads) -> list[str]:
    ds = ox.Dataset(ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in ds)


def test_files_collected():
    assert len(FILES) >= 25


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_write_then_parse_is_isomorphic(path, tmp_path):
    original = parse_file(path)
    g = rdflib.Graph()
    g.parse(data=ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in original],
                              format=ox.RdfFormat.N_TRIPLES), format="nt")
    out = tmp_path / path.name
    write_turtle(g, out)
    again = parse_file(out)
    assert canonical(again) == canonical(original)
