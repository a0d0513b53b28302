"""`tajsec docs`: the static site. It has no dead links, a page per entity, well-formed pictures
that name what they show, the same bytes on every build, no need of the network, and it reads
well in a real browser opened from disk (Debian's Chromium, driven by Playwright)."""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import select
from tajsec.site import MARKER, DocsError, build_site, markdown, write_site
from conftest import without_network

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
PICTURES = ["structure", "assistance", "timeline", "ontology"]

ENTITIES = """
PREFIX ts: <https://w3id.org/tajsec/onto/>
SELECT DISTINCT ?e WHERE {
  { ?e ?p ?o } UNION { ?x ?p ?e }
  FILTER(isIRI(?e) && STRSTARTS(STR(?e), "https://w3id.org/tajsec/id/"))
  FILTER NOT EXISTS { ?e a ts:Statement } FILTER NOT EXISTS { ?e a ts:Quantity }
  FILTER NOT EXISTS { ?e a ts:Interval } FILTER NOT EXISTS { ?e a ts:Instant }
} ORDER BY ?e
"""


@pytest.fixture(scope="module")
def site(project, built, tmp_path_factory):
    out = tmp_path_factory.mktemp("docs") / "site"
    counts = build_site(project, out, built=built)
    return out, counts


def label_of(built, iri: str) -> str:
    rows = select(built, f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                         f"SELECT ?l WHERE {{ <{iri}> rdfs:label ?l FILTER(LANG(?l) = 'en') }}")
    assert len(rows) == 1, rows
    return rows[0][0]


class Refs(HTMLParser):
    """The links (href, src, srcset) and ids of one HTML page."""

    def __init__(self):
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, name, value))
            if name == "srcset" and value:
                for part in value.split(","):
                    self.refs.append((tag, name, part.strip().split()[0]))


def parse_page(path: Path) -> Refs:
    p = Refs()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def all_files(out: Path) -> dict[str, bytes]:
    return {f.relative_to(out).as_posix(): f.read_bytes() for f in sorted(out.rglob("*")) if f.is_file()}


def test_counts_and_layout(site, project):
    out, counts = site
    pages = sorted(out.rglob("*.html"))
    assert counts["pages"] == len(pages) > 400
    assert counts["questions"] == len(project.question_queries) > 0
    assert counts["pictures"] == len(PICTURES)
    assert counts["entities"] == len(list((out / "entities").glob("*.html"))) - 1  # minus entities/index.html
    assert counts["terms"] > 150
    for rel in ["index.html", "style.css", MARKER, "entities/index.html", "terms/index.html",
                "questions/index.html", "shapes/index.html", "timeline.html"]:
        assert (out / rel).is_file(), rel
    assert not any(k.startswith("second") for k in counts), "counts only, no timings"


def test_no_dead_links_and_nothing_external(site):
    out, _ = site
    pages = sorted(out.rglob("*.html"))
    parsed = {p: parse_page(p) for p in pages}
    checked = 0
    dead, external = [], []
    for page, refs in parsed.items():
        for tag, _attr, ref in refs.refs:
            scheme = urllib.parse.urlsplit(ref).scheme
            if scheme or ref.startswith("//"):
                # only hyperlinks may leave the site; stylesheets, scripts, images, fonts never
                if tag != "a":
                    external.append((page, ref))
                continue
            assert not ref.startswith("/"), f"{page}: absolute path {ref}"
            target, _, frag = ref.partition("#")
            resolved = (page.parent / urllib.parse.unquote(target)).resolve() if target else page
            checked += 1
            if not resolved.is_file():
                dead.append((page.relative_to(out).as_posix(), ref))
            elif frag and resolved.suffix == ".html" and frag not in parsed[resolved].ids:
                dead.append((page.relative_to(out).as_posix(), ref))
    assert checked > 10000
    assert not dead, f"{len(dead)} dead links, e.g. {dead[:10]}"
    assert not external, external[:10]
    css = (out / "style.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css
    for p in pages:
        text = p.read_text(encoding="utf-8")
        assert "<script src" not in text
        assert str(ROOT) not in text and str(out) not in text, f"{p}: an absolute path leaked into the site"


def test_every_entity_has_a_page(site, built):
    out, _ = site
    expected = {r[0] for r in select(built, ENTITIES)}
    assert len(expected) > 300
    shown = set()
    for p in (out / "entities").glob("*.html"):
        text = p.read_text(encoding="utf-8")
        start = text.find("<dt>IRI</dt><dd><code>")
        if start >= 0:
            shown.add(text[start + len("<dt>IRI</dt><dd><code>"):text.index("</code>", start)])
    assert expected - shown == set()
    assert (out / "entities" / "drug-control-agency.html").is_file()


def test_entity_page_shows_statements_with_provenance(site, built):
    out, _ = site
    text = (out / "entities" / "drug-control-agency.html").read_text(encoding="utf-8")
    assert f"<h1>{label_of(built, 'https://w3id.org/tajsec/id/drug-control-agency')}</h1>" in text
    assert "\u201cDCA\u201d" in text  # the variant
    assert "350 personnel" in text  # a quantity, as printed
    assert "negated" in text and "reports to" in text  # the negative fact stays visible
    assert "footnote 36" in text  # a footnote number, with the work it cites
    # dated statements come first, in time order
    whens = re.findall(r'<span class="when">([^<]+)</span>', text)
    assert whens and whens[0].startswith("June 1999")
    # a change quantity shows its base: in words, or the base period it points to
    dca_drop = text[text.index("\u201csome 40%\u201d"):]
    assert "compared with DCA drug seizures before" in dca_drop[:dca_drop.index("</span></span>")]
    arms = (out / "entities" / "ev-arms-seizures-2003.html").read_text(encoding="utf-8")
    rise = arms[arms.index("\u201c5,3 times more than in 2002\u201d"):]
    assert "period 2003 \u2013 2003 \u00b7 compared with 2002 \u2013 2002" in rise[:rise.index("</span></span>")]


def test_entity_page_shows_denials_modality_and_trends(site):
    """Issue 13b: a negated claim reads as a denial by its holder (its text already says 'not'),
    not as a claim the paper rejects; modality and trend direction show as relations."""
    out, _ = site
    mos = (out / "entities" / "ministry-of-security.html").read_text(encoding="utf-8")
    spy = mos[mos.index("does not harass believers or spy in mosques"):]
    spy = spy[:spy.index("</article>")]
    card_start = mos.rindex("<article", 0, mos.index("does not harass believers or spy in mosques"))
    assert "a denial: the holder says that something is not so" in mos[card_start:mos.index(spy) + len(spy)]
    assert "the paper says this is not so" not in mos[card_start:mos.index(spy) + len(spy)]
    assert "has modality" in mos and "possible" in mos  # the hedged view on Islamic groups
    dca = (out / "entities" / "drug-control-agency.html").read_text(encoding="utf-8")
    assert "negated: the paper says this is not so" in dca  # relation statements keep their wording
    russia = (out / "entities" / "russia.html").read_text(encoding="utf-8")
    assert "direction of change" in russia and "increase" in russia


def test_question_pages_show_question_sparql_and_answer(site, project, built):
    out, _ = site
    page = (out / "questions" / "agencies-largest-by-personnel.html").read_text(encoding="utf-8")
    assert "<h1>Which agency is largest by personnel?</h1>" in page
    assert "<strong>Question:</strong>" in page
    assert "SELECT ?agency" in page
    assert label_of(built, "https://w3id.org/tajsec/id/ministry-of-interior") in page
    assert "30,000" in page


def svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()  # well-formed XML or it raises
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    return " ".join(" ".join(t.itertext()) for t in root.iter() if t.tag.endswith("}text"))


def test_pictures_are_svg_with_labels_and_png_fallback(site, built):
    out, _ = site
    dca = label_of(built, "https://w3id.org/tajsec/id/drug-control-agency")
    moi = label_of(built, "https://w3id.org/tajsec/id/ministry-of-interior")
    russia = label_of(built, "https://w3id.org/tajsec/id/russia")
    texts = {}
    for name in PICTURES:
        svg, png = out / "pictures" / f"{name}.svg", out / "pictures" / f"{name}.png"
        texts[name] = svg_text(svg)
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 10_000
    assert dca in texts["structure"] and moi in texts["structure"]
    assert russia in texts["assistance"] and dca in texts["assistance"]
    assert "2004" in texts["timeline"]
    for cls in ("Actor", "Place", "Event", "Statement"):
        assert cls in texts["ontology"]
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in PICTURES:
        assert f'srcset="pictures/{name}.svg" type="image/svg+xml"' in index
        assert f'src="pictures/{name}.png"' in index


def snapshot(tmp_path: Path) -> Path:
    """A copy of the inputs, so that edits made to the checkout meanwhile cannot change them."""
    copy = tmp_path / "checkout"
    for d in ("ontology", "instances", "shapes", "queries"):
        shutil.copytree(ROOT / d, copy / d)
    return copy


def test_same_inputs_give_the_same_bytes(tmp_path):
    """Two builds of the same inputs, one in another process with another hash seed, give
    byte-identical files."""
    from tajsec.core.project import Project

    checkout = snapshot(tmp_path)
    here, other = tmp_path / "here", tmp_path / "other"
    build_site(Project(checkout), here)
    code = ("import sys; from pathlib import Path; from tajsec.site import build_site; "
            "from tajsec.core.project import Project; build_site(Project(Path(sys.argv[1])), Path(sys.argv[2]))")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    subprocess.run([sys.executable, "-c", code, str(checkout), str(other)], check=True, env=env, cwd=tmp_path,
                   timeout=600)
    a, b = all_files(here), all_files(other)
    assert sorted(a) == sorted(b)
    differ = [k for k in a if a[k] != b[k]]
    assert not differ, differ[:10]


def test_builds_offline(tmp_path):
    """The build reaches no network: it runs in a network namespace with none (or, where that is
    not allowed, with every socket connection refused by an audit hook)."""
    out = tmp_path / "site"
    code = ("import sys; from pathlib import Path; from tajsec.site import build_site; "
            "from tajsec.core.project import Project; print(build_site(Project(Path(sys.argv[1])), Path(sys.argv[2])))")
    cmd, env = without_network([sys.executable, "-c", code, str(ROOT), str(out)],
                               dict(os.environ, TAJSEC_ROOT=str(ROOT)), tmp_path)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (out / "index.html").is_file()


def test_served_over_http(site):
    out, _ = site

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        for rel, ctype in [("", "text/html"), ("style.css", "text/css"), ("pictures/structure.svg", "image/svg+xml"),
                           ("entities/drug-control-agency.html", "text/html"), ("terms/classes/Actor.html", "text/html")]:
            with urllib.request.urlopen(base + rel, timeout=10) as r:
                assert r.status == 200
                assert r.headers["Content-Type"].startswith(ctype), (rel, r.headers["Content-Type"])
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path, project):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    with pytest.raises(DocsError, match="not a site"):
        build_site(project, precious)
    assert (precious / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]  # no temporary folder left behind
    (tmp_path / "file").write_text("x")
    with pytest.raises(DocsError, match="not a directory"):
        write_site({"index.html": b"x"}, tmp_path / "file")
    (tmp_path / "link").symlink_to(precious)
    with pytest.raises(DocsError, match="symbolic link"):
        write_site({"index.html": b"x"}, tmp_path / "link")


def test_replaces_a_previous_site_whole(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"one", "old.html": b"stale", MARKER: b"m"}, out)
    write_site({"index.html": b"two", "sub/page.html": b"p", MARKER: b"m"}, out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == \
        [MARKER, "index.html", "sub/page.html"]
    assert (out / "index.html").read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    empty = tmp_path / "empty"
    empty.mkdir()
    write_site({"index.html": b"x", MARKER: b"m"}, empty)
    assert (empty / "index.html").read_bytes() == b"x"


def test_markdown_header_rendering():
    html = markdown("# Which agency?\n\n**Question:** Which `ts:Agency` is *largest*?\n\n- one\n- two")
    assert html == ("<h1>Which agency?</h1>\n<p><strong>Question:</strong> Which <code>ts:Agency</code> is "
                    "<em>largest</em>?</p>\n<ul><li>one</li><li>two</li></ul>")
    assert "&lt;script&gt;" in markdown("<script>alert(1)</script>")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)")
def test_site_in_a_browser_from_disk(site, built, tmp_path):
    pytest.importorskip("playwright")
    from playwright.sync_api import sync_playwright

    out, _ = site
    dca = label_of(built, "https://w3id.org/tajsec/id/drug-control-agency")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        failed = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto((out / "index.html").as_uri())
        page.wait_for_load_state("load")
        assert "Tajikistan" in page.inner_text("h1")
        headings = page.locator("h2").all_inner_texts()
        for h in ("Source and licence", "What is in it", "Pictures", "How to query it", "How to cite it"):
            assert h in headings
        # the stylesheet applied: the header bar is coloured
        assert page.eval_on_selector("header.site", "e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
        imgs = page.locator("figure.picture img")
        assert imgs.count() == len(PICTURES)
        for i in range(imgs.count()):
            img = imgs.nth(i)
            img.scroll_into_view_if_needed()
            page.wait_for_function("e => e.complete && e.naturalWidth > 0", arg=img.element_handle())
            assert img.evaluate("e => e.currentSrc").endswith(".svg")  # the SVG, not the fallback
            box = img.bounding_box()
            assert box and box["width"] > 300 and box["height"] > 200
        page.screenshot(path=str(tmp_path / "index.png"), full_page=True)
        # follow the site's own navigation, as a reader would, to the agency's page
        page.click("header.site >> text=Entities")
        page.wait_for_load_state("load")
        assert page.url.endswith("entities/index.html")
        page.click(f"table.list >> text='{dca}'")
        page.wait_for_load_state("load")
        assert page.url.endswith("entities/drug-control-agency.html")
        assert page.inner_text("h1") == dca
        assert any(h.startswith("Statements (") for h in page.locator("h2").all_inner_texts())
        cards = page.locator("article.card")
        assert cards.count() > 10
        assert cards.first.is_visible()
        assert "June 1999" in cards.first.inner_text()
        assert page.locator("blockquote.quote").first.is_visible()
        assert page.get_by_text("350 personnel").first.is_visible()
        page.screenshot(path=str(tmp_path / "drug-control-agency.png"), full_page=False)
        assert not failed, failed
        browser.close()
    assert (tmp_path / "drug-control-agency.png").stat().st_size > 10_000
    assert (tmp_path / "index.png").stat().st_size > 50_000
