"""Hostile inputs and what the output formats do with hostile data: nothing a parser would drop
is dropped in silence, RDF 1.2 triple terms and absurd nesting are refused with the file and line,
any file name works, and no output format can be broken or a terminal driven by the data."""
from __future__ import annotations

import json
import os
import time
import xml.dom.minidom
from pathlib import Path

import pytest
from click.testing import CliRunner

from tajsec.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TAJSEC_ROOT", raising=False)
    return CliRunner()


def _validate(runner, *args):
    res = runner.invoke(main, ["validate", *map(str, args)])
    return res.exit_code, res.output


JSONLD_DROPS = {
    "relative-id.jsonld": ('{"@id": "relative/thing", "http://www.w3.org/2000/01/rdf-schema#label": "x"}',
                           "@id 'relative/thing' is a relative IRI with no @base"),
    "invalid-id.jsonld": ('{"@id": "https://example.org/a", "https://example.org/p": {"@id": "http://exa mple.org/b"}}',
                          "is not a valid IRI"),
    "key-not-in-context.jsonld": ('{"@context": {"label": "http://www.w3.org/2000/01/rdf-schema#label"}, '
                                  '"@id": "https://example.org/a", "label": "x", "colour": "red"}',
                                  "key 'colour' is not a term of the @context"),
    "invalid-language.jsonld": ('{"@id": "https://example.org/a", "http://www.w3.org/2000/01/rdf-schema#label": '
                                '{"@value": "x", "@language": "not a tag!"}}', "is not a language tag"),
    "relative-type.jsonld": ('{"@id": "https://example.org/a", "@type": "Person"}', "@type 'Person' is a relative type"),
}


@pytest.mark.parametrize("name", sorted(JSONLD_DROPS))
def test_jsonld_that_would_be_dropped_is_a_counted_warning(runner, tmp_path, name):
    text, why = JSONLD_DROPS[name]
    (tmp_path / name).write_text(text)
    code, out = _validate(runner, tmp_path / name)
    assert why in out and f"{name}:1: warning:" in out
    assert "0 violations, 0 warnings" not in out  # counted in the summary
    code, out = _validate(runner, tmp_path / name, "--severity", "warning")
    assert code == 1, out
    res = runner.invoke(main, ["validate", str(tmp_path / name), "--format", "json"])
    loader = [r for r in json.loads(res.stdout)["results"] if r.get("source") == "loader"]
    assert loader and loader[0]["severity"] == "Warning" and loader[0]["line"] == 1


def test_jsonld_with_a_context_a_base_and_a_vocab_loses_nothing(runner, tmp_path):
    (tmp_path / "fine.jsonld").write_text(json.dumps({
        "@context": {"@base": "https://example.org/", "@vocab": "https://example.org/vocab/",
                     "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},
        "@id": "thing", "@type": "Thing", "rdfs:label": {"@value": "x", "@language": "en-GB"}, "colour": "red"}))
    code, out = _validate(runner, tmp_path / "fine.jsonld")
    assert out.splitlines() == ["1 data files: 0 violations, 0 warnings, 0 infos; conforms at threshold violation"]


def test_invalid_utf8_in_jsonld_names_file_and_line(runner, tmp_path):
    (tmp_path / "bad.jsonld").write_bytes(b'{"@id": "https://example.org/a",\n "https://example.org/p": "\xff\xfe"}')
    code, out = _validate(runner, tmp_path / "bad.jsonld")
    assert code == 2
    assert "bad.jsonld:2: not valid UTF-8" in out and "AttributeError" not in out


TRIPLE_TERM = "@prefix ex: <https://example.org/> .\n\nex:a ex:p <<( ex:s ex:p ex:o )>> .\n"


def test_rdf12_triple_terms_are_refused_by_validate(runner, tmp_path):
    (tmp_path / "star.ttl").write_text(TRIPLE_TERM)
    code, out = _validate(runner, tmp_path / "star.ttl")
    assert code == 2 and "star.ttl:3: RDF 1.2 triple terms" in out


def test_rdf12_triple_terms_are_refused_by_merge(runner, tmp_path):
    (tmp_path / "star.trig").write_text(TRIPLE_TERM)
    res = runner.invoke(main, ["merge", str(tmp_path / "star.trig"), "-o", str(tmp_path / "out.trig")])
    assert res.exit_code == 2 and "RDF 1.2 triple terms" in res.output
    assert not (tmp_path / "out.trig").exists()


def test_deeply_nested_rdfxml_is_refused_at_once(runner, tmp_path):
    depth = 100_000
    body = "<ex:p><rdf:Description>" * depth + "</rdf:Description></ex:p>" * depth
    (tmp_path / "deep.rdf").write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="https://example.org/"><rdf:Description rdf:about="https://example.org/a">' + body
        + "</rdf:Description></rdf:RDF>")
    start = time.monotonic()
    code, out = _validate(runner, tmp_path / "deep.rdf")
    assert code == 2 and "nested deeper than 1000 elements" in out and "deep.rdf:2:" in out
    assert time.monotonic() - start < 60  # before: about two minutes in the parser


@pytest.mark.parametrize("name", ["with space.ttl", 'quote".ttl', "angle>.ttl", "percent%20.ttl", "ünïcode.ttl"])
def test_any_file_name_can_be_validated(runner, tmp_path, name):
    (tmp_path / name).write_text("<https://example.org/a> <https://example.org/p> <https://example.org/b> .\n")
    code, out = _validate(runner, tmp_path / name)
    assert code == 0, out


HOSTILE_LABEL = '"\x1b[31mRED\x07\x00"'  # a terminal escape, a bell and a NUL, in a literal


def _hostile_file(tmp_path: Path, name: str = "esc.ttl") -> Path:
    path = tmp_path / name
    path.write_text("<https://example.org/a> a <https://w3id.org/tajsec/onto/Person> ;\n"
                    f"  <http://www.w3.org/2000/01/rdf-schema#label> {HOSTILE_LABEL} .\n")
    return path


def test_text_output_shows_control_characters_instead_of_sending_them(runner, tmp_path):
    code, out = _validate(runner, _hostile_file(tmp_path))
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out and "\x00" not in out
    assert "\\x1b[31mRED\\x07\\x00" in out


def test_junit_stays_well_formed_xml(runner, tmp_path):
    res = runner.invoke(main, ["validate", str(_hostile_file(tmp_path)), "--format", "junit"])
    doc = xml.dom.minidom.parseString(res.stdout)
    assert doc.getElementsByTagName("failure")


@pytest.mark.skipif(os.name != "posix", reason="file names with newlines need a POSIX file system")
def test_github_annotations_cannot_be_injected_by_a_file_name(runner, tmp_path):
    path = _hostile_file(tmp_path, "evil\n::error file=x::injected.ttl")
    res = runner.invoke(main, ["validate", str(path), "--format", "github"])
    out = res.stdout
    lines = [l for l in out.splitlines() if l]
    assert len(lines) == 1 and lines[0].startswith("::error file=") and "%0A" in lines[0]
