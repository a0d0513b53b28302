"""The query page of `tajsec serve` in a real browser (Debian's Chromium, driven by Playwright):
a person loads the page, runs the pre-filled question, and sees a results table."""
from __future__ import annotations

import shutil

import pytest

from test_serve import server  # noqa: F401  (the running server fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_query_page_runs_a_query(server, tmp_path):  # noqa: F811
    from playwright.sync_api import sync_playwright

    base, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        page.goto(base + "/")
        assert "PREFIX tsd:" in page.input_value("#query")
        page.fill("#query", "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                            "PREFIX tsd: <https://w3id.org/tajsec/id/>\n"
                            "SELECT ?label WHERE { tsd:drug-control-agency rdfs:label ?label }")
        page.click("#run")
        page.wait_for_selector("#results-table")
        cells = page.locator("#results-table td").all_inner_texts()
        assert cells == ["Drug Control Agency @en"]
        assert page.inner_text("#status").startswith("1 row")
        page.screenshot(path=str(tmp_path / "query-page.png"))
        # the pre-filled example question runs too
        page.goto(base + "/")
        page.click("#run")
        page.wait_for_selector("#results-table")
        assert page.locator("#results-table tr").count() > 1
        browser.close()
    assert (tmp_path / "query-page.png").stat().st_size > 1000
