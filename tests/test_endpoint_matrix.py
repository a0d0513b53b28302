"""`tajsec serve` as real clients use it: every query form in every format it offers, by every
method of the SPARQL 1.1 Protocol, asked with curl, SPARQLWrapper and Jena's `rsparql`.

Each answer is parsed back (pyoxigraph's readers, the csv module, Jena's own reader) and must
carry the one fact asked for: the Drug Control Agency's label.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from debian_packages import ensure_package
from test_serve import server  # noqa: F401  (the running server fixture)

AGENCY = "https://w3id.org/tajsec/id/drug-control-agency"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
NAME = "Drug Control Agency"
QUERIES = {
    "SELECT": f"SELECT ?label WHERE {{ <{AGENCY}> <{LABEL}> ?label }}",
    "ASK": f'ASK {{ <{AGENCY}> <{LABEL}> "{NAME}"@en }}',
    "CONSTRUCT": f"CONSTRUCT {{ <{AGENCY}> <{LABEL}> ?l }} WHERE {{ <{AGENCY}> <{LABEL}> ?l }}",
    "DESCRIBE": f"DESCRIBE <{AGENCY}>",
}
RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
               "jsonld": "application/ld+json", "nquads": "application/n-quads", "trig": "application/trig"}
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML,
               "jsonld": ox.RdfFormat.JSON_LD, "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "tsv": ox.QueryResultsFormat.TSV}
METHODS = ("GET", "POST-form", "POST-direct")
TARGET = ox.Triple(ox.NamedNode(AGENCY), ox.NamedNode(LABEL), ox.Literal(NAME, language="en"))


def check_answer(form: str, fmt: str, body: bytes) -> None:
    """The answer, parsed as `fmt`, says what the question asks."""
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples = [q.triple for q in ox.parse(body, format=RDF_FORMATS[fmt])]
        assert TARGET in triples
        if form == "CONSTRUCT":
            assert len(triples) == 1
        else:
            assert {str(t.subject) for t in triples} == {f"<{AGENCY}>"} and len(triples) > 3
        return
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
        assert rows == ([["label"], [NAME]] if form == "SELECT" else [["true"]])
        assert body.endswith(b"\r\n")
        return
    parsed = ox.parse_query_results(body, format=RESULT_FORMATS[fmt])
    if form == "ASK":
        assert isinstance(parsed, ox.QueryBoolean) and bool(parsed) is True
    else:
        assert [s["label"] for s in parsed] == [ox.Literal(NAME, language="en")]


def cells():
    for form in QUERIES:
        table = RESULT_TYPES if form in ("SELECT", "ASK") else GRAPH_TYPES
        for fmt in table:
            for method in METHODS:
                yield form, fmt, method


# -- curl -------------------------------------------------------------------------------------

def curl(base: str, method: str, query: str, accept: str | None, extra: tuple = ()) -> tuple[int, str, bytes]:
    cmd = ["curl", "-s", "-o", "-", "-w", "\n%{http_code} %{content_type}", "--max-time", "30", *extra]
    if accept is not None:
        cmd += ["-H", f"Accept: {accept}"]
    if method == "GET":
        cmd += ["-G", "--data-urlencode", f"query={query}"]
    elif method == "POST-form":
        cmd += ["--data-urlencode", f"query={query}"]
    else:
        cmd += ["-H", "Content-Type: application/sparql-query", "--data-binary", query]
    out = subprocess.run(cmd + [f"{base}/sparql"], capture_output=True, timeout=60, check=True).stdout
    body, _, status = out.rpartition(b"\n")
    code, _, ctype = status.decode().partition(" ")
    return int(code), ctype, body


needs_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


@needs_curl
@pytest.mark.parametrize("form,fmt,method", list(cells()))
def test_curl(server, form, fmt, method):  # noqa: F811
    base, _ = server
    media = (RESULT_TYPES | GRAPH_TYPES)[fmt]
    code, ctype, body = curl(base, method, QUERIES[form], media)
    assert code == 200, body
    assert ctype.split(";")[0] == media
    check_answer(form, fmt, body)


@needs_curl
@pytest.mark.parametrize("form", list(QUERIES))
@pytest.mark.parametrize("accept", [None, "*/*"], ids=["no-accept", "any"])
def test_curl_defaults(server, form, accept):  # noqa: F811
    """curl sends `*/*` unless told otherwise; -H 'Accept:' sends none. JSON and Turtle then."""
    base, _ = server
    code, ctype, body = curl(base, "GET", QUERIES[form], accept, extra=("-H", "Accept:") if accept is None else ())
    assert code == 200, body
    fmt = "json" if form in ("SELECT", "ASK") else "turtle"
    assert ctype.split(";")[0] == (RESULT_TYPES | GRAPH_TYPES)[fmt]
    check_answer(form, fmt, body)


@needs_curl
@pytest.mark.parametrize("form,accept", [("SELECT", "text/turtle"), ("ASK", "application/rdf+xml"),
                                         ("CONSTRUCT", "application/sparql-results+json"),
                                         ("DESCRIBE", "text/csv"), ("SELECT", "image/png")])
def test_unsupported_format_is_406_listing_the_supported(server, form, accept):  # noqa: F811
    base, _ = server
    code, _, body = curl(base, "POST-form", QUERIES[form], accept)
    assert code == 406
    table = RESULT_TYPES if form in ("SELECT", "ASK") else GRAPH_TYPES
    assert all(t in body.decode() for t in table.values()), body


# -- SPARQLWrapper ------------------------------------------------------------------------------

WRAPPER_FORMATS = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle",
                   "n3": "n3", "rdfxml": "rdf+xml", "jsonld": "json-ld"}
WRAPPER_METHODS = ("GET", "POST", "POSTDIRECTLY")


def wrapper_cells():
    for form in QUERIES:
        names = ("json", "xml", "csv", "tsv") if form in ("SELECT", "ASK") else ("turtle", "n3", "rdfxml", "jsonld", "xml")
        for fmt in names:
            for method in WRAPPER_METHODS:
                yield form, fmt, method


@pytest.mark.parametrize("form,fmt,method", list(wrapper_cells()))
def test_sparqlwrapper(server, form, fmt, method):  # noqa: F811
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
    base, _ = server
    sw = SPARQLWrapper.SPARQLWrapper(f"{base}/sparql")
    sw.setQuery(QUERIES[form])
    sw.setReturnFormat(WRAPPER_FORMATS[fmt])
    sw.setMethod("POST" if method != "GET" else "GET")
    if method == "POSTDIRECTLY":
        sw.setRequestMethod(SPARQLWrapper.POSTDIRECTLY)
    response = sw.query().response
    ctype = response.headers.get("Content-Type", "").split(";")[0]
    body = response.read()
    graph_format = {"turtle": "turtle", "n3": "turtle", "rdfxml": "rdfxml", "xml": "rdfxml", "jsonld": "jsonld"}
    expected = graph_format[fmt] if form in ("CONSTRUCT", "DESCRIBE") else fmt
    assert ctype == (RESULT_TYPES | GRAPH_TYPES)[expected]
    check_answer(form, expected, body)


@pytest.mark.parametrize("form", list(QUERIES))
def test_sparqlwrapper_default_converts(server, form):  # noqa: F811
    """SPARQLWrapper's defaults (XML for results, RDF/XML for graphs) and its own converters."""
    SPARQLWrapper = pytest.importorskip("SPARQLWrapper")
    base, _ = server
    sw = SPARQLWrapper.SPARQLWrapper(f"{base}/sparql")
    sw.setQuery(QUERIES[form])
    answer = sw.query().convert()
    if form == "SELECT":
        assert answer.getElementsByTagName("literal")[0].firstChild.data == NAME
    elif form == "ASK":
        assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert answer.value(rdflib.URIRef(AGENCY), rdflib.URIRef(LABEL)).toPython() == NAME


# -- Jena's rsparql -------------------------------------------------------------------------------

JENA_JARS = [  # Debian's libapache-jena-java 4.5.0: a hand-picked classpath (MEASURED.md pitfall 5)
    "jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-iri", "jena-rdfconnection", "jena-dboe-base",
    "slf4j-api", "slf4j-nop", "commons-lang3", "commons-io", "commons-codec", "commons-compress", "commons-csv",
    "commons-cli", "dexx.collection", "gson", "jackson-core", "jackson-databind", "jackson-annotations",
    "httpclient", "httpclient-cache", "httpcore", "jsonld-java", "thrift", "protobuf", "protobuf-util",
    "titanium-json-ld", "jakarta.json-api", "guava", "commons-collections4",
]


@pytest.fixture(scope="module")
def rsparql(tmp_path_factory) -> list[str]:
    ensure_package("libapache-jena-java", "Jena's command-line client")
    java = shutil.which("java") or pytest.skip("Jena's command-line client needs java")
    # Jena's relocated Xerces looks for its message files where Debian's jar does not put them
    fix = tmp_path_factory.mktemp("jena") / "xerces-messages.jar"
    with zipfile.ZipFile("/usr/share/java/jena-core.jar") as src, zipfile.ZipFile(fix, "w") as dst:
        for name in src.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                dst.writestr(name[len("org/apache/jena/ext/"):], src.read(name))
    jars = [f"/usr/share/java/{n}.jar" for n in JENA_JARS if Path(f"/usr/share/java/{n}.jar").is_file()]
    return [java, "-cp", ":".join(jars + [str(fix)]), "arq.rsparql"]


JENA_OUTPUT = {"SELECT": ("json", "xml", "csv", "tsv"), "ASK": ("json", "xml"),
               "CONSTRUCT": ("ttl", "nt"), "DESCRIBE": ("ttl", "nt")}


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("form", list(QUERIES))
def test_jena_rsparql(server, rsparql, tmp_path, form, method):  # noqa: F811
    """rsparql negotiates the wire format itself; each of its outputs must carry the answer."""
    base, _ = server
    query = tmp_path / "q.rq"
    query.write_text(QUERIES[form])
    for out in JENA_OUTPUT[form]:
        cmd = rsparql + ["--service", f"{base}/sparql", "--query", str(query), f"--results={out}"]
        r = subprocess.run(cmd + (["--post"] if method == "POST" else []), capture_output=True, timeout=120)
        assert r.returncode == 0, r.stderr.decode()
        fmt = {"ttl": "turtle", "nt": "ntriples"}.get(out, out)
        if form == "ASK" and fmt == "json":
            assert json.loads(r.stdout)["boolean"] is True
        elif form == "ASK":
            assert bool(ox.parse_query_results(r.stdout, format=RESULT_FORMATS[fmt])) is True
        else:
            check_answer(form, fmt, r.stdout)

