"""Wikidata links come only from the verified list in ../shared/alignment."""
from __future__ import annotations

import csv

import pytest

from conftest import VERIFIED_WIKIDATA, select


def test_every_wikidata_link_is_verified(built):
    if not VERIFIED_WIKIDATA.is_file():
        pytest.skip(f"verified list not found at {VERIFIED_WIKIDATA}")
    with VERIFIED_WIKIDATA.open(encoding="utf-8") as f:
        verified = {row["wikidata_qid"] for row in csv.DictReader(f, delimiter="\t")}
    links = select(built, """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?s ?wd WHERE { ?s skos:exactMatch ?wd FILTER(STRSTARTS(STR(?wd), "http://www.wikidata.org/")) }""")
    assert len(links) >= 20
    bad = [(s, wd) for s, wd in links if wd.rsplit("/", 1)[-1] not in verified]
    assert bad == []


def test_no_wikidata_id_is_used_twice(built):
    rows = select(built, """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?wd (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s skos:exactMatch ?wd
          FILTER(STRSTARTS(STR(?wd), "http://www.wikidata.org/")) } GROUP BY ?wd HAVING (COUNT(DISTINCT ?s) > 1)""")
    assert rows == []
