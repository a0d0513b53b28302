"""Dereferenceable IRIs on `tajsec serve` (issue 17, part 1): /id/{name}, /onto/{name}, /onto and
/shapes answer HTML for a browser and Turtle, N-Triples, RDF/XML or JSON-LD for a machine."""
from __future__ import annotations

import http.client
import json
import urllib.parse

import pyoxigraph as ox
import pytest

from test_serve import server  # noqa: F401  (the running server fixture)

TSD = "https://w3id.org/tajsec/id/"
TS = "https://w3id.org/tajsec/onto/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
PARSERS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
           "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/ld+json": ox.RdfFormat.JSON_LD}


def _request(base: str, path: str, accept: str | None = None, method: str = "GET",
             host: str | None = None) -> tuple[int, dict[str, str], bytes]:
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=120)
    headers = {} if accept is None else {"Accept": accept}
    if host is not None:
        headers["Host"] = host
    conn.request(method, path, headers=headers)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


def _triples(body: bytes, media: str) -> set[tuple]:
    return {(t.subject.value, t.predicate.value, t.object.value,
             getattr(t.object, "language", None) if isinstance(t.object, ox.Literal) else None)
            for t in ox.parse(body, format=PARSERS[media], base_iri="http://example.org/")}


def _media(headers: dict[str, str]) -> str:
    return headers["content-type"].split(";")[0].strip()


@pytest.mark.parametrize("media", sorted(PARSERS))
def test_every_rdf_format_gives_the_same_triples(server, media):  # noqa: F811
    base, _ = server
    status, headers, body = _request(base, "/id/gaffur-mirzoev", media)
    assert status == 200 and _media(headers) == media
    _, _, turtle = _request(base, "/id/gaffur-mirzoev", "text/turtle")
    assert _triples(body, media) == _triples(turtle, "text/turtle")
    assert (TSD + "gaffur-mirzoev", RDFS_LABEL, "Gaffur Mirzoev", "en") in _triples(body, media)


def test_served_description_matches_the_instance_files(server):  # noqa: F811
    """What instances/drugs.ttl, security-framework.ttl and sources.ttl say, read by hand."""
    base, _ = server
    status, headers, body = _request(base, "/id/gaffur-mirzoev", "text/turtle")
    assert status == 200
    got = _triples(body, "text/turtle")
    me = TSD + "gaffur-mirzoev"
    # the node itself (drugs.ttl, tsd:gaffur-mirzoev)
    for p, o, lang in [(RDF_TYPE, TS + "Person", None), (RDFS_LABEL, "Gaffur Mirzoev", "en"),
                       ("http://www.w3.org/2004/02/skos/core#altLabel", "Mirzoev", "en"),
                       (TS + "inSection", TSD + "section-role-of-security-agencies", None)]:
        assert (me, p, o, lang) in got
    # its statements: a tenure (org:member), a claim about him (ts:about), an event (ts:affected),
    # each with its own triples
    tenure = TSD + "tenure-mirzoev-head-of-presidential-guard"
    assert (tenure, "http://www.w3.org/ns/org#member", me, None) in got
    assert (tenure, "http://www.w3.org/ns/org#organization", TSD + "presidential-guard", None) in got
    claim = TSD + "claim-mirzoev-former-comrade-in-arms-of-president"
    assert (claim, TS + "claimText", "Gaffur Mirzoev was a former comrade-in-arms of the President.", "en") in got
    assert (claim, TS + "claimHolder", TSD + "anna-matveeva", None) in got
    dismissal = TSD + "ev-dismissal-mirzoev-presidential-guard-2004-01"
    assert (dismissal, TS + "agentOf", TSD + "rahmonov", None) in got
    # a statement in another file (security-framework.ttl) and its sources: the paper, an article
    # (footnote 29) and the footnote, each with its label and type (sources.ttl)
    untouchables = TSD + "claim-no-untouchables"
    for source in ("paper", "work-fn29-fall-of-praetorian-guardsman"):
        assert (untouchables, "http://www.w3.org/ns/prov#wasDerivedFrom", TSD + source, None) in got
    assert (untouchables, TS + "footnote", TSD + "footnote-29", None) in got
    for node, kind, label in [
            ("work-fn29-fall-of-praetorian-guardsman", "Article",
             "Tajikistan: Fall of Praetorian Guardsman (IWPR, RCA no. 306, 10 August 2004)"),
            ("footnote-29", "Footnote", "Footnote 29"),
            ("paper", "Chapter", "Tajikistan: Evolution of the Security Sector and the War on Terror"),
            ("section-role-of-security-agencies", "Section", "The Role of Security Agencies in the Political System")]:
        assert (TSD + node, RDF_TYPE, TS + kind, None) in got
        assert (TSD + node, RDFS_LABEL, label, "en") in got
    # sources give their label and type only, and nodes that do not name him are left out
    assert not any(s == TSD + "footnote-29" and p == TS + "footnoteNumber" for s, p, _, _ in got)
    assert not any(s == TSD + "dca-previous-head" for s, _, _, _ in got)
    subjects = {s for s, _, _, _ in got}
    assert TSD + "putin" not in subjects


def test_q_values_are_honoured(server):  # noqa: F811
    base, _ = server
    cases = {
        "text/turtle;q=0.5, application/ld+json": "application/ld+json",
        "application/ld+json;q=0.2, application/rdf+xml;q=0.9": "application/rdf+xml",
        "text/html;q=0.1, application/n-triples;q=0.3": "application/n-triples",
        "text/turtle;q=0, */*": "text/html",
        BROWSER_ACCEPT: "text/html",
        "*/*": "text/turtle",
    }
    for accept, expected in cases.items():
        status, headers, _ = _request(base, "/id/gaffur-mirzoev", accept)
        assert (status, _media(headers)) == (200, expected), accept
    status, headers, _ = _request(base, "/id/gaffur-mirzoev")
    assert (status, _media(headers)) == (200, "text/turtle")
    status, _, body = _request(base, "/id/gaffur-mirzoev", "image/png, text/turtle;q=0")
    assert status == 406 and b"text/turtle" in body


def test_link_vary_and_content_location(server):  # noqa: F811
    base, _ = server
    for accept, ext in (("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"), ("text/html", ".html")):
        _, headers, _ = _request(base, "/id/gaffur-mirzoev", accept)
        assert headers["vary"] == "Accept"
        assert headers["content-location"] == "/id/gaffur-mirzoev" + ext
        link = headers["link"]
        assert f'<{TSD}gaffur-mirzoev>; rel="canonical"' in link
        for alt, media in ((".ttl", "text/turtle"), (".nt", "application/n-triples"),
                           (".rdf", "application/rdf+xml"), (".jsonld", "application/ld+json"),
                           (".html", "text/html")):
            assert f'</id/gaffur-mirzoev{alt}>; rel="alternate"; type="{media}"' in link


def test_extensions_choose_the_format_whatever_the_accept_header(server):  # noqa: F811
    base, _ = server
    for ext, media in ((".ttl", "text/turtle"), (".nt", "application/n-triples"),
                       (".rdf", "application/rdf+xml"), (".jsonld", "application/ld+json"), (".html", "text/html")):
        accept = "text/turtle" if ext == ".html" else BROWSER_ACCEPT
        status, headers, _ = _request(base, "/id/gaffur-mirzoev" + ext, accept)
        assert (status, _media(headers)) == (200, media)


def test_html_is_the_docs_page_with_its_links_under_docs(server):  # noqa: F811
    base, _ = server
    status, headers, body = _request(base, "/id/gaffur-mirzoev", BROWSER_ACCEPT)
    assert status == 200 and _media(headers) == "text/html"
    text = body.decode("utf-8")
    assert "<h1>Gaffur Mirzoev</h1>" in text
    assert '<base href="/docs/entities/gaffur-mirzoev.html">' in text
    status, headers, css = _request(base, "/docs/style.css")
    assert status == 200 and _media(headers) == "text/css" and len(css) > 100
    # a statement has no page of its own: the browser is sent to its card
    status, headers, _ = _request(base, "/id/claim-no-untouchables", "text/html")
    assert status == 303 and headers["location"].startswith("/docs/entities/")
    assert headers["location"].endswith("#s-claim-no-untouchables")


@pytest.mark.parametrize("path", ["/id/no-such-entity", "/onto/NoSuchClass", "/id/", "/id/..%2Fetc",
                                  "/id/gaffur-mirzoev/extra", "/shapes/NoSuchShape", "/docs/no-such-page.html",
                                  "/docs/../sparql"])
def test_unknown_iris_are_404(server, path):  # noqa: F811
    base, _ = server
    for accept in ("text/turtle", "text/html"):
        status, _, _ = _request(base, path, accept)
        assert status == 404, (path, accept)


def test_onto_is_the_whole_ontology(server):  # noqa: F811
    base, _ = server
    status, headers, body = _request(base, "/onto", "text/turtle")
    assert status == 200 and _media(headers) == "text/turtle"
    got = _triples(body, "text/turtle")
    classes = {s for s, p, o, _ in got if p == RDF_TYPE and o == "http://www.w3.org/2002/07/owl#Class"}
    assert {TS + "Person", TS + "Claim", TS + "Tenure", TS + "Statement"} <= classes
    assert (TS + "Tenure", "http://www.w3.org/2000/01/rdf-schema#subClassOf", TS + "Statement", None) in got
    assert not any(s.startswith(TSD) for s, _, _, _ in got), "instances are not part of the ontology"
    status, headers, body = _request(base, "/onto", "text/html")
    assert status == 200 and b"<h2 id=\"classes\">Classes</h2>" in body


def test_onto_name_is_one_term(server):  # noqa: F811
    base, _ = server
    status, _, body = _request(base, "/onto/Tenure", "application/ld+json")
    assert status == 200
    got = _triples(body, "application/ld+json")
    assert {s for s, _, _, _ in got} == {TS + "Tenure"}
    assert (TS + "Tenure", "http://www.w3.org/2000/01/rdf-schema#subClassOf", TS + "Statement", None) in got
    status, headers, body = _request(base, "/onto/Tenure", BROWSER_ACCEPT)
    assert status == 200 and _media(headers) == "text/html" and b"class</small>" in body
    # a concept (ontology/concepts.ttl) is shown on its scheme's page
    status, _, body = _request(base, "/onto/status-done", "text/turtle")
    got = _triples(body, "text/turtle")
    assert (TS + "status-done", RDFS_LABEL, "done", "en") in got
    assert (TS + "status-done", "http://www.w3.org/2004/02/skos/core#inScheme", TS + "scheme-statuses", None) in got
    status, headers, _ = _request(base, "/onto/status-done", "text/html")
    assert status == 303 and headers["location"].startswith("/docs/terms/schemes/")
    assert headers["location"].endswith("#status-done")


def test_shapes(server):  # noqa: F811
    base, _ = server
    status, headers, body = _request(base, "/shapes", "application/n-triples")
    assert status == 200 and _media(headers) == "application/n-triples"
    assert '<https://w3id.org/tajsec/shapes>; rel="canonical"' in headers["link"]
    got = _triples(body, "application/n-triples")
    node_shapes = {s for s, p, o, _ in got if p == RDF_TYPE and o == "http://www.w3.org/ns/shacl#NodeShape"}
    assert len(node_shapes) > 5
    one = sorted(node_shapes)[0]
    status, _, body = _request(base, "/shapes/" + one.rsplit("/", 1)[1], "application/ld+json")
    assert status == 200
    doc = json.loads(body)
    assert any(item.get("@id") == one for item in doc)
    status, headers, body = _request(base, "/shapes", "text/html")
    assert status == 200 and b"<h1>SHACL shapes</h1>" in body


def test_head_gives_the_headers_without_a_body(server):  # noqa: F811
    base, _ = server
    _, get_headers, get_body = _request(base, "/id/gaffur-mirzoev", "text/turtle")
    status, headers, body = _request(base, "/id/gaffur-mirzoev", "text/turtle", method="HEAD")
    assert status == 200 and body == b""
    assert headers["content-length"] == str(len(get_body))
    assert headers["link"] == get_headers["link"] and headers["vary"] == "Accept"
    status, _, body = _request(base, "/id/no-such-entity", "text/turtle", method="HEAD")
    assert status == 404 and body == b""


def test_host_check_applies(server):  # noqa: F811
    base, _ = server
    for path in ("/id/gaffur-mirzoev", "/onto", "/shapes", "/docs/style.css"):
        status, _, _ = _request(base, path, "text/turtle", host="attacker.example:80")
        assert status == 403, path


def test_a_browser_gets_the_page_and_a_script_gets_turtle(server, tmp_path):  # noqa: F811
    from test_browser import CHROMIUM, FLAGS

    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    from playwright.sync_api import sync_playwright

    base, _ = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        failed = []
        page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        response = page.goto(base + "/id/gaffur-mirzoev")
        assert response.status == 200 and response.headers["content-type"].startswith("text/html")
        assert page.inner_text("h1") == "Gaffur Mirzoev"
        # the stylesheet came through the <base> under /docs/ (the page frame is styled)
        assert page.evaluate("document.styleSheets.length") == 1
        assert page.evaluate("document.styleSheets[0].cssRules.length") > 10
        # a link on the page leads to another entity's page
        page.click("a[href='presidential-guard.html']")
        page.wait_for_url("**/docs/entities/presidential-guard.html")
        assert "Presidential Guard" in page.inner_text("h1")
        # a script in the page asks for Turtle and gets it
        turtle = page.evaluate("""async () => {
            const r = await fetch('/id/gaffur-mirzoev', {headers: {Accept: 'text/turtle'}});
            return [r.status, r.headers.get('content-type'), await r.text()];
        }""")
        page.screenshot(path=str(tmp_path / "entity.png"))
        browser.close()
    assert failed == []
    assert turtle[0] == 200 and turtle[1].startswith("text/turtle")
    got = _triples(turtle[2].encode("utf-8"), "text/turtle")
    assert (TSD + "gaffur-mirzoev", RDFS_LABEL, "Gaffur Mirzoev", "en") in got


def test_a_cited_work_does_not_list_every_statement_that_cites_it(server):  # noqa: F811
    base, _ = server
    status, _, body = _request(base, "/id/paper", "text/turtle")
    assert status == 200
    subjects = {s for s, _, _, _ in _triples(body, "text/turtle")}
    assert TSD + "paper" in subjects
    assert TSD + "claim-no-untouchables" not in subjects  # cites the paper, is not about it
    assert len(subjects) < 20
