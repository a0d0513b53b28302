"""`tajsec validate`: our data conforms; other people's files are validated on their own, with
results located at file and line, in four output formats, with a documented exit code."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from tajsec.cli import main

ROOT = Path(__file__).resolve().parent.parent

# A user's dataset in our ontology with two defects on known lines.
USER_DATA = """@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix ts: <https://w3id.org/tajsec/onto/> .

<https://example.org/kg/report> a ts:Chapter ;
    rdfs:label "A report on another country"@en .

<https://example.org/kg/section-1> a ts:Section ;
    rdfs:label "Section 1"@en ;
    schema:isPartOf <https://example.org/kg/report> .

<https://example.org/kg/minister> a ts:Person ;
    rdfs:label "A minister"@en .

<https://example.org/kg/ministry> a ts:PowerMinistry ;
    rdfs:label "A ministry"@en .

<https://example.org/kg/tenure> a ts:Tenure ;
    rdfs:label "The minister's tenure"@en ;
    org:member <https://example.org/kg/minister> ;
    org:organization <https://example.org/kg/ministry> ;
    ts:inSection <https://example.org/kg/section-1> ;
    ts:statedIn <https://example.org/kg/section-1> ;
    ts:evidenceQuote "The minister heads the ministry." ;
    prov:wasDerivedFrom <https://example.org/kg/report> .

<https://example.org/kg/q> a ts:Quantity ;
    rdfs:label "a bad range"@en ;
    schema:minValue 7000 ;
    schema:maxValue 6000 ;
    ts:unit ts:unit-person ;
    ts:hedge ts:hedge-between ;
    ts:valueText "between 7,000 and 6,000" .
"""
TENURE_LINE = 20
QUANTITY_LINE = 29


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TAJSEC_ROOT", raising=False)
    return CliRunner()


@pytest.fixture
def user_file(tmp_path):
    path = tmp_path / "user-data.ttl"
    path.write_text(USER_DATA, encoding="utf-8")
    assert path.read_text().splitlines()[TENURE_LINE - 1].startswith("<https://example.org/kg/tenure>")
    assert path.read_text().splitlines()[QUANTITY_LINE - 1].startswith("<https://example.org/kg/q>")
    return path


def test_our_data_conforms(runner):
    res = runner.invoke(main, ["validate"])
    assert res.exit_code == 0, res.output[-3000:]
    assert "conforms" in res.output.splitlines()[-1]


def test_user_file_violations_exit_1_with_file_and_line(runner, user_file):
    res = runner.invoke(main, ["validate", str(user_file)])
    assert res.exit_code == 1
    assert f"{user_file}:{TENURE_LINE}: violation: A tenure names exactly one role" in res.output
    assert f"{user_file}:{QUANTITY_LINE}: violation: A quantity's minimum must not be above its maximum" in res.output


def test_json_format(runner, user_file):
    res = runner.invoke(main, ["validate", str(user_file), "--format", "json"])
    doc = json.loads(res.output)
    assert doc["conforms"] is False
    shapes = {(r["shape"], r["line"]) for r in doc["results"]}
    assert ("https://w3id.org/tajsec/shapes/TenureShape-role", TENURE_LINE) in shapes
    assert ("https://w3id.org/tajsec/shapes/QuantityShape-minNotAboveMax", QUANTITY_LINE) in shapes


def test_junit_format(runner, user_file):
    res = runner.invoke(main, ["validate", str(user_file), "--format", "junit"])
    root = ET.fromstring(res.output)
    assert root.tag == "testsuites"
    failures = root.findall(".//failure")
    assert len(failures) == int(root.get("failures")) == 2
    assert any("tenure names exactly one role" in f.get("message") for f in failures)


def test_github_format(runner, user_file):
    res = runner.invoke(main, ["validate", str(user_file), "--format", "github"])
    lines = res.output.splitlines()
    assert f"::error file={user_file},line={TENURE_LINE},title=tssh%3ATenureShape-role::" in "\n".join(lines)
    assert all(line.startswith("::error ") for line in lines)


def test_with_instances_merges_ours(runner, user_file):
    res = runner.invoke(main, ["validate", str(user_file), "--with-instances", "--format", "json"])
    doc = json.loads(res.output)
    assert len(doc["files"]) > 5
    assert {r["focus"] for r in doc["results"]} == {"https://example.org/kg/tenure", "https://example.org/kg/q"}


def test_warnings_fail_only_at_warning_threshold(runner, tmp_path):
    data = USER_DATA.replace('ts:unit ts:unit-person ;', 'ts:unit ts:unit-person ;').replace(
        "schema:minValue 7000", "schema:minValue 6000").replace("schema:maxValue 6000", "schema:maxValue 7000")
    data = data.replace("ts:inSection", "org:role ts:role-minister ;\n    ts:inSection")
    data += """
<https://example.org/kg/claim> a ts:Claim ;
    rdfs:label "a claim without text"@en ;
    ts:claimHolder <https://example.org/kg/minister> ;
    ts:inSection <https://example.org/kg/section-1> ;
    ts:statedIn <https://example.org/kg/section-1> ;
    ts:evidenceQuote "The minister says so." ;
    prov:wasDerivedFrom <https://example.org/kg/report> .
"""
    path = tmp_path / "warn.ttl"
    path.write_text(data)
    assert runner.invoke(main, ["validate", str(path)]).exit_code == 0
    res = runner.invoke(main, ["validate", str(path), "--severity", "warning"])
    assert res.exit_code == 1
    assert "warning: A claim should say what is claimed" in res.output


def test_syntax_error_reports_file_line_column_exit_2(runner, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ts: <https://w3id.org/tajsec/onto/> .\n<https://example.org/a> a ts:Person ;\n    ts:x "open .\n')
    res = runner.invoke(main, ["validate", str(bad)])
    assert res.exit_code == 2
    assert f"{bad}:3:" in res.output


def test_unknown_extension_exit_2(runner, tmp_path):
    odd = tmp_path / "data.xyz"
    odd.write_text("whatever")
    res = runner.invoke(main, ["validate", str(odd)])
    assert res.exit_code == 2
    assert "unknown RDF file extension" in res.output


def test_other_formats_are_read_by_extension(runner, tmp_path, user_file):
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(user_file), format=ox.RdfFormat.TURTLE))
    nt = tmp_path / "user.nt"
    nt.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES))
    res = runner.invoke(main, ["validate", str(nt), "--format", "json"])
    doc = json.loads(res.output)
    assert res.exit_code == 1
    tenure = [r for r in doc["results"] if r["focus"] == "https://example.org/kg/tenure"]
    assert tenure and tenure[0]["line"] is not None
    line = nt.read_text().splitlines()[tenure[0]["line"] - 1]
    assert line.startswith("<https://example.org/kg/tenure>")


def test_reference_engine_gives_the_same_results(runner, user_file):
    fast = json.loads(runner.invoke(main, ["validate", str(user_file), "--format", "json"]).output)
    ref = json.loads(runner.invoke(main, ["validate", str(user_file), "--format", "json", "--engine", "pyshacl"]).output)
    key = lambda r: (r["focus"], r["path"], r["component"], r["severity"], r["shape"], r["line"])  # noqa: E731
    assert sorted(map(key, fast["results"])) == sorted(map(key, ref["results"]))
