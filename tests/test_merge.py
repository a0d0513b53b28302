"""Merging third-party RDF with ours (tajsec.merge), the Wikidata alignment (tajsec.publish.alignment),
exports (tajsec.publish.export) and the VoID description (tajsec.publish.void).

The third party is tests/data/wikidata-extract.ttl, a made-up extract in Wikidata's RDF style
with one trap of each kind: a contradicting figure, a variant spelling, an entity we lack,
changes to our ontology, an owl:imports and a blank node labelled like one of our entities."""
from __future__ import annotations

import csv
import json
import re

import pyoxigraph as ox
import pytest

from conftest import ROOT, VERIFIED_WIKIDATA
from tajsec.publish import alignment
from tajsec.graph.build import build
from tajsec.publish.export import DATASET_FORMATS, FORMATS, PROFILES, context_document, export, export_quads
from tajsec.merge import META_GRAPH, merge, normalise_name, output as merge_output, skeleton, trig_bytes, write_trig
from tajsec.core.errors import LoadError
from tajsec.publish.void import dataset_description

EXTRACT = ROOT / "tests" / "data" / "wikidata-extract.ttl"
SSSOM = ROOT / "mappings" / "wikidata.sssom.tsv"
WD = "http://www.wikidata.org/entity/"
TS = "https://w3id.org/tajsec/onto/"
TSD = "https://w3id.org/tajsec/id/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def nn(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


@pytest.fixture(scope="module")
def merged(project):
    with merge(project, [EXTRACT]) as result:
        yield result


@pytest.fixture(scope="module")
def merged_trig(merged) -> bytes:
    return trig_bytes(merged)


@pytest.fixture(scope="module")
def merged_dataset(merged_trig) -> ox.Dataset:
    """The written TriG read back with the parser (terms exactly as written)."""
    return ox.Dataset(ox.parse(merged_trig, format=ox.RdfFormat.TRIG))


@pytest.fixture(scope="module")
def extract_graph(merged) -> ox.NamedNode:
    return nn(merged.input_graph(EXTRACT))


def match(dataset: ox.Dataset, s=None, p=None, o=None) -> list[ox.Quad]:
    """Quads of a Dataset matching a pattern (Dataset has no quads_for_pattern)."""
    quads = dataset.quads_for_subject(s) if s is not None else (
        dataset.quads_for_predicate(p) if p is not None else iter(dataset))
    return [q for q in quads if (p is None or q.predicate == p) and (o is None or q.object == o)]


def triples_in(dataset: ox.Dataset, graph) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object}" for q in dataset.quads_for_graph_name(graph)}


# ---- The report ----

def test_entities_both_sides_describe_by_shared_wikidata_item(merged):
    found = {(m.ours, m.theirs, m.basis) for m in merged.report.matches}
    assert (f"<{TSD}tajikistan>", f"<{WD}Q863>", "shared external IRI") in found
    assert (f"<{TSD}putin>", f"<{WD}Q7747>", "shared external IRI") in found
    assert all(m.theirs != f"<{WD}Q0000101>" for m in merged.report.matches)


def test_variant_spelling_is_a_candidate_for_review_never_asserted(merged, merged_dataset):
    cands = {(c.ours, c.theirs): c for c in merged.report.candidates}
    c = cands[(f"<{TSD}rahmonov>", f"<{WD}Q0000101>")]
    assert c.their_label == "Rakhmonov" and c.our_label == "Rahmonov"
    # nothing links the two in the output
    for q in merged_dataset:
        assert not ({q.subject, q.object} == {nn(TSD + "rahmonov"), nn(WD + "Q0000101")})


def test_conflicting_personnel_figure_listed_side_by_side_and_both_kept(merged, merged_dataset, extract_graph):
    conflicts = [c for c in merged.report.conflicts
                 if c.ours == f"<{TSD}drug-control-agency>" and "aspect-personnel" in c.property]
    assert len(conflicts) == 1
    c = conflicts[0]
    assert c.theirs == f"<{WD}Q0000102>" and "candidate" in c.basis
    assert any("350" in v.value and v.source.startswith("instances/") for v in c.ours_values)
    assert any("1200" in v.value and v.source == str(EXTRACT) for v in c.theirs_values)
    # both figures stay in the output
    assert merged_dataset.quads_for_subject(nn(TSD + "q-dca-personnel"))
    assert any(q.object.value == "+1200" for q in merged_dataset.quads_for_subject(nn(WD + "Q0000102"))
               if q.graph_name == extract_graph)
    # the Ministry of the Interior's figure agrees with the paper ("30,000"): no conflict
    assert not [c for c in merged.report.conflicts if c.ours == f"<{TSD}ministry-of-interior>"]


def test_entity_we_do_not_have_is_reported_as_new(merged):
    new = merged.report.new_entities[str(EXTRACT)]
    assert any("Q0000104" in e and "Istaravshan" in e for e in new)
    assert merged.report.new_entities_total[str(EXTRACT)] == len(new)


def test_blank_node_with_one_of_our_labels_stays_a_separate_blank_node(merged, merged_dataset, extract_graph):
    cands = [c for c in merged.report.candidates if c.theirs.startswith("_:")]
    assert {c.ours for c in cands} >= {f"<{TSD}dushanbe>"}
    label = ox.BlankNode(cands[0].theirs[2:])
    quads = list(merged_dataset.quads_for_subject(label))
    assert [(q.predicate.value, q.object.value, q.graph_name) for q in quads] == \
        [(RDFS + "label", "Dushanbe", extract_graph)]
    # and nothing of ours was attached to it, nor it to ours
    assert not [q for q in merged_dataset.quads_for_subject(nn(TSD + "dushanbe")) if q.graph_name == extract_graph]


def test_changes_to_our_ontology_are_reported_and_left_out(merged, merged_dataset):
    changes = {(h.subject, h.predicate, h.object) for h in merged.report.ontology_changes}
    assert (f"<{TS}Person>", f"<{RDFS}subClassOf>", f"<{TS}Place>") in changes
    assert (f"<{TS}reportsTo>", f"<{RDFS}domain>", f"<{WD}Q5>") in changes
    assert (f"<{WD}Q5>", "<http://www.w3.org/2002/07/owl#equivalentClass>", f"<{TS}Person>") in changes
    assert all(not h.kept for h in merged.report.ontology_changes)
    assert not match(merged_dataset, nn(TS + "Person"), nn(RDFS + "subClassOf"), nn(TS + "Place"))
    assert not match(merged_dataset, nn(TS + "reportsTo"), nn(RDFS + "domain"), nn(WD + "Q5"))
    assert not match(merged_dataset, nn(WD + "Q5"), None, nn(TS + "Person"))
    # the axiom about foaf:Person is not ours to refuse, but it is reported
    assert [h.subject for h in merged.report.standard_term_axioms] == ["<http://xmlns.com/foaf/0.1/Person>"]


def test_changes_to_our_ontology_kept_only_when_allowed(project):
    with merge(project, [EXTRACT], allow_ontology_changes=True) as r:
        ds = r.dataset()
        g = nn(r.input_graph(EXTRACT))
        assert [q.graph_name for q in match(ds, nn(TS + "Person"), nn(RDFS + "subClassOf"), nn(TS + "Place"))] == [g]
        assert all(h.kept for h in r.report.ontology_changes)
        assert r.report.inputs[0].left_out == 1  # the owl:imports only


def test_owl_imports_stripped_and_reported_unresolved(merged, merged_dataset):
    assert [(u.subject, u.imported) for u in merged.report.unresolved_imports] == \
        [("<https://example.org/wikidata-extract>", "<http://wikiba.se/ontology-1.0.owl>")]
    assert not list(merged_dataset.quads_for_predicate(nn("http://www.w3.org/2002/07/owl#imports")))


def test_report_as_json_and_text(merged):
    d = json.loads(merged.report.as_json())
    assert d["summary"]["conflicts"] == 1 and d["summary"]["ontology_changes"] == 3
    text = merged.report.as_text()
    for needle in ("Rakhmonov", "Istaravshan", "ts:Person rdfs:subClassOf ts:Place", "owl:imports", "350"):
        assert needle in text
    assert merged.report.has_findings


# ---- Nothing lost, nothing collides, same bytes ----

def test_nothing_lost_input_graph_is_the_input(merged, merged_dataset, extract_graph):
    info = merged.report.inputs[0]
    out = [ox.Quad(q.subject, q.predicate, q.object) for q in merged_dataset.quads_for_graph_name(extract_graph)]
    left = list(ox.parse("\n".join(merged.left_out[info.graph]).encode(), format=ox.RdfFormat.N_TRIPLES))
    got = ox.Dataset(out + left)
    want = ox.Dataset(ox.parse(path=str(EXTRACT), format=ox.RdfFormat.TURTLE))
    assert len(got) == len(want) == info.triples_parsed
    assert len(out) == info.triples_kept == info.triples_parsed - 4  # 3 ontology changes, 1 owl:imports
    got.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    want.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert got == want


def test_nothing_lost_our_graphs_are_the_build(project):
    built = build(project)  # fresh, beside the merge, not the session's build
    with merge(project, [EXTRACT]) as r:
        merged_dataset = r.dataset()
    for g in built.store.named_graphs():
        ours = {f"{q.subject} {q.predicate} {q.object}" for q in built.store.quads_for_pattern(None, None, None, g)}
        assert triples_in(merged_dataset, g) == ours, g


def test_metadata_graph_describes_each_input(merged, merged_dataset, extract_graph):
    info = merged.report.inputs[0]
    meta = {(q.subject.value, q.predicate.value): q.object.value
            for q in merged_dataset.quads_for_graph_name(META_GRAPH)}
    f = info.graph + "#file"
    assert meta[(f, "http://purl.org/dc/terms/source")] == str(EXTRACT)
    assert meta[(info.graph + "#sha256", "http://spdx.org/rdf/terms#checksumValue")] == info.sha256
    assert meta[(f, "http://rdfs.org/ns/void#triples")] == str(info.triples_parsed)
    assert meta[(info.graph, "http://rdfs.org/ns/void#triples")] == str(len(list(merged_dataset.quads_for_graph_name(extract_graph))))
    assert info.graph.endswith(info.sha256)
    # no clock unless asked for
    assert not [q for q in merged_dataset.quads_for_graph_name(META_GRAPH) if "Time" in q.predicate.value]


def test_load_time_recorded_only_when_given(project):
    with merge(project, [EXTRACT], timestamp="2025-01-02T03:04:05Z") as r:
        times = {q.object.value for q in r.dataset().quads_for_graph_name(META_GRAPH) if "Time" in q.predicate.value}
    assert times == {"2025-01-02T03:04:05Z"}


def test_blank_nodes_of_different_inputs_never_collide(project, tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.nt"
    a.write_text('_:b1 <http://www.w3.org/2000/01/rdf-schema#label> "Gaffur Mirzoev"@en .\n', encoding="utf-8")
    b.write_text('_:b1 <http://www.w3.org/2000/01/rdf-schema#label> "Gaffur Mirzoev"@en .\n'
                 '_:b1 <http://xmlns.com/foaf/0.1/age> "50" .\n', encoding="utf-8")
    with merge(project, [a, b]) as r:
        ds = r.dataset()
        ga, gb = nn(r.input_graph(a)), nn(r.input_graph(b))
        sa = {q.subject for q in ds.quads_for_graph_name(ga)}
        sb = {q.subject for q in ds.quads_for_graph_name(gb)}
        assert len(sa) == len(sb) == 1 and sa.isdisjoint(sb)
        assert len(list(ds.quads_for_subject(next(iter(sa))))) == 1
        # both are candidates for our Mirzoev, neither is him
        assert {c.ours for c in r.report.candidates} == {f"<{TSD}gaffur-mirzoev>"}


def test_same_iri_and_measurement_pattern_conflict(project, tmp_path):
    partner = tmp_path / "partner.ttl"
    partner.write_text("""@prefix schema: <https://schema.org/> .
@prefix ts: <https://w3id.org/tajsec/onto/> .
@prefix tsd: <https://w3id.org/tajsec/id/> .
tsd:drug-control-agency schema:foundingDate "1999-06" .
<https://partner.example/m1> a ts:Measurement ; ts:measuredEntity tsd:drug-control-agency ;
    ts:aspect ts:aspect-personnel ; ts:quantity [ schema:value 400 ] .
""", encoding="utf-8")
    with merge(project, [partner]) as r:
        assert [(m.ours, m.basis) for m in r.report.matches] == [(f"<{TSD}drug-control-agency>", "same IRI")]
        [c] = r.report.conflicts
        assert [v.value for v in c.ours_values] == ["350 personnel"]
        assert [v.value for v in c.theirs_values] == ["400"] and c.theirs_values[0].node == "<https://partner.example/m1>"


def test_named_graphs_of_an_input_become_sub_graphs(project, tmp_path):
    trig = tmp_path / "graphs.trig"
    trig.write_text("""@prefix ex: <http://example.org/> .
ex:a ex:p "default" .
ex:g1 { ex:a ex:p "one" . _:x ex:q ex:a . }
_:g2 { ex:a ex:p "two" . }
<https://w3id.org/tajsec/graph/instances/agencies.ttl> { ex:a ex:p "not ours" . }
""", encoding="utf-8")
    with merge(project, [trig]) as r:
        info = r.report.inputs[0]
        assert set(info.subgraphs) == {"<http://example.org/g1>", "_:b0",
                                       "<https://w3id.org/tajsec/graph/instances/agencies.ttl>"}
        ds = r.dataset()
        values = {g: sorted(q.object.value for q in ds.quads_for_graph_name(nn(g))
                            if q.predicate.value == "http://example.org/p")
                  for g in [info.graph, *info.subgraphs.values()]}
        assert sorted(values.values()) == [["default"], ["not ours"], ["one"], ["two"]]
        # our graph keeps only our triples
        assert not [q for q in ds.quads_for_subject(nn("http://example.org/a"))
                    if q.graph_name.value.endswith("/instances/agencies.ttl")]
        assert info.triples_parsed == info.triples_kept == 5
        ids = {q.object.value for q in ds.quads_for_graph_name(META_GRAPH)
               if q.predicate.value == "http://purl.org/dc/terms/identifier"}
        assert ids == set(info.subgraphs)


def test_same_file_given_twice_is_merged_once(project, tmp_path):
    copy = tmp_path / "copy.ttl"
    copy.write_bytes(EXTRACT.read_bytes())
    with merge(project, [EXTRACT, copy]) as r:
        first, second = r.report.inputs
        assert second.duplicate_of == str(EXTRACT) and second.graph == first.graph
        assert sum(1 for g in r.graphs if "/graph/input/" in g) == 1
        assert second.triples_kept == first.triples_kept


def test_progress_is_reported_while_reading(project):
    calls = []
    with merge(project, [EXTRACT], progress=lambda label, done, total: calls.append((label, done, total))):
        pass
    size = EXTRACT.stat().st_size
    assert (str(EXTRACT), size, size) in calls
    assert calls[-1][0] == "sort" and calls[-1][1] == calls[-1][2]


def test_remote_jsonld_context_is_not_fetched(project, tmp_path):
    doc = tmp_path / "remote.jsonld"
    doc.write_text('{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://example.org/a", "name": "x"}',
                   encoding="utf-8")
    with pytest.raises(LoadError) as e:
        merge(project, [doc])
    assert e.value.path == str(doc)


def test_output_is_deterministic(project, merged_trig, tmp_path):
    with merge(project, [EXTRACT]) as again:
        assert trig_bytes(again) == merged_trig
        out = tmp_path / "merged.trig"
        write_trig(again, out)
        assert out.read_bytes() == merged_trig
    assert merged_trig.count(b"@prefix") == len(re.findall(rb"^@prefix ", merged_trig, re.M))
    prefixes = re.findall(rb"^@prefix (\S*):", merged_trig, re.M)
    assert prefixes == sorted(prefixes)


# ---- Failures write nothing ----

def test_syntax_error_names_file_and_line_and_writes_nothing(project, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b ex:c ex:d .\n', encoding="utf-8")
    out = tmp_path / "out" / "merged.trig"
    with pytest.raises(LoadError) as e:
        result = merge(project, [EXTRACT, bad])
        write_trig(result, out)
    assert e.value.path == str(bad) and e.value.line == 3 and e.value.column
    assert f"{bad}:3:" in str(e.value)
    assert not out.parent.exists() or not list(out.parent.iterdir())


def test_failed_write_leaves_the_old_file(merged, tmp_path, monkeypatch):
    out = tmp_path / "merged.trig"
    out.write_bytes(b"old")

    def broken(result, f):
        f.write(b"partial")
        raise OSError("disk full")

    monkeypatch.setattr(merge_output, "_write", broken)
    with pytest.raises(OSError):
        write_trig(merged, out)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["merged.trig"]


def test_rdfxml_with_entities_refused(project, tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "aaaaaaaaaa">\n]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n', encoding="utf-8")
    with pytest.raises(LoadError) as e:
        merge(project, [bomb])
    assert e.value.line == 3 and "ENTITY" in str(e.value)


def test_unknown_extension_refused_before_any_work(project, tmp_path):
    with pytest.raises(LoadError):
        merge(project, [tmp_path / "data.xyz"])


# ---- The merged graph answers questions across sources ----

def test_question_joining_both_sources(merged_trig):
    store = ox.Store()
    store.load(merged_trig, format=ox.RdfFormat.TRIG)
    # Which of the people in our graph are heads of state according to the extract, and of which
    # of our states? Our links to Wikidata join our entities to the extract's statements.
    rows = store.query("""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX wdt: <http://www.wikidata.org/prop/direct/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?person ?state ?theirName WHERE {
          ?person skos:exactMatch ?wdPerson .
          ?state skos:exactMatch ?wdState .
          ?wdState wdt:P35 ?wdPerson .
          ?wdPerson rdfs:label ?theirName .
        } ORDER BY ?person""", use_default_graph_as_union=True)
    assert [(r["person"].value, r["state"].value, r["theirName"].value) for r in rows] == \
        [(TSD + "putin", TSD + "russia", "Vladimir Putin")]


# ---- Normalising names ----

@pytest.mark.parametrize("a, b", [
    ("Rahmonov", "Rakhmonov"), ("Khorogh", "Khorog"), ("Ministry of Interior", "Ministry of the Interior"),
    ("Novossibirskaya Province", "Novosibirskaya province"), ("Rahmonov", "Рахмонов"), ("Rahmonov", "Rahmon"),
    ("Khudaiberdiev", "Khudoiberdyev"),
])
def test_same_normalised_spelling(a, b):
    assert normalise_name(a) == normalise_name(b) or skeleton(normalise_name(a)) == skeleton(normalise_name(b))


@pytest.mark.parametrize("a, b", [("Kulyab", "Kulob"), ("Yakub Salimov", "Yakib Salimov")])
def test_same_consonant_skeleton(a, b):
    assert skeleton(normalise_name(a)) == skeleton(normalise_name(b))


@pytest.mark.parametrize("a, b", [("Russia", "Prussia"), ("UN", "EU"), ("Dushanbe", "Tashkent")])
def test_different_names_stay_different(a, b):
    assert skeleton(normalise_name(a)) != skeleton(normalise_name(b))


# ---- Wikidata: only verified IDs, SSSOM file in step with the list and the graph ----

def verified() -> list[dict[str, str]]:
    if not VERIFIED_WIKIDATA.is_file():
        pytest.skip(f"verified list not found at {VERIFIED_WIKIDATA}")
    with VERIFIED_WIKIDATA.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def test_no_wikidata_id_in_instances_or_mappings_is_unverified():
    ids = {r["wikidata_qid"] for r in verified()}
    files = sorted((ROOT / "instances").glob("*.ttl")) + sorted((ROOT / "mappings").glob("*"))
    assert SSSOM in files
    used: dict[str, set[str]] = {}
    for f in files:
        text = f.read_text(encoding="utf-8")
        for qid in re.findall(r"(?:wikidata\.org/entity/|wikidata\.org/wiki/|wd:|wikidata:)(Q\d+)", text):
            used.setdefault(qid, set()).add(f.name)
    assert len(used) >= 20
    assert {q: sorted(f) for q, f in used.items() if q not in ids} == {}


def test_sssom_file_is_generated_from_the_verified_list(project, built):
    rows = verified()
    result = alignment.sssom_rows(project, VERIFIED_WIKIDATA, built)
    assert SSSOM.read_text(encoding="utf-8") == alignment.sssom_text(result), \
        "mappings/wikidata.sssom.tsv is stale: run tajsec dev alignment"
    assert len(result.rows) + len(result.left_out) == len(rows)


def test_sssom_file_shape():
    curie_map, rows = alignment.read_sssom(SSSOM)
    header = [l for l in SSSOM.read_text(encoding="utf-8").splitlines() if l.startswith("#")]
    assert "# mapping_set_id: https://w3id.org/tajsec/mappings/wikidata.sssom.tsv" in header
    assert "# license: https://creativecommons.org/licenses/by/4.0/" in header
    assert curie_map["wikidata"] == WD and curie_map["tsd"] == TSD and "semapv" in curie_map
    assert list(rows[0]) == alignment.COLUMNS
    assert len(rows) >= 40
    for r in rows:
        assert r["predicate_id"] == "skos:exactMatch" and r["mapping_justification"] == "semapv:ManualMappingCuration"
        assert re.fullmatch(r"tsd:[a-z0-9-]+", r["subject_id"]) and re.fullmatch(r"wikidata:Q\d+", r["object_id"])
        assert r["comment"] and r["subject_label"] and r["object_label"]
    assert len({r["subject_id"] for r in rows}) == len({r["object_id"] for r in rows}) == len(rows)


def test_graph_never_contradicts_the_sssom_file(project, built):
    verified()
    left_out = {x.wikidata_qid for x in alignment.sssom_rows(project, VERIFIED_WIKIDATA, built).left_out}
    for d in alignment.check_alignment(built, SSSOM):
        # only links the label rule could not map may differ, and only by being absent from the file
        assert d.kind == "only in the graph" and d.object.split(":", 1)[1] in left_out, str(d)


def test_check_alignment_finds_disagreements(built, tmp_path):
    text = SSSOM.read_text(encoding="utf-8")
    text = text.replace("\twikidata:Q863\t", "\twikidata:Q1\t")
    (tmp_path / "x.sssom.tsv").write_text(text, encoding="utf-8")
    diffs = {(d.kind, d.subject, d.object) for d in alignment.check_alignment(built, tmp_path / "x.sssom.tsv")}
    assert ("only in the SSSOM file", "tsd:tajikistan", "wikidata:Q1") in diffs
    assert ("only in the graph", "tsd:tajikistan", "wikidata:Q863") in diffs


def test_spellings_of_a_verified_row():
    assert alignment.spellings("US / United States") == ["US", "United States"]
    assert set(alignment.spellings("Parliament (of Tajikistan)")) >= {"Parliament", "Parliament of Tajikistan"}


# ---- Export ----

def distinct_triples(built, profile: str) -> set[str]:
    return {f"{q.subject} {q.predicate} {q.object}" for q in export_quads(built, profile)}


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_round_trips(project, built, fmt, profile):
    data = export(project, fmt, profile, built)
    assert data == export(project, fmt, profile, built)  # deterministic
    parsed = list(ox.parse(data, format=FORMATS[fmt]))
    if fmt in DATASET_FORMATS:
        assert len(parsed) == len(set(export_quads(built, profile)))
        assert {q.graph_name for q in parsed} <= set(built.store.named_graphs())
    else:
        assert {f"{q.subject} {q.predicate} {q.object}" for q in parsed} == distinct_triples(built, profile)
        assert len(parsed) == len(distinct_triples(built, profile))


def test_jsonld_export_uses_the_context_file_inline(project, built):
    doc = json.loads(export(project, "jsonld", "interop", built))
    assert doc["@context"] == json.loads((ROOT / "contexts" / "tajsec.jsonld").read_text(encoding="utf-8"))["@context"]
    assert isinstance(doc["@context"], dict)  # nothing to fetch when it is read


def test_context_file_matches_the_namespaces():
    assert json.loads((ROOT / "contexts" / "tajsec.jsonld").read_text(encoding="utf-8")) == context_document()


def test_interop_profile_holds_only_standard_terms(built):
    std = ("http://www.w3.org/2004/02/skos/core#", "http://xmlns.com/foaf/0.1/", "http://www.w3.org/ns/org#",
           "https://schema.org/", "http://www.w3.org/2006/time#", "http://www.w3.org/ns/prov#")
    quads = export_quads(built, "interop")
    assert len(quads) > 1000
    preds = {q.predicate.value for q in quads}
    assert all(p == RDFS + "label" or p.startswith(std) or p.endswith("#type") for p in preds)
    types = {q.object.value for q in quads if q.predicate.value.endswith("#type")}
    assert types and all(t.startswith(std) for t in types)
    assert {"http://xmlns.com/foaf/0.1/Person", "http://www.w3.org/ns/org#Membership"} <= types
    assert not [q for q in quads if q.subject == nn(TS + "Person")]


# ---- VoID ----

def test_void_description_counts(project, built):
    text = dataset_description(project, built, endpoint="http://127.0.0.1:7878/sparql")
    assert text == dataset_description(project, built, endpoint="http://127.0.0.1:7878/sparql")
    d = ox.Dataset(ox.parse(text.encode(), format=ox.RdfFormat.TURTLE))
    ds = nn("https://w3id.org/tajsec/dataset")
    v = "http://rdfs.org/ns/void#"

    def value(local):
        [q] = match(d, ds, nn(v + local), None)
        return int(q.object.value)

    triples = {(q.subject, q.predicate, q.object) for q in built.store.quads_for_pattern(None, None, None, None)}
    assert value("triples") == len(triples)
    assert value("entities") == len({s for s, _, _ in triples if isinstance(s, ox.NamedNode) and s.value.startswith(TSD)})
    assert value("classes") == len({o for _, p, o in triples if p.value.endswith("22-rdf-syntax-ns#type")})
    assert value("properties") == len({p for _, p, _ in triples})
    assert value("distinctSubjects") == len({s for s, _, _ in triples})
    assert value("distinctObjects") == len({o for _, _, o in triples})
    vocabs = {q.object.value for q in match(d, ds, nn(v + "vocabulary"), None)}
    assert {"http://xmlns.com/foaf/0.1/", "http://www.w3.org/ns/org#", TS} <= vocabs
    assert match(d, ds, nn(v + "sparqlEndpoint"), nn("http://127.0.0.1:7878/sparql"))
    assert match(d, ds, nn(v + "exampleResource"), nn(TSD + "drug-control-agency"))


def test_void_without_endpoint(project, built):
    assert "sparqlEndpoint" not in dataset_description(project, built)
