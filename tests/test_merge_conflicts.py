"""Merge's conflicts (tajsec.merge.conflicts): for each matched or candidate pair, the values
both sides give for the same property or measured aspect, listed when they disagree.

One merge of many small made-up inputs (CASES, one file each: the report keeps each input's
conflicts apart), so that all of them cost one build. Our side, as the paper's graph has it: the
Drug Control Agency has 350 personnel (exactly), a salary of between $100 and $400, a change of
"some 40%", one ts:evidenceQuote and is an org:subOrganizationOf the Office of the President; the
Ministry of the Interior has "30,000" and "up to 30,000"; Tajikistan's border is "over 4,000 km"
long; tsd:tajikistan skos:exactMatch wd:Q863; Akaev's post is "President of Kyrgyzstan"@en."""
from __future__ import annotations

import pytest
from test_merge_analysis import EX, PREFIXES, TSD, WD

from tajsec.merge import merge

MORE_PREFIXES = PREFIXES + """@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix p: <http://www.wikidata.org/prop/> .
@prefix ps: <http://www.wikidata.org/prop/statement/> .
@prefix pq: <http://www.wikidata.org/prop/qualifier/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schemas: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
DCA, MOI, TJ = f"<{TSD}drug-control-agency>", f"<{TSD}ministry-of-interior>", f"<{TSD}tajikistan>"
QUOTE = ("It is nominally engaged in the fight against drug trafficking (there is a 200-strong unit belonging "
         "to the Ministry), but in reality drug issues are outsourced to the Drug Control Agency (DCA) "
         "established by the UN Office on Drugs and Crime (UNODC).")
PERSONNEL, SALARY, LENGTH = (f"ts:aspect-{a} (measured aspect)" for a in ("personnel", "salary", "length"))


def measured(entity: str, aspect: str, quantity: str, m: str = "ex:m") -> str:
    """Their measurement of one of ours (which they also describe: only then is it matched)."""
    return (f"tsd:{entity} ex:note \"theirs\" .\n"
            f"{m} ts:measuredEntity tsd:{entity} ; ts:aspect ts:aspect-{aspect} ; ts:quantity [ {quantity} ] .\n")


CASES = {
    "same-iri": """
tsd:drug-control-agency ts:evidenceQuote "Another quote." ;  # a compared predicate: a conflict
    org:subOrganizationOf ex:president ;                     # their IRI for ours: no conflict
    rdfs:label "Anti-drug agency" ; skos:altLabel "ADA" ;    # names are never compared
    ts:inSection ex:somewhere .                              # an IRI of theirs: a conflict
ex:president owl:sameAs tsd:office-of-the-president .
ex:m1 ts:measuredEntity tsd:drug-control-agency ; ts:aspect ts:aspect-personnel ;
    ts:quantity [ schemas:value "350.0"^^xsd:decimal ] .   # the same number: no conflict
ex:m2 ts:measuredEntity tsd:drug-control-agency ; ts:aspect ts:aspect-salary ;
    ts:quantity [ schemas:value 400 ] .                     # at the top of "between 100 and 400"
ex:m3 ts:measuredEntity tsd:drug-control-agency ; ts:aspect ts:aspect-change ;
    ts:quantity [ schemas:minValue 41 ] .                   # over 41 is not 40: a conflict
tsd:ministry-of-interior ex:note "theirs" .
ex:m4 ts:measuredEntity tsd:ministry-of-interior ; ts:aspect ts:aspect-personnel ;
    ts:quantity [ schemas:value 25000 ] .                   # agrees with "up to 30,000"
""",
    # bounds: ours "30,000" and "up to 30,000" (the Ministry of the Interior)
    **{f"moi-{v}": measured("ministry-of-interior", "personnel", f"schemas:value {v}")
       for v in ("29999", "30000", "30001", '"30000"', '"about 30,000"')},
    # ranges: ours "between 100 and 400" (the DCA's salaries)
    **{f"salary-{i}": measured("drug-control-agency", "salary", q) for i, q in enumerate([
        "schemas:minValue 100 ; schemas:maxValue 200", "schemas:minValue 401", "schemas:maxValue 99",
        "schemas:maxValue 100", "schemas:minValue 50"])},
    # open bounds: ours "over 4,000 km" (Tajikistan's border)
    **{f"length-{i}": measured("tajikistan", "length", q) for i, q in enumerate([
        "schemas:maxValue 5000", "schemas:minValue 3000", "schemas:maxValue 3999"])},
    "wikidata-statement": """
wd:Q863 wdt:P2043 3000 ; p:P2043 ex:st1 .
ex:st1 ps:P2043 3000 ; pq:P585 "2004-01-01T00:00:00Z"^^xsd:dateTime .
""",
    "wikidata-two-values": """
wd:Q863 wdt:P2043 3000 ; p:P2043 ex:st1 .
ex:st1 ps:P2043 2000 .
""",
    "wikidata-iri-values": """
ex:dca owl:sameAs tsd:drug-control-agency ; wdt:P749 ex:somebody .
ex:omon owl:sameAs tsd:omon ; wdt:P749 ex:moi-as-they-name-it .
ex:moi-as-they-name-it skos:exactMatch tsd:ministry-of-interior .
""",
    **{f"employees-{ns}": f"""
ex:dca owl:sameAs tsd:drug-control-agency ; {ns}:numberOfEmployees 1200 .
ex:moi owl:sameAs tsd:ministry-of-interior ; {ns}:numberOfEmployees [ {ns}:value 40000 ] .
ex:moi2 owl:sameAs tsd:ministry-of-interior ; {ns}:numberOfEmployees [ {ns}:value 30000 ] .
""" for ns in ("schema", "schemas")},
    "employees-text": 'ex:moi owl:sameAs tsd:ministry-of-interior ; schemas:numberOfEmployees "about 30,000" .\n',
    # an external IRI one of ours links to stands for it (Tavildara is in Tajikistan: wd:Q863)
    "external-agrees": "tsd:tavildara schemas:containedInPlace wd:Q863 .\n",
    "external-differs": "tsd:tavildara schemas:containedInPlace wd:Q159 .\n",
    # numbers in literals compare as numbers (ours: footnote 60 is on page "152"^^xsd:integer)
    "page-same": 'tsd:footnote-60 ts:page "+152" .\n',
    "page-other": "tsd:footnote-60 ts:page 153 .\n",
    # a quantity node with both schema.org namespaces: the https value is read
    "https-value-first": "ex:dca owl:sameAs tsd:drug-control-agency ; "
                         "schemas:numberOfEmployees [ schemas:value 350 ; schema:value 999 ] .\n",
    # values that tie on their text and source: sorted all the same (by node, then by detail)
    "tie-node": measured("drug-control-agency", "personnel",
                         'schemas:value 1200 ; ts:valueText "\\"1200\\"^^xsd:integer"')
    + "tsd:drug-control-agency schemas:numberOfEmployees 1200 .\n",
    "tie-detail": measured("drug-control-agency", "personnel", "schemas:value 1200")
    + "ex:m ts:quantity [ schemas:value 1200 ; ts:hedge ts:hedge-about ] .\n",
    "blank-node-candidate": '_:b rdfs:label "Putin" ; ts:evidenceQuote "A quote of theirs." .\n',
    **{f"quote-{i}": f"tsd:drug-control-agency ts:evidenceQuote {v} .\n" for i, v in enumerate([
        f'"{QUOTE}"', f'"{QUOTE}"@en', f'"{QUOTE[:-1]}"', f"<{EX}quote>"])},
    **{f"post-{i}": f"tsd:tenure-akaev-president-of-kyrgyzstan ts:postTitle {v} .\n" for i, v in enumerate([
        '"President of Kyrgyzstan"@EN', '"President of Kyrgyzstan"@en-GB', '"President of Kyrgyzstan"',
        '"President of Tajikistan"@en'])},
    "several-agree": measured("ministry-of-interior", "personnel", "schemas:value 20000", "ex:a")
    + measured("ministry-of-interior", "personnel", "schemas:value 30000", "ex:b"),
    "several-one-not": measured("ministry-of-interior", "personnel", "schemas:value 31000", "ex:a")
    + measured("ministry-of-interior", "personnel", "schemas:value 20000", "ex:b"),
}


@pytest.fixture(scope="module")
def merged(project, tmp_path_factory):
    folder = tmp_path_factory.mktemp("conflicts")
    paths = {}
    for name, text in CASES.items():
        paths[name] = folder / f"{name}.ttl"
        paths[name].write_text(MORE_PREFIXES + text, encoding="utf-8")
    with merge(project, list(paths.values())) as result:
        return result.report, {name: str(p) for name, p in paths.items()}


def of(merged, name: str) -> list:
    report, paths = merged
    return [c for c in report.conflicts if c.input == paths[name]]


def table(merged, name: str) -> dict[tuple[str, str, str], tuple[list[str], list[str]]]:
    """(ours, theirs, property) -> (our values, their values) of one input"""
    return {(c.ours, c.theirs, c.property): ([v.value for v in c.ours_values], [v.value for v in c.theirs_values])
            for c in of(merged, name)}


def test_a_compared_predicate_that_disagrees(merged):
    [c] = [c for c in of(merged, "same-iri") if c.property == "ts:evidenceQuote"]
    assert (c.ours, c.theirs, c.basis) == (DCA, DCA, "same IRI")
    assert [(v.value, v.source, v.node, v.detail) for v in c.theirs_values] == [
        ('"Another quote."', merged[1]["same-iri"], None, None)]
    [ours] = c.ours_values
    assert ours.value == f'"{QUOTE}"' and ours.source.endswith("instances/drugs.ttl")


def test_iri_values_compared_through_the_matches(merged):
    found = table(merged, "same-iri")
    assert (DCA, DCA, "org:subOrganizationOf") not in found
    assert found[(DCA, DCA, "ts:inSection")] == (["tsd:section-ministry-of-security"], [f"<{EX}somewhere>"])


def test_every_conflict_of_the_same_iri_input(merged):
    """Names, types and links are never compared; 350.0 is 350; 400 is within 100..400; 25,000
    is up to 30,000."""
    found = table(merged, "same-iri")
    assert sorted(found) == sorted([
        (DCA, DCA, "ts:evidenceQuote"), (DCA, DCA, "ts:inSection"), (DCA, DCA, "ts:aspect-change (measured aspect)")])
    assert found[(DCA, DCA, "ts:aspect-change (measured aspect)")] == (["some 40%"], ["41.."])
    [c] = [c for c in of(merged, "same-iri") if c.property == "ts:aspect-change (measured aspect)"]
    assert [(v.node, v.detail) for v in c.theirs_values] == [(f"<{EX}m3>", None)]
    assert [(v.node, v.detail) for v in c.ours_values] == [
        (f"<{TSD}st-dca-seizures-drop-under-mirzoev>",
         "hedge ts:hedge-about; period Mirzoev's period as head of the DCA")]


@pytest.mark.parametrize("case,conflict", [
    ("moi-29999", False), ("moi-30000", False), ("moi-30001", True), ('moi-"30000"', False),
    ('moi-"about 30,000"', False),  # a quantity with no number is not compared
    ("salary-0", False), ("salary-1", True), ("salary-2", True), ("salary-3", False), ("salary-4", False),
    ("length-0", False), ("length-1", False), ("length-2", True)])
def test_bounds_overlap(merged, case, conflict):
    found = table(merged, case)
    assert bool(found) is conflict
    if conflict:
        [(key, (_, theirs))] = found.items()
        assert key[2] in (PERSONNEL, SALARY, LENGTH) and len(theirs) == 1


def test_wikidata_statements_with_their_qualifiers(merged):
    [c] = of(merged, "wikidata-statement")
    assert (c.ours, c.theirs, c.basis, c.property) == (TJ, f"<{WD}Q863>", "shared external IRI wd:Q863", LENGTH)
    # the truthy wdt: copy of the full statement is not listed again
    assert [(v.value, v.node, v.detail) for v in c.theirs_values] == [
        ('"3000"^^xsd:integer', f"<{EX}st1>", "via p:P2043; point in time 2004-01-01T00:00:00Z")]
    assert [v.value for v in c.ours_values] == ["over 4,000 km"]


def test_wikidata_truthy_and_full_values_that_differ_are_both_listed(merged):
    [c] = of(merged, "wikidata-two-values")
    assert [(v.value, v.node, v.detail) for v in c.theirs_values] == [
        ('"2000"^^xsd:integer', f"<{EX}st1>", "via p:P2043"), ('"3000"^^xsd:integer', None, "via wdt:P2043")]


def test_wikidata_iri_values_through_the_links(merged):
    """P749 (parent organisation) is org:subOrganizationOf; their MoI is ours."""
    assert table(merged, "wikidata-iri-values") == {
        (DCA, f"<{EX}dca>", "org:subOrganizationOf"): (["tsd:office-of-the-president"], [f"<{EX}somebody>"])}
    [c] = of(merged, "wikidata-iri-values")
    assert c.basis == "linked with owl:sameAs" and c.theirs_values[0].detail == "via wdt:P749"


@pytest.mark.parametrize("ns,via", [("schema", "http://schema.org/numberOfEmployees"),
                                    ("schemas", "schema:numberOfEmployees")])
def test_number_of_employees_as_a_value_or_a_node(merged, ns, via):
    assert table(merged, f"employees-{ns}") == {
        (DCA, f"<{EX}dca>", PERSONNEL): (["350 personnel"], ['"1200"^^xsd:integer']),
        (MOI, f"<{EX}moi>", PERSONNEL): (["30,000", "up to 30,000 servicemen"], ['"40000"^^xsd:integer'])}
    assert {c.theirs_values[0].detail for c in of(merged, f"employees-{ns}")} == {f"via {via}"}


def test_a_mapped_value_that_is_no_number_is_compared_as_it_is(merged):
    assert table(merged, "employees-text") == {
        (MOI, f"<{EX}moi>", PERSONNEL): (["30,000", "up to 30,000 servicemen"], ['"about 30,000"'])}


def test_an_external_iri_stands_for_the_one_of_ours_linked_to_it(merged):
    assert not of(merged, "external-agrees")
    tavildara = f"<{TSD}tavildara>"
    assert table(merged, "external-differs") == {
        (tavildara, tavildara, "schema:containedInPlace"): (["tsd:tajikistan"], ["wd:Q159"])}


def test_numbers_in_literals_compare_as_numbers(merged):
    assert not of(merged, "page-same")
    assert table(merged, "page-other") == {
        (f"<{TSD}footnote-60>", f"<{TSD}footnote-60>", "ts:page"): (['"152"^^xsd:integer'], ['"153"^^xsd:integer'])}


def test_of_two_schema_values_the_https_one_is_read(merged):
    assert not of(merged, "https-value-first")


def test_values_that_tie_are_ordered_by_node_then_detail(merged):
    [c] = of(merged, "tie-node")
    assert [(v.value, v.node, v.detail) for v in c.theirs_values] == [
        ('"1200"^^xsd:integer', None, "via schema:numberOfEmployees"), ('"1200"^^xsd:integer', f"<{EX}m>", None)]
    [c] = of(merged, "tie-detail")
    assert [(v.value, v.node, v.detail) for v in c.theirs_values] == [
        ("1200", f"<{EX}m>", None), ("1200", f"<{EX}m>", "hedge ts:hedge-about")]


def test_a_blank_node_candidate(merged):
    report, paths = merged
    [c] = of(merged, "blank-node-candidate")
    [candidate] = [x for x in report.candidates if x.input == paths["blank-node-candidate"]]
    assert c.ours == f"<{TSD}putin>" and c.theirs.startswith("_:") and c.theirs == candidate.theirs
    assert c.basis == "candidate by label 'Putin', if accepted" and c.property == "ts:evidenceQuote"
    assert [v.value for v in c.theirs_values] == ['"A quote of theirs."']


@pytest.mark.parametrize("case,conflict", [
    ("quote-0", False), ("quote-1", True), ("quote-2", True), ("quote-3", True),
    ("post-0", False), ("post-1", True), ("post-2", True), ("post-3", True)])
def test_literals_compare_by_value_and_language_tag_without_case(merged, case, conflict):
    assert bool(of(merged, case)) is conflict


def test_several_values_conflict_only_if_one_of_theirs_agrees_with_none_of_ours(merged):
    assert not of(merged, "several-agree")
    [c] = of(merged, "several-one-not")
    assert [v.value for v in c.theirs_values] == ["20000", "31000"]  # all their values, in order
    assert [v.value for v in c.ours_values] == ["30,000", "up to 30,000 servicemen"]
