"""The loader's rules, each checked on a small file so that the whole set runs in seconds (these
are the tests mutation testing runs against tajsec/io/load.py; tests/test_loader.py has the
slower end-to-end ones)."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from tajsec.core.errors import LoadError
from tajsec.io import load, screens

XSD = "http://www.w3.org/2001/XMLSchema#"
G = ox.NamedNode("https://example.org/g")
TRIPLE = b'<https://example.org/s> <https://example.org/p> "x" .\n'


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name,fmt", [("a.ttl", ox.RdfFormat.TURTLE), ("a.TTL", ox.RdfFormat.TURTLE),
                                      ("a.nt", ox.RdfFormat.N_TRIPLES), ("a.json", ox.RdfFormat.JSON_LD),
                                      ("a.jsonld", ox.RdfFormat.JSON_LD), ("a.Rdf", ox.RdfFormat.RDF_XML),
                                      ("a.trig", ox.RdfFormat.TRIG), ("a.nq", ox.RdfFormat.N_QUADS), ("-", ox.RdfFormat.TURTLE)])
def test_format_by_extension_whatever_its_case(name, fmt):
    assert load.format_for(Path(name)) == fmt


def test_unknown_extension_is_an_error_naming_the_known_ones():
    with pytest.raises(LoadError) as e:
        load.format_for(Path("a.xyz"))
    assert "'.xyz'" in e.value.message and ".ttl" in e.value.message and e.value.line is None


def test_n_triples_is_not_read_as_turtle(tmp_path):
    turtle_only = b"@prefix ex: <https://example.org/> .\nex:s ex:p ex:o .\n"
    assert len(load.parse_file(write(tmp_path, "a.ttl", turtle_only))) == 1
    with pytest.raises(LoadError) as e:
        load.parse_file(write(tmp_path, "a.nt", turtle_only))
    assert e.value.line == 1


def test_syntax_error_has_line_and_column(tmp_path):
    with pytest.raises(LoadError) as e:
        load.parse_file(write(tmp_path, "a.ttl", TRIPLE + b"<https://example.org/s> <https://example.org/p> .\n"))
    assert e.value.line == 2 and e.value.column is not None and e.value.column > 1
    assert str(e.value).startswith(f"{tmp_path / 'a.ttl'}:2:{e.value.column}: ")


def test_size_limit_applies_to_files_and_streams(tmp_path, monkeypatch):
    path = write(tmp_path, "a.ttl", TRIPLE * 4)
    monkeypatch.setattr(load, "MAX_FILE_BYTES", len(TRIPLE) * 4)
    assert len(load.parse_file(path)) == 4  # exactly at the limit: read (parse_file keeps duplicates)
    monkeypatch.setattr(load, "MAX_FILE_BYTES", len(TRIPLE) * 4 - 1)
    with pytest.raises(LoadError, match="above the limit"):
        load.parse_file(path)
    with pytest.raises(LoadError, match="above the limit"):
        list(load.read_limited(io.BytesIO(TRIPLE * 4), path))
    monkeypatch.setattr(load, "_CHUNK", 7)
    monkeypatch.setattr(load, "MAX_FILE_BYTES", len(TRIPLE) * 4)
    assert b"".join(load.read_limited(io.BytesIO(TRIPLE * 4), path)) == TRIPLE * 4


def test_byte_order_mark_error_in_ours_warning_in_theirs(tmp_path):
    path = write(tmp_path, "a.ttl", load.BOM + TRIPLE)
    with pytest.raises(LoadError) as e:
        load.parse_file(path, strict=True)
    assert (e.value.line, e.value.column) == (1, 1) and "byte-order mark" in e.value.message
    warnings: list = []
    assert len(load.parse_file(path, strict=False, warnings=warnings)) == 1
    assert [(w.line, "byte-order mark" in w.message) for w in warnings] == [(1, True)]
    assert str(warnings[0]) == f"{path}:1: warning: {warnings[0].message}"


def test_files_that_are_not_regular_are_refused(tmp_path):
    with pytest.raises(LoadError, match="a directory"):
        load.open_input(tmp_path)
    with pytest.raises(LoadError, match="cannot read file"):
        load.open_input(tmp_path / "missing.ttl")
    os.mkfifo(tmp_path / "pipe.ttl")
    with pytest.raises(LoadError, match="named pipe"):
        load.open_input(tmp_path / "pipe.ttl")


@pytest.mark.parametrize("strict", [True, False])
@pytest.mark.parametrize("value,datatype", [("300", "byte"), ("-1", "nonNegativeInteger"), ("2147483648", "int"),
                                            ("2004-04-12T13:20:00", "dateTimeStamp"), ("abc", "integer"),
                                            ("2004-02-30", "date")])
def test_ill_typed_literals_in_both_loaders(tmp_path, strict, value, datatype):
    data = TRIPLE + f'<https://example.org/s> <https://example.org/q> "{value}"^^<{XSD}{datatype}> .\n'.encode()
    path = write(tmp_path, "a.ttl", data)
    for read in (lambda **kw: load.parse_file(path, **kw), lambda **kw: load.load_into(ox.Store(), path, G, **kw)):
        if strict:
            with pytest.raises(LoadError) as e:
                read(strict=True)
            assert e.value.line == 2 and e.value.message == f'ill-typed literal: "{value}" is not a valid xsd:{datatype}'
        else:
            warnings: list = []
            read(strict=False, warnings=warnings)
            assert [w.line for w in warnings] == [2]


def test_well_typed_derived_integers_load(tmp_path):
    data = f'<https://example.org/s> <https://example.org/q> "127"^^<{XSD}byte>, "2004-04-12T13:20:00Z"^^<{XSD}dateTimeStamp> .\n'
    path = write(tmp_path, "a.ttl", data.encode())
    assert load.load_into(ox.Store(), path, G) == 2
    assert len(load.parse_file(path)) == 2


def test_load_into_counts_triples_and_folds_datasets_into_the_graph(tmp_path):
    store = ox.Store()
    assert load.load_into(store, write(tmp_path, "a.nt", TRIPLE * 2), G) == 1
    quads = b'<https://example.org/s> <https://example.org/p> "y" <https://example.org/other> .\n'
    assert load.load_into(store, write(tmp_path, "b.nq", quads), G) == 1
    assert {q.graph_name for q in store} == {G}
    assert load.parse_file(write(tmp_path, "c.nt", TRIPLE), graph=G)[0].graph_name == G
    assert load.parse_file(tmp_path / "c.nt")[0].graph_name == ox.DefaultGraph()


def test_several_ill_typed_literals_reported_with_a_count(tmp_path):
    lines = "".join(f'<https://example.org/s> <https://example.org/p> "x{i}"^^<{XSD}integer> .\n' for i in range(3))
    with pytest.raises(LoadError) as e:
        load.parse_file(write(tmp_path, "a.ttl", lines.encode()))
    assert e.value.line == 1 and e.value.message.endswith("(and 2 more)")


def test_rdf_xml_entities_are_refused_with_their_line(tmp_path):
    data = b'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY e "x">\n]>\n<r/>\n'
    with pytest.raises(LoadError) as e:
        load.parse_file(write(tmp_path, "a.rdf", data))
    assert e.value.line == 3 and "ENTITY" in e.value.message
    screen = screens.EntityScreen()
    assert screen.feed(b"<a>\n<b>\n<!EN") is None
    assert screen.feed(b"TITY x>") == 3  # split across chunks, still found on its line


@pytest.mark.parametrize("context", ['"https://example.org/context.jsonld"', '["a.jsonld"]',
                                     '[{"ex": "https://example.org/"}, "b.jsonld"]'])
def test_remote_json_ld_contexts_are_refused(tmp_path, context):
    data = f'{{"@graph": [{{"@context": {context}, "@id": "https://example.org/s"}}]}}'.encode()
    with pytest.raises(LoadError, match="never fetches contexts"):
        load.parse_file(write(tmp_path, "a.jsonld", data))


def test_inline_json_ld_context_is_read(tmp_path):
    data = b'{"@context": {"ex": "https://example.org/"}, "@id": "ex:s", "ex:p": "x"}'
    assert len(load.parse_file(write(tmp_path, "a.json", data))) == 1
    with pytest.raises(LoadError) as e:
        load.parse_file(write(tmp_path, "b.json", b'{"@id": \n'))
    assert e.value.line == 2 and "invalid JSON" in e.value.message


def test_lines_of_finds_the_first_line_showing_each_form():
    lines = ['x "12" y', 'z "1x" w', "<a>1x</a>", "'q'"]
    reasons = ['"1x" is not a valid xsd:integer', '"q" is not a valid xsd:integer', '"nope" is not a valid xsd:integer']
    assert load.lines_of(lines, reasons) == [(2, reasons[0]), (4, reasons[1]), (None, reasons[2])]


def test_graph_name_is_the_path_in_the_checkout(tmp_path):
    assert load.graph_name_for(tmp_path / "instances" / "a.ttl", tmp_path).value.endswith("/instances/a.ttl")
    outside = load.graph_name_for(Path("/etc/x.ttl"), tmp_path).value
    assert outside.endswith("etc/x.ttl") and not outside.endswith("//etc/x.ttl")


def test_default_size_limit_is_two_gib_and_the_environment_sets_it():
    import subprocess
    import sys

    code = "import tajsec.io.load as l; print(l.MAX_FILE_BYTES)"
    env = {k: v for k, v in os.environ.items() if k != "TAJSEC_MAX_FILE_BYTES"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(2 * 1024 ** 3)
    out = subprocess.run([sys.executable, "-c", code], env={**env, "TAJSEC_MAX_FILE_BYTES": "123"},
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "123"


def test_streamed_input_screened_then_parsed(tmp_path):
    import hashlib

    data = load.BOM + TRIPLE * 3
    path = write(tmp_path, "a.nt", data)
    warnings: list = []
    with load.InputFile(path, strict=False, warnings=warnings) as source:
        assert source.screen() == hashlib.sha256(data).hexdigest() and source.size == len(data)
        seen: list[int] = []
        parsed = list(ox.parse(source.stream(seen.append), format=source.format))
        assert len(parsed) == 3 and seen == [len(data)]
        assert list(source.lines())[1] == TRIPLE.decode()
    assert [w.line for w in warnings] == [1]
    with pytest.raises(LoadError, match="byte-order mark"):
        load.InputFile(path).screen()


def test_streamed_rdf_xml_with_an_entity_is_refused_at_its_line(tmp_path):
    data = b'<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY e "x">\n]>\n<r/>\n'
    with load.InputFile(write(tmp_path, "a.rdf", data)) as source:
        with pytest.raises(LoadError) as e:
            source.screen()
    assert e.value.line == 3 and "ENTITY" in e.value.message
    turtle = write(tmp_path, "b.ttl", b"# <!ENTITY in a comment is fine in Turtle\n" + TRIPLE)
    with load.InputFile(turtle) as source:
        source.screen()


def test_streamed_json_ld_with_a_remote_context_is_refused(tmp_path):
    path = write(tmp_path, "a.jsonld", b'{"@context": "https://example.org/c.jsonld", "@id": "https://example.org/s"}')
    with load.InputFile(path) as source, pytest.raises(LoadError, match="never fetches"):
        source.screen()


def test_file_changed_after_screening_is_an_error(tmp_path):
    path = write(tmp_path, "a.nt", TRIPLE)
    with load.InputFile(path) as source:
        source.screen()
        path.write_bytes(TRIPLE * 2)  # same inode, other bytes
        with pytest.raises(LoadError, match="changed while it was being read"):
            list(ox.parse(source.stream(), format=source.format))


def test_load_into_is_strict_unless_told(tmp_path):
    path = write(tmp_path, "a.ttl", f'<https://example.org/s> <https://example.org/p> "x"^^<{XSD}integer> .\n'.encode())
    with pytest.raises(LoadError, match="ill-typed"):
        load.load_into(ox.Store(), path, G)
    with pytest.raises(LoadError, match="ill-typed"):
        load.parse_file(path)


def test_empty_streamed_input_reports_progress_once(tmp_path):
    path = write(tmp_path, "empty.nt", b"")
    with load.InputFile(path) as source:
        source.screen()
        assert list(ox.parse(source.stream(), format=source.format)) == []
        seen: list[int] = []
        assert list(ox.parse(source.stream(seen.append), format=source.format)) == []
        assert seen == [0]


def test_progress_is_reported_every_mebibyte(tmp_path):
    data = TRIPLE * ((5 << 19) // len(TRIPLE))  # about 2.5 MiB
    path = write(tmp_path, "big.nt", data)
    with load.InputFile(path) as source:
        source.screen()
        seen: list[int] = []
        assert len(list(ox.parse(source.stream(seen.append), format=source.format))) == len(data) // len(TRIPLE)
    assert seen == [1 << 20, 2 << 20, len(data)]


def test_file_changed_to_other_bytes_of_the_same_size_is_an_error(tmp_path):
    path = write(tmp_path, "a.nt", TRIPLE)
    with load.InputFile(path) as source:
        source.screen()
        path.write_bytes(TRIPLE.replace(b'"x"', b'"y"'))
        with pytest.raises(LoadError, match="changed while it was being read"):
            list(ox.parse(source.stream(), format=source.format))


def test_blank_nodes_of_two_files_never_meet(tmp_path):
    data = b"_:x <https://example.org/p> _:x .\n"
    first = load.parse_file(write(tmp_path, "a.nt", data))[0]
    second = load.parse_file(write(tmp_path, "b.nt", data))[0]
    assert first.subject == first.object  # the same label is the same node within a file
    assert first.subject != second.subject


def test_entity_at_the_very_start_of_a_chunk_is_found():
    assert screens.EntityScreen().feed(b'<!ENTITY e "x">') == 1
    assert screens.EntityScreen().feed(b"<!ENTIT") is None


def test_dash_reads_standard_input_as_turtle(monkeypatch):
    import sys
    from types import SimpleNamespace

    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(b"@prefix ex: <https://example.org/> .\nex:s ex:p 1 .\n")))
    quads = load.parse_file(Path("-"))
    assert [q.object for q in quads] == [ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))]


class FailingRead(io.RawIOBase):
    def __init__(self, error: OSError):
        self.error = error

    def read(self, size: int = -1) -> bytes:
        raise self.error


def test_read_errors_become_load_errors(tmp_path):
    with pytest.raises(LoadError) as e:
        list(load.read_limited(FailingRead(OSError(5, "Input/output error")), tmp_path / "a.ttl"))
    assert e.value.message == "cannot read file: Input/output error"
    with pytest.raises(LoadError) as e:
        list(load.read_limited(FailingRead(OSError("device gone")), tmp_path / "a.ttl"))
    assert e.value.message == "cannot read file: device gone"


def test_a_byte_order_mark_inside_the_file_is_text_not_a_mark(tmp_path):
    # U+FEFF inside a literal, its bytes at the start of the second 1 MiB chunk
    head = b'<https://example.org/s> <https://example.org/p> "'
    data = head + b"a" * ((1 << 20) - len(head)) + load.BOM + b'z" .\n'
    path = write(tmp_path, "a.nt", data)
    with load.InputFile(path) as source:  # strict: a mark at the start would be an error
        source.screen()
        (quad,) = ox.parse(source.stream(), format=source.format)
    assert quad.object.value.endswith("a\ufeffz")


def test_retyped_and_other_ill_typed_literals_each_reported_once(tmp_path):
    data = (f'<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n'
            f'<https://example.org/s> <https://example.org/q> "300"^^<{XSD}byte> .\n'
            f'<https://example.org/s> <https://example.org/q> "abc"^^<{XSD}integer> .\n').encode()
    path = write(tmp_path, "a.ttl", data)
    warnings: list = []
    assert load.load_into(ox.Store(), path, G, strict=False, warnings=warnings) == 3
    assert sorted((w.line, w.message) for w in warnings) == [
        (2, 'ill-typed literal kept as written: "300" is not a valid xsd:byte'),
        (3, 'ill-typed literal kept as written: "abc" is not a valid xsd:integer')]


def test_syntax_errors_through_the_store_are_load_errors(tmp_path):
    path = write(tmp_path, "a.ttl", TRIPLE + b"<https://example.org/s> <https://example.org/p> .\n")
    with pytest.raises(LoadError) as e:
        load.load_into(ox.Store(), path, G)
    assert e.value.line == 2


def test_two_ill_typed_literals_say_one_more(tmp_path):
    lines = "".join(f'<https://example.org/s> <https://example.org/p> "x{i}"^^<{XSD}integer> .\n' for i in range(2))
    with pytest.raises(LoadError) as e:
        load.load_into(ox.Store(), write(tmp_path, "a.ttl", lines.encode()), G)
    assert e.value.message.endswith("(and 1 more)")


def test_triple_terms_are_refused_with_the_line_they_are_on(tmp_path):
    path = tmp_path / "star.ttl"
    path.write_text("@prefix ex: <https://example.org/> .\n\nex:a ex:p ex:b .\nex:a ex:p <<( ex:s ex:p ex:o )>> .\n")
    for read in (lambda: load.parse_file(path), lambda: load.load_into(ox.Store(), path, ox.NamedNode("https://example.org/g"))):
        with pytest.raises(LoadError) as e:
            read()
        assert e.value.line == 4 and "RDF 1.2 triple terms" in e.value.message


@pytest.mark.parametrize("name, text", [
    ("a.ttl", b'@prefix ex: <https://example.org/> .\n_:x ex:p "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
              b'ex:a ex:q [ ex:r "4.0"^^<http://www.w3.org/2001/XMLSchema#decimal> ] ; ex:s ex:b .\n'),
    ("a.trig", b'@prefix ex: <https://example.org/> .\n{ _:x ex:p "01"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
               b'ex:a ex:q [ ex:r "4.0"^^<http://www.w3.org/2001/XMLSchema#decimal> ] ; ex:s ex:b . }\n'),
])
def test_load_into_hands_over_the_literals_as_written_with_the_stores_blank_nodes(tmp_path, name, text):
    store, graph, literals = ox.Store(), ox.NamedNode("https://example.org/g"), []
    assert load.load_into(store, write(tmp_path, name, text), graph, literals=literals) == 4
    assert sorted(q.object.value for q in literals) == ["01", "4.0"]   # as written, not 1 and 4
    assert all(q.graph_name == graph and isinstance(q.subject, ox.BlankNode) for q in literals)
    for q in literals:   # the very blank node the store holds, described there
        assert list(store.quads_for_pattern(q.subject, q.predicate, None, graph))
    assert len(list(store.quads_for_pattern(None, None, None, graph))) == 4


def test_load_into_with_literals_reports_syntax_errors_and_ill_typed_literals(tmp_path):
    with pytest.raises(LoadError) as e:
        load.load_into(ox.Store(), write(tmp_path, "a.nt", TRIPLE + b"<https://example.org/s> <p\n"),
                       ox.NamedNode("https://example.org/g"), literals=[])
    assert e.value.line == 2
    with pytest.raises(LoadError, match="not a valid"):
        load.load_into(ox.Store(), write(tmp_path, "b.nt", f'<https://e/s> <https://e/p> "x"^^<{XSD}integer> .\n'.encode()),
                       ox.NamedNode("https://example.org/g"), literals=[])


@pytest.mark.parametrize("name", ["a.ttl", "a.nt"])
def test_ill_typed_literals_are_reported_by_line_and_retyped_ones_found_in_n_triples(tmp_path, name):
    # words like "long" in a text name no datatype; an N-Triples file names xsd:byte in full
    lines = [f'<https://example.org/s{i}> <https://example.org/q> "{v}"^^<{XSD}{t}> .\n'
             for i, (v, t) in enumerate([("x9", "integer"), ("300", "byte"), ("a long int", "string"),
                                         ("x1", "decimal"), ("13-13", "gYearMonth"), ("y", "date")])]
    warnings: list = []
    load.load_into(ox.Store(), write(tmp_path, name, "".join(lines).encode()), G, strict=False, warnings=warnings)
    assert [(w.line, w.message.split(": ", 1)[1]) for w in warnings] == [
        (1, '"x9" is not a valid xsd:integer'), (2, '"300" is not a valid xsd:byte'),
        (4, '"x1" is not a valid xsd:decimal'), (5, '"13-13" is not a valid xsd:gYearMonth'),
        (6, '"y" is not a valid xsd:date')]
    with pytest.raises(LoadError) as e:   # strict: the first by line
        load.load_into(ox.Store(), write(tmp_path, name, "".join(lines).encode()), G)
    assert e.value.line == 1


# ---- At scale (benchmarks/scale.py, 10M triples): the same rules, less held in memory ----

@pytest.mark.parametrize("text,named", [
    (b"int", True), (b"byte>", True), (b"xbyte", False), (b"bytex", False), (b"<http://x#long>", True),
    (b"points interest", False), (b"shortly", False), (b"a short", True), (b"", False), (b"long-ish", True),
])
def test_retyped_datatype_names_are_found_as_words(text, named):
    assert load._names_retyped_as_word(text) is named is bool(load._STORE_RETYPED.search(text))


def test_typed_lines_are_the_lines_naming_a_datatype():
    a = f'<https://e/s> <https://e/p> "1"^^<{XSD}integer> .\n'.encode()
    b = b'<https://e/s> <https://e/q> "x"@en .\n'
    c = f'<https://e/s> <https://e/r> "2.0"^^<{XSD}decimal> .'.encode()   # the last line, no newline
    assert load._typed_lines(a + b + c) == a + c + b"\n"
    assert load._typed_lines(b) == b""
    assert load._typed_lines(c + b"\n" + a) == c + b"\n" + a
    assert load._typed_lines(b + b'  _:b <https://e/p> "1"^^<' + XSD.encode() + b'integer> .\n') is None


def test_ntriples_typed_literals_as_written_with_the_stores_subjects(tmp_path):
    data = (f'<https://e/s> <https://e/p> "01"^^<{XSD}integer> .\n<https://e/s> <https://e/q> "x"@en .\n'
            f'_:b <https://e/p> "4.0"^^<{XSD}decimal> .\n').encode()
    for text, expected in ((data.split(b"_:")[0], ['"01"^^<' + XSD + 'integer>']),
                           (data, ['"01"^^<' + XSD + 'integer>', '"4.0"^^<' + XSD + 'decimal>'])):
        store, literals = ox.Store(), []
        assert load.load_into(store, write(tmp_path, "a.nt", text), G, literals=literals) == len(text.splitlines())
        assert [str(q.object) for q in literals] == expected
        assert all(q.graph_name == G and any(True for _ in store.quads_for_pattern(q.subject, q.predicate, None, G))
                   for q in literals)


def test_a_large_text_is_kept_as_its_descriptor_and_read_again(tmp_path, monkeypatch):
    path = write(tmp_path, "a.nt", load.BOM + TRIPLE)
    texts: dict = {}
    monkeypatch.setattr(load, "KEEP_TEXT_BYTES", len(TRIPLE))   # this file is larger
    load.load_into(ox.Store(), path, G, strict=False, warnings=[], texts=texts)
    assert isinstance(texts[str(path)], load.KeptText)
    assert load.text_of(texts, path) == TRIPLE.decode() == load.text_of(texts, str(path))
    assert load.text_of(texts, tmp_path / "other.nt") is None and load.text_of(None, path) is None
    small: dict = {}
    monkeypatch.setattr(load, "KEEP_TEXT_BYTES", len(TRIPLE) + len(load.BOM))   # not larger: kept as text
    load.load_into(ox.Store(), path, G, strict=False, warnings=[], texts=small)
    assert small[str(path)] == TRIPLE.decode()
    with open(path, "r+b") as f:   # the same file, another byte
        f.seek(len(load.BOM) + 1)
        f.write(b"H")
    with pytest.raises(LoadError, match="changed while it was being read"):
        texts[str(path)].read()
    with open(path, "ab") as f:
        f.write(b"\n")
    with pytest.raises(LoadError, match="changed while it was being read"):
        texts[str(path)].read()


def test_n_triples_ill_typed_literals_are_those_the_stores_check_finds(tmp_path):
    # an N-Triples file is checked on its typed lines as parsed (load._probe), a Turtle file by the
    # store's scan of its graph: the same warnings, whatever the datatype, spacing or repetition
    values = [("x9", "integer"), ("x9", "integer"), ("300", "byte"), ("1.5", "decimal"), ("2004-02-30", "date"),
              ("2004-13", "gYearMonth"), ("zz", "hexBinary"), ("-0", "nonNegativeInteger"), ("P1Y", "duration"),
              ("2004-04-12T13:20:00", "dateTimeStamp"), ("a  b", "token"), ("yes", "boolean"), ("1e5", "double"),
              ("12", "gYear")]
    lines = [f'<https://example.org/s{i}> <https://example.org/q> "{v}"{" " * (i % 2)}^^{" " * (i % 3 == 0)}'
             f'<{XSD}{t}> .\n' for i, (v, t) in enumerate(values)]
    found = {}
    for name in ("a.ttl", "a.nt"):
        warnings: list = []
        load.load_into(ox.Store(), write(tmp_path, name, "".join(lines).encode()), G, strict=False, warnings=warnings)
        found[name] = [(w.line, w.message) for w in warnings]
    assert found["a.nt"] == found["a.ttl"]
    assert {line for line, _ in found["a.nt"]} == {1, 3, 5, 6, 7, 10, 11, 12, 14}   # a literal once, at its first line


def test_n_triples_triple_terms_are_refused(tmp_path):
    term = b"<<( <https://example.org/s> <https://example.org/p> <https://example.org/o> )>>"
    path = write(tmp_path, "a.nt", TRIPLE + b"<https://example.org/a> <https://example.org/p> " + term + b" .\n")
    with pytest.raises(LoadError) as e:
        load.load_into(ox.Store(), path, G)
    assert e.value.line == 2 and "RDF 1.2 triple terms" in e.value.message
