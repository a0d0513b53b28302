"""The docs site's timeline page (tajsec.site.timeline): every dated or ordered statement, event
and agreement in order of normalised time, vague ones as ranges, relative ones by their relations."""
from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from tajsec.core.namespaces import TSD
from tajsec.graph.build import build
from tajsec.site.model import SiteModel
from tajsec.site.timeline import timeline_page, timeline_rows
from tajsec.timeline.bounds import MAX, MIN, Bounds, span
from tajsec.timeline.reader import read_timeline
from tajsec.timeline.words import bounds_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "timeline"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.parametrize("bounds, text", [
    (span("2004"), "2004"),
    (span("2004-02"), "February 2004"),
    (span("2004-11-03"), "3 November 2004"),
    (Bounds(span("1991").lo, span("2004").hi), "between 1991 and 2004"),
    (Bounds(span("2004-11-03").lo, span("2004").hi), "between 3 November 2004 and 31 December 2004"),
    (Bounds(MIN, span("2001-06").hi), "by 30 June 2001"),
    (Bounds(span("2001-03").lo, MAX), "from 1 March 2001"),
    (Bounds(), "?"),
    (Bounds(span("2004-01").lo, span("2004-08").hi), "between January 2004 and August 2004"),
    (Bounds(span("2003-11").lo, span("2004-02").hi), "between November 2003 and February 2004"),
    (Bounds(datetime(2004, 1, 1, 12), datetime(2004, 1, 1, 12)), "between 1 January 2004 and 1 January 2004"),
])
def test_bounds_in_words(bounds, text):
    assert bounds_text(bounds) == text


def _rows(built) -> list[dict]:
    from tajsec.core.project import Project

    m = SiteModel(Project.find(), built)
    return timeline_rows(m, read_timeline(built.store))


def test_rows_are_in_time_order_on_the_paper(built):
    rows = _rows(built)
    order = [r["iri"][len(TSD):] for r in rows]
    assert [r["sort"][:2] for r in rows] == sorted(r["sort"][:2] for r in rows)
    # Drugs: the DCA was established in June 1999; Mirzoev got the DCA after the January 2004 move
    # to dismiss him (the paper does not say when: by his detention in August 2004) and was
    # detained in August 2004; the border transfer was to begin in November 2004
    assert order.index("ev-establishment-dca-1999-06") < order.index("tenure-mirzoev-head-of-dca") < order.index(
        "ev-arrest-mirzoev-2004-08") < order.index("ev-handover-border-to-tajikistan")
    when = {r["iri"][len(TSD):]: r["when"] for r in rows}
    assert when["tenure-mirzoev-head-of-dca"] == "between January 2004 and August 2004 – August 2004"
    assert when["ev-handover-border-to-tajikistan"] == "November 2004 – 2006"
    # he would not leave the Guard until the DCA post was offered: the same undated moment
    assert when["tenure-mirzoev-head-of-presidential-guard"] == "… – between January 2004 and August 2004"
    assert "claim-dca-no-reputation-for-corruption" not in when  # undated and unordered: not on it


def test_relative_and_vague_times_are_placed_by_their_bounds(project):
    built = build(project, files=project.ontology_files + [DATA / "synthetic.ttl"])
    rows = _rows(built)
    by = {r["iri"][len(TSD):]: r for r in rows}
    assert by["x-earlier"]["when"] == "by 31 March 2001"
    assert by["x-soon-after"]["when"] == "between March 2001 and June 2001"
    assert by["x-inferred"]["when"] == "1991"
    assert [rel[len("http://www.w3.org/2006/time#"):] for rel, _ in by["x-earlier"]["related"]] == ["before"]
    order = [r["iri"][len(TSD):] for r in rows]
    assert order.index("x-inferred") < order.index("x-anchor") < order.index("x-soon-after")
    assert "x-former" not in by  # neither dated nor ordered


def test_the_page(built):
    from tajsec.core.project import Project

    path, body = timeline_page(SiteModel(Project.find(), built))
    html = body.decode("utf-8")
    assert path == "timeline.html" and "<h1>Timeline</h1>" in html
    assert "between 3 November 2004 and 31 December 2004" in html  # the paper's present
    assert len(re.findall(r"<tr><td>", html)) == len(_rows(built)) > 60


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")
def test_timeline_page_in_a_browser(built, tmp_path):
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    from tajsec.core.project import Project
    from tajsec.site import build_site

    out = tmp_path / "site"
    build_site(Project.find(), out, built)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto((out / "index.html").as_uri())
        page.click("header.site >> text=Timeline")
        page.wait_for_load_state("load")
        assert page.url.endswith("timeline.html")
        rows = page.locator("table.timeline tbody tr")
        assert rows.count() > 60
        assert rows.first.is_visible()
        page.click("table.timeline >> text='Gaffur Mirzoev as head of the DCA'")
        page.wait_for_load_state("load")
        assert "timeline.html" not in page.url
        browser.close()


def test_the_timeline_offers_its_rows_as_csv(built):
    import csv as _csv

    from tajsec.core.project import Project
    from tajsec.site.timeline import timeline_csv

    m = SiteModel(Project.find(), built)
    rows = list(_csv.DictReader(timeline_csv(m).decode("utf-8").splitlines()))
    assert [r["iri"] for r in rows] == [r["iri"] for r in _rows(built)]
    guard = next(r for r in rows if r["iri"] == TSD + "tenure-mirzoev-head-of-dca")
    # the DCA post: begun some time January-August 2004 (undated), ended with the August arrest
    assert (guard["begin_not_before"], guard["end_not_after"]) == ("2004-01-01T00:00:00", "2004-08-31T23:59:59")
    assert guard["status"] == "former"
