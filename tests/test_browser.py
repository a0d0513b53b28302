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


@pytest.mark.parametrize("form", ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"])
def test_query_page_runs_every_form_and_offers_downloads(server, tmp_path, form):  # noqa: F811
    from playwright.sync_api import sync_playwright

    from test_endpoint_matrix import GRAPH_TYPES, NAME, QUERIES, RESULT_TYPES, check_answer

    base, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(accept_downloads=True)
        page.goto(base + "/")
        page.fill("#query", QUERIES[form])
        page.click("#run")
        page.wait_for_selector("#downloads:not([hidden])")
        status = page.inner_text("#status")
        if form == "SELECT":
            assert page.locator("#results-table td").all_inner_texts() == [f"{NAME} @en"]
        elif form == "ASK":
            assert status.startswith("answer: true")
        else:
            assert f'"{NAME}"@en' in page.inner_text("#results-graph") and status.startswith("graph (Turtle)")
        offered = page.locator("#download-links button").evaluate_all("bs => bs.map(b => b.dataset.media)")
        table = RESULT_TYPES if form in ("SELECT", "ASK") else GRAPH_TYPES
        assert offered == list(table.values())
        for fmt, media in table.items():
            with page.expect_download() as info:
                page.click(f'#download-links button[data-media="{media}"]')
            saved = tmp_path / f"{form}-{fmt}"
            info.value.save_as(saved)
            check_answer(form, fmt, saved.read_bytes())
        browser.close()


def test_query_page_shows_evidence_under_each_row(server, tmp_path):  # noqa: F811
    """With 'evidence' ticked, each row of a competency question is followed by the statements
    the paper supports it with (from NAME.evidence.csv), each linked to its IRI, with its quote."""
    from playwright.sync_api import sync_playwright

    from test_evidence import _plain
    from test_serve_evidence import QUESTIONS, _expected_evidence

    name = "drugs-heroin-intercepted-july-2004"
    expected = _expected_evidence(name)
    agents = sorted({values[0] for values, _, _ in expected})  # the question orders its rows by ?agent
    base, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.goto(base + "/")
        page.fill("#query", (QUESTIONS / f"{name}.rq").read_text(encoding="utf-8"))
        page.check("#why")
        page.click("#run")
        page.wait_for_selector("#results-table tr.evidence")
        rows = page.locator("#results-table tr.row")
        evidence = page.locator("#results-table tr.evidence")
        assert rows.count() == evidence.count() == len(agents)
        for i, agent in enumerate(agents):
            assert rows.nth(i).locator("td").first.inner_text() == agent
            links = evidence.nth(i).locator("li.statement > a").evaluate_all("as => as.map(a => a.href)")
            text = _plain(evidence.nth(i).inner_text())
            for values, statement, passage in expected:
                if values[0] == agent:
                    assert statement in links, (agent, statement, links)
                    assert _plain(passage) in text, passage
            assert "not traced" not in text
        assert page.inner_text("#status").startswith("2 rows")
        page.screenshot(path=str(tmp_path / "evidence.png"), full_page=True)
        # a query the tracer cannot follow still shows its rows, each saying why
        page.fill("#query", "SELECT ?s WHERE { ?s a <https://w3id.org/tajsec/onto/Tenure> "
                            "OPTIONAL { << ?s a ?c >> <http://example.org/p> ?z } } LIMIT 2")
        page.click("#run")
        page.wait_for_selector("#results-table tr.evidence")
        assert page.locator("#results-table tr.evidence .untraced").all_inner_texts() == [
            "evidence not traced: expected a term, found '<' at offset 72"] * 2
        browser.close()
    assert (tmp_path / "evidence.png").stat().st_size > 1000
