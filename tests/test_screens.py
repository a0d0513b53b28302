"""tajsec/io/screens.py: the checks an input gets before the parser (RDF/XML entities and depth,
JSON-LD that pyoxigraph would drop without a word, remote contexts), each case worked out by
hand from the JSON-LD 1.1 and XML rules. Mutation testing (tests/mutation/) runs these, with
tests/test_load_rules.py, against each mutant of the module."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tajsec.core.errors import LoadError
from tajsec.io import screens

P = Path("in.jsonld")


# -- RDF/XML -----------------------------------------------------------------------------------------

def test_entity_lines_count_across_chunks():
    screen = screens.EntityScreen()
    assert screen.feed(b"a\n" * 5) is None
    assert screen.feed(b"b\nc\n") is None
    assert screen.feed(b"\n<!ENTITY x 'y'>") == 9


def test_entity_split_after_newlines_in_the_tail():
    # the tail kept from a chunk holds newlines that must not be counted twice
    screen = screens.EntityScreen()
    assert screen.feed(b"1\n2\n3\n<!ENT") is None
    assert screen.feed(b"ITY") == 4


def test_refuse_entities_names_the_line():
    with pytest.raises(LoadError) as e:
        screens.refuse_entities(P, b"<?xml version='1.0'?>\n<!DOCTYPE r [\n\n<!ENTITY e 'x'>]>\n<r/>")
    assert (e.value.line, e.value.column, e.value.message) == (4, None, screens.ENTITY_REFUSED)
    screens.refuse_entities(P, b"<r>no entity here</r>")


def _nested(depth: int, siblings: int = 0) -> bytes:
    return ("<a>" * (depth - 1) + "<b/>" * max(siblings, 1) + "</a>" * (depth - 1)).encode()


def test_depth_up_to_the_limit_is_accepted_and_one_more_refused():
    screens.DepthScreen(P, limit=3).feed(_nested(3), last=True)
    with pytest.raises(LoadError) as e:
        screens.DepthScreen(P, limit=3).feed(b"<a>\n <a>\n  <a>\n   <b/></a></a></a>", last=True)
    assert (e.value.line, e.value.column) == (4, 4)   # the 4th element starts at line 4, column 4
    assert e.value.message == "XML nested deeper than 3 elements is refused"


def test_depth_counts_nesting_not_elements():
    # a thousand siblings at depth 2 are not deep
    screens.DepthScreen(P, limit=2).feed(_nested(2, siblings=1000), last=True)


def test_depth_is_found_across_chunks_and_the_default_limit_is_1000():
    screen = screens.DepthScreen(P)
    deep = _nested(1001)
    with pytest.raises(LoadError, match="deeper than 1000 elements"):
        for i in range(0, len(deep), 100):
            screen.feed(deep[i:i + 100])
        screen.feed(b"", last=True)
    screens.refuse_deep_xml(P, _nested(1000))
    with pytest.raises(LoadError, match="deeper than 1000 elements"):
        screens.refuse_deep_xml(P, deep)


def test_a_closed_element_gives_back_one_level():
    # depths: a 1, b 2 (closed: back to 1), c 2, d 3, e 4: refused at limit 3 on <e/>
    with pytest.raises(LoadError) as e:
        screens.DepthScreen(P, limit=3).feed(b"<a><b/><c><d><e/></d></c></a>", last=True)
    assert e.value.column == 14   # <e/> at offset 13


def test_malformed_xml_is_left_to_the_parser():
    screens.refuse_deep_xml(P, b"<a><b></a>")   # not well-formed: no depth error from the screen


# -- JSON ----------------------------------------------------------------------------------------------

def test_invalid_utf8_names_its_line_and_byte():
    with pytest.raises(LoadError) as e:
        screens.json_document(P, b'{\n"a":\n"\xff"}')
    assert (e.value.line, e.value.message) == (3, "not valid UTF-8 (byte 8)")


def test_invalid_json_names_line_and_column():
    with pytest.raises(LoadError) as e:
        screens.json_document(P, b'{"a": 1,\n  "b" 2}')
    assert (e.value.line, e.value.column) == (2, 7)
    assert e.value.message.startswith("invalid JSON: Expecting ':'")


def test_json_nested_too_deeply_is_an_error_not_a_crash():
    with pytest.raises(LoadError, match="JSON nested too deeply"):
        screens.json_document(P, b"[" * 200_000 + b"]" * 200_000)


def test_remote_contexts_anywhere_are_refused():
    screens.refuse_remote_contexts(P, {"@context": {"ex": "http://e/"}, "@graph": [{"@context": [None, {}]}]})
    for doc in ({"@context": "http://e/c"}, {"@graph": [{"x": {"@context": ["c.jsonld"]}}]},
                [{"@context": [{"a": "http://e/"}, "c.jsonld"]}]):
        with pytest.raises(LoadError, match="never fetches contexts"):
            screens.refuse_remote_contexts(P, doc)


# -- JSON-LD that would be dropped -------------------------------------------------------------------

def dropped(doc) -> list[str]:
    return [d.text for d in screens.jsonld_dropped(doc)]


def test_keys_that_are_terms_prefixed_names_or_iris_are_kept():
    ctx = {"name": "http://e/name", "ex": "http://e/"}
    assert dropped({"@context": ctx, "name": "n", "ex:p": 1, "http://e/q": 2, "_:b": 3}) == []
    assert dropped({"name": "n"}) == ["name"]
    assert screens.jsonld_dropped({"name": "n"})[0].why == (
        "key 'name' is not a term of the @context nor an IRI: its values are dropped")


def test_invalid_iris_are_dropped_with_the_reason():
    [d] = screens.jsonld_dropped({"http://e/a b": 1})
    assert d.text == "http://e/a b" and d.why.startswith("key 'http://e/a b' is not a term")
    [d] = screens.jsonld_dropped({"@id": "http://e/a b"})
    assert d.why.startswith("@id 'http://e/a b' is not a valid IRI (")


def test_a_vocabulary_resolves_keys_and_types_but_not_identifiers():
    doc = {"@context": {"@vocab": "http://e/"}, "@id": "s", "@type": "T", "p": 1}
    assert dropped(doc) == ["s"]
    assert screens.jsonld_dropped(doc)[0].why == ("@id 's' is a relative IRI with no @base to resolve it "
                                                  "against: the node's triples are dropped")


def test_a_base_resolves_identifiers_but_not_types():
    doc = {"@context": {"@base": "http://e/", "p": "http://e/p"}, "@id": "s", "@type": ["T", "http://e/U"], "p": 1}
    assert dropped(doc) == ["T"]
    assert screens.jsonld_dropped(doc)[0].why == "@type 'T' is a relative type with no @vocab to resolve it against: dropped"


def test_blank_node_identifiers_and_non_string_types_pass():
    assert dropped({"@id": "_:b", "@type": [{"@id": "x"}]}) == []


def test_language_tags_are_checked():
    doc = {"@context": {"p": "http://e/p"}, "p": [{"@value": "a", "@language": "en-GB"},
                                                   {"@value": "b", "@language": "en_GB"}, {"@value": "c"}]}
    assert dropped(doc) == ["en_GB"]
    assert screens.jsonld_dropped(doc)[0].why == "@language 'en_GB' is not a language tag: the value is dropped"


def test_a_value_object_is_not_read_as_a_node():
    # the keys of a value object are keywords: nothing under @value is a key to check
    assert dropped({"@context": {"p": "http://e/p"}, "p": {"@value": "v", "@type": "http://e/T"}}) == []


def test_containers_are_followed():
    for key in ("@graph", "@list", "@set", "@reverse", "@included", "@nest"):
        assert dropped({key: [{"bad": 1}]}) == ["bad"], key
    assert dropped({"@context": {"p": "http://e/p"}, "p": {"bad": 1}}) == ["bad"]
    assert dropped({"@context": {"p": "http://e/p"}, "p": [[{"bad": 1}]]}) == ["bad"]
    assert dropped({"@direction": {"bad": 1}}) == []   # other keywords hold no nodes


def test_contexts_accumulate_and_null_resets():
    doc = {"@context": {"p": "http://e/p"},
           "@graph": [{"@context": {"q": "http://e/q"}, "p": 1, "q": 2},
                      {"@context": [None, {"q": "http://e/q"}], "p": 1, "q": 2}]}
    assert dropped(doc) == ["p"]


def test_a_scoped_context_applies_below_its_term_only():
    ctx = {"knows": {"@id": "http://e/knows", "@context": {"name": "http://e/name"}}}
    assert dropped({"@context": ctx, "knows": {"name": "n"}}) == []
    assert sorted(dropped({"@context": ctx, "knows": {"x": 1}, "name": "n"})) == ["name", "x"]


def test_every_dropped_item_is_reported():
    assert sorted(dropped({"a": 1, "b": 2, "@id": "rel", "@type": "T"})) == ["T", "a", "b", "rel"]


def test_line_of_finds_the_json_string():
    text = json.dumps({"x": 1, "é": [{"y": "en_GB"}]}, indent=1, ensure_ascii=False)
    assert screens.line_of(text, "é") == 3
    assert screens.line_of(text, "en_GB") == 5
    assert screens.line_of(text, "missing") is None
    assert screens.line_of('{"a": "b"}', "a") == 1


def test_scalars_among_nodes_do_not_end_the_walk():
    assert dropped([{"bad": 1}, "text", 3, None]) == ["bad"]
    assert dropped({"@context": {"p": "http://e/p"}, "p": [{"bad": 1}, "text"]}) == ["bad"]


def test_a_prefix_of_the_context_expands_any_compact_iri():
    # "1ex" is no IRI scheme, but a prefix the context defines: "1ex:p" is expanded, not dropped
    assert dropped({"@context": {"1ex": "http://e/"}, "1ex:p": 1, "@id": "1ex:s", "@type": "1ex:T"}) == []
    assert dropped({"1ex:p": 1}) == ["1ex:p"]
