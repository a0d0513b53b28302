"""Snapshot (golden-file) tests: a docs entity page, a docs term page and a `tajsec describe`
card, compared byte for byte with the files in tests/golden/.

These are snapshots: the golden files were made from the program's output, after a person
checked that they read right against the data (instances/drugs.ttl for Gaffur Mirzoev,
ontology/ for ts:Tenure). They catch any change of output; they do not say which output is
right. When a change is intended, run `pytest tests/test_golden.py --update-golden` and review
the diff of tests/golden/ like any other change."""
from __future__ import annotations

from pathlib import Path

import pytest

from tajsec.graph.describe import card_text, describe, resolve
from tajsec.site.pictures import draw
from tajsec.site import render_site

GOLDEN = Path(__file__).resolve().parent / "golden"
README_PICTURE = Path(__file__).resolve().parent.parent / "docs" / "img" / "assistance.png"


@pytest.fixture(scope="module")
def site_files(project, built) -> dict[str, bytes]:
    files, _ = render_site(project, built)
    return files


def check_golden(name: str, actual: bytes, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.write_bytes(actual)
        return
    assert path.is_file(), f"{path} is missing: run pytest with --update-golden to make it, then review it"
    expected = path.read_bytes()
    assert actual == expected, (f"output differs from {path}; if the change is intended, run pytest "
                                "--update-golden and review the diff")


@pytest.mark.parametrize("page, golden", [
    ("entities/gaffur-mirzoev.html", "entity-gaffur-mirzoev.html"),
    ("terms/classes/Tenure.html", "term-Tenure.html"),
])
def test_docs_page(site_files, page, golden, update_golden):
    check_golden(golden, site_files[page], update_golden)


def test_describe_card(built, update_golden):
    text = card_text(describe(built, resolve(built, "Gaffur Mirzoev"))) + "\n"
    check_golden("describe-gaffur-mirzoev.txt", text.encode("utf-8"), update_golden)


def test_golden_files_read_right():
    """What a reader checked in the golden files, kept as assertions so that an --update-golden
    run that loses them fails here (values from instances/drugs.ttl, read by hand)."""
    page = (GOLDEN / "entity-gaffur-mirzoev.html").read_text(encoding="utf-8")
    assert "<h1>Gaffur Mirzoev</h1>" in page
    assert "<code>https://w3id.org/tajsec/id/gaffur-mirzoev</code>" in page
    assert "\u201cMirzoev\u201d" in page  # skos:altLabel
    # his DCA tenure: the paper dates its end (his detention), not its beginning (issue 13, item 10)
    assert '<span class="when">… – August 2004</span>' in page
    card = (GOLDEN / "describe-gaffur-mirzoev.txt").read_text(encoding="utf-8")
    assert card.startswith("Gaffur Mirzoev  <https://w3id.org/tajsec/id/gaffur-mirzoev>\n")
    assert "[? – 2004-08] Gaffur Mirzoev as head of the DCA" in card
    assert "[undated] Gaffur Mirzoev as head of the Presidential Guard(s)" in card
    term = (GOLDEN / "term-Tenure.html").read_text(encoding="utf-8")
    assert "<h1>Tenure" in term


def test_readme_picture_is_current(built, site_files):
    """The README shows docs/img/assistance.png: it must be what the generator draws now, and
    the same picture the site carries. The PNG is byte-deterministic (no software version or
    date in it); refresh it with `make readme-picture`."""
    drawn = draw("assistance", built).png
    assert drawn == site_files["pictures/assistance.png"]
    assert drawn[:8] == b"\x89PNG\r\n\x1a\n"
    assert README_PICTURE.read_bytes() == drawn, (
        f"{README_PICTURE} is stale: run `make readme-picture` and commit it")


def test_interop_export(project, built, update_golden):
    """The public contract (README, Interoperability profile) as `tajsec export --profile interop`
    writes it: any change to what a standard-vocabulary user sees is a reviewed diff."""
    from tajsec.publish.export import export

    check_golden("export-interop.ttl", export(project, "ttl", "interop", built), update_golden)


def test_void_description(project, built, update_golden):
    from tajsec.publish.void import dataset_description

    check_golden("void.ttl", dataset_description(project, built, None).encode("utf-8"), update_golden)


def test_merge_report(project, update_golden, monkeypatch, tmp_path):
    """The report of merging the Wikidata extract of tests/data/ (its input named as a user in
    the checkout would give it), in both formats."""
    from tajsec.merge import merge

    monkeypatch.chdir(project.root)
    with merge(project, [Path("tests/data/wikidata-extract.ttl")], False) as result:
        check_golden("merge-report.txt", result.report.as_text().encode("utf-8"), update_golden)
        check_golden("merge-report.json", result.report.as_json().encode("utf-8"), update_golden)


def test_merge_report_reads_right():
    """Checked by hand against tests/data/wikidata-extract.ttl and the verified alignment."""
    text = (GOLDEN / "merge-report.txt").read_text(encoding="utf-8")
    assert "tsd:russia = wd:Q159" in text and "tsd:tajikistan = wd:Q863" in text
    assert "ours   350 personnel" in text  # the paper: "The DCA is staffed by 350 personnel"
    assert "owl:imports stripped, not fetched (unresolved): 1" in text
