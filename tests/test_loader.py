"""The one loader (tajsec.io.load): the rules every input gets in every command, whether it is read
whole (validate, build) or streamed (merge): opened once, regular files only (or `-`), a size
limit on the bytes actually read, the byte-order mark rule, ill-typed literals located by line."""
from __future__ import annotations

import io
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import ROOT

from tajsec.cli import main
from tajsec.core.errors import LoadError
from tajsec.io import load as rdfio
from tajsec.io.load import InputFile, lines_of, parse_file, read_limited

XSD = "http://www.w3.org/2001/XMLSchema#"


@contextmanager
def must_not_hang(seconds: int = 20):
    """Turns a hang (the bug these tests guard against) into a failure instead of a stuck suite."""
    def expired(*_):
        raise AssertionError(f"still blocked after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# ---- Regular files only ----

def test_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    with must_not_hang(), pytest.raises(LoadError) as e:
        parse_file(fifo)
    assert e.value.path == str(fifo) and "named pipe (FIFO)" in e.value.message


def test_fifo_given_to_validate_is_a_clean_error(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    fifo = tmp_path / "pipe.ttl"
    os.mkfifo(fifo)
    with must_not_hang():
        result = CliRunner().invoke(main, ["validate", str(fifo)])
    assert result.exit_code == 2
    assert f"{fifo}: cannot read file: it is a named pipe (FIFO), not a regular file" in result.output


def test_symlink_to_dev_zero_is_refused(tmp_path):
    link = tmp_path / "zero.ttl"
    link.symlink_to("/dev/zero")
    with must_not_hang(), pytest.raises(LoadError) as e:
        InputFile(link)
    assert e.value.path == str(link) and "character device" in e.value.message


def test_directory_is_refused(tmp_path):
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    with pytest.raises(LoadError) as e:
        parse_file(folder)
    assert e.value.message.startswith("cannot read file: it is a directory")


def test_dash_reads_standard_input_as_turtle(monkeypatch):
    text = b'<http://example.org/a> <http://example.org/p> "x" .\n'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(text)))
    quads = parse_file(Path("-"))
    assert [str(q.object) for q in quads] == ['"x"']


# ---- The size limit applies to bytes read ----

class Endless(io.RawIOBase):
    """A file that never ends and claims nothing about its size, like /dev/zero."""

    def __init__(self):
        self.read_so_far = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        buf[:] = b"\0" * len(buf)
        self.read_so_far += len(buf)
        return len(buf)


def test_size_limit_stops_an_endless_stream(monkeypatch):
    monkeypatch.setattr(rdfio, "MAX_FILE_BYTES", 5 << 20)
    endless = Endless()
    with pytest.raises(LoadError) as e:
        for _ in read_limited(endless, Path("endless.ttl")):
            pass
    assert "above the limit of 5242880" in e.value.message
    assert 5 << 20 < endless.read_so_far <= (5 << 20) + (1 << 20)


def test_size_limit_for_a_regular_file(tmp_path, monkeypatch):
    big = tmp_path / "big.nt"
    big.write_bytes(b'<http://example.org/a> <http://example.org/p> "x" .\n' * 100)
    monkeypatch.setattr(rdfio, "MAX_FILE_BYTES", 1000)
    for read in (parse_file, InputFile):
        with pytest.raises(LoadError) as e:
            read(big)
        assert e.value.path == str(big) and "above the limit of 1000" in e.value.message


# ---- Byte-order mark and ill-typed literals, in every format and both modes ----

ILL_TYPED = {  # file name -> (content, line of the ill-typed literal)
    "a.ttl": ('@prefix ex: <http://example.org/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n'
              'ex:a ex:n "12,5"^^xsd:decimal .\n', 4),
    "b.nt": ('<http://example.org/b> <http://example.org/p> "x" .\n'
             '<http://example.org/b> <http://example.org/n> "yes"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n', 2),
    "c.trig": ('@prefix ex: <http://example.org/> .\nex:g {\n  ex:c ex:p "ok" .\n'
               '  ex:c ex:d "2024-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .\n}\n', 4),
    "d.jsonld": ('{\n  "@id": "http://example.org/d",\n  "http://example.org/n": {\n'
                 '    "@value": "3.5", "@type": "http://www.w3.org/2001/XMLSchema#integer"\n  }\n}\n', 4),
    "e.rdf": ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
              '         xmlns:ex="http://example.org/">\n  <rdf:Description rdf:about="http://example.org/e">\n'
              '    <ex:n rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">ten</ex:n>\n'
              '  </rdf:Description>\n</rdf:RDF>\n', 5),
}


def write_ill_typed(folder: Path, bom: bool = False) -> dict[Path, int]:
    out = {}
    for name, (text, line) in ILL_TYPED.items():
        path = folder / name
        path.write_bytes((rdfio.BOM if bom else b"") + text.encode("utf-8"))
        out[path] = line
    return out


@pytest.mark.parametrize("name", sorted(ILL_TYPED))
def test_ill_typed_literal_warned_with_its_line_in_every_format(tmp_path, name):
    path = tmp_path / name
    path.write_text(ILL_TYPED[name][0], encoding="utf-8")
    warnings: list = []
    parse_file(path, strict=False, warnings=warnings)
    assert [(w.path, w.line) for w in warnings] == [(str(path), ILL_TYPED[name][1])]
    assert "ill-typed literal kept as written" in warnings[0].message


@pytest.mark.parametrize("name", sorted(ILL_TYPED))
def test_streamed_input_gets_the_same_rules(tmp_path, name):
    """InputFile (merge) warns as parse_file (validate) does: byte-order mark, then the literal."""
    write_ill_typed(tmp_path, bom=True)
    path = tmp_path / name
    whole: list = []
    parse_file(path, strict=False, warnings=whole)
    streamed: list = []
    with InputFile(path, strict=False, warnings=streamed) as source:
        source.screen()
        quads = list(ox.parse(source.stream(), format=source.format))
        bad = [rdfio.ill_typed(q.object) for q in quads if isinstance(q.object, ox.Literal)]
        rdfio.report_ill_typed(path, source.lines, [b for b in bad if b], False, streamed)
    assert [str(w) for w in streamed] == [str(w) for w in whole]
    assert [w.line for w in streamed] == [1, ILL_TYPED[name][1]]
    assert "byte-order mark" in streamed[0].message


def test_byte_order_mark_is_an_error_in_our_own_files(tmp_path):
    path = tmp_path / "ours.ttl"
    path.write_bytes(rdfio.BOM + b'<http://example.org/a> <http://example.org/p> "x" .\n')
    for strict_read in (lambda: parse_file(path), lambda: InputFile(path).screen()):
        with pytest.raises(LoadError) as e:
            strict_read()
        assert (e.value.line, e.value.column) == (1, 1) and "byte-order mark" in e.value.message


def test_file_changed_between_screening_and_parsing_is_an_error(tmp_path):
    path = tmp_path / "moving.nt"
    path.write_bytes(b'<http://example.org/a> <http://example.org/p> "x" .\n')
    with InputFile(path, strict=False) as source:
        source.screen()
        path.write_bytes(b'<http://example.org/a> <http://example.org/p> "y" .\n')
        with pytest.raises(LoadError) as e:
            list(ox.parse(source.stream(), format=source.format))
    assert "changed while it was being read" in e.value.message


# ---- Locating ill-typed literals takes one pass over the file ----

def test_twenty_thousand_ill_typed_literals_located_in_one_pass():
    n = 20_000
    pulled = 0

    def lines():  # a one-shot iterator: a second pass over it would find nothing
        nonlocal pulled
        yield "@prefix ex: <http://example.org/> ."
        pulled += 1
        for i in range(n):
            pulled += 1
            yield f'ex:s{i} ex:n "v{i}"^^<{XSD}integer> .'

    reasons = [f'"v{i}" is not a valid xsd:integer' for i in reversed(range(n))]
    located = lines_of(lines(), reasons)
    assert pulled == n + 1
    assert located == [(i + 2, f'"v{i}" is not a valid xsd:integer') for i in reversed(range(n))]


def test_twenty_thousand_ill_typed_literals_warned_at_their_lines(tmp_path):
    path = tmp_path / "many.nt"
    path.write_text("".join(f'<http://example.org/s{i}> <http://example.org/n> "{i}x"^^<{XSD}integer> .\n'
                            for i in range(20_000)), encoding="utf-8")
    warnings: list = []
    parse_file(path, strict=False, warnings=warnings)
    assert [w.line for w in warnings] == list(range(1, 20_001))
    assert warnings[123].message == 'ill-typed literal kept as written: "123x" is not a valid xsd:integer'


def test_lexical_form_is_found_as_written_not_inside_other_text():
    lines = ['<http://example.org/a> <http://example.org/b> "no" .',
             '<http://example.org/a> <http://example.org/c> "yes"^^<http://www.w3.org/2001/XMLSchema#boolean> .']
    assert lines_of(iter(lines), ['"yes" is not a valid xsd:boolean', '"o" is not a valid xsd:integer']) == [
        (2, '"yes" is not a valid xsd:boolean'), (None, '"o" is not a valid xsd:integer')]


# ---- Each file opened once ----

def test_validate_opens_each_file_once_and_still_locates_results(project, tmp_path, opened):
    from tajsec.quality.validate import validate

    trig = tmp_path / "named-graph-missing-label.trig"
    trig.write_bytes((ROOT / "tests" / "hostile" / trig.name).read_bytes())
    (tmp_path / "c.trig").write_text(ILL_TYPED["c.trig"][0], encoding="utf-8")
    files = [trig, tmp_path / "c.trig"]
    opened.clear()
    outcome = validate(project, files)
    assert {str(f): opened.get(str(f)) for f in files} == {str(f): 1 for f in files}
    assert (str(trig), 5) in {(f.file, f.line) for f in outcome.findings}
    assert any(str(w).startswith(f"{tmp_path / 'c.trig'}:4: warning: ill-typed") for w in outcome.load_warnings)
