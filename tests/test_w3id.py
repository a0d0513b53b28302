"""The w3id redirect file (w3id/tajsec/.htaccess, in the w3id.org repository's format), read by
a small evaluator of the mod_rewrite subset it uses (RewriteCond on %{HTTP_ACCEPT}, RewriteRule
with R=30x and L, conditions applying to the next rule only), and, where Debian's apache2 is
installed and we are root, by Apache itself, which must agree with the evaluator (it starts in
well under a second)."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

HTACCESS = Path(__file__).resolve().parent.parent / "w3id" / "tajsec" / ".htaccess"
SERVER = "https://tajsec.example.org/"
DOCS = SERVER + "docs/"
TURTLE = "text/turtle"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def _rules() -> list[tuple[list[tuple[str, re.Pattern]], re.Pattern, str, str]]:
    """(conditions, pattern, target, flags) of each RewriteRule, in order."""
    rules, conds = [], []
    for line in HTACCESS.read_text().splitlines():
        words = shlex.split(line, comments=True, posix=False)
        if not words:
            continue
        if words[0] == "RewriteCond":
            variable, regex, *flags = words[1:]
            conds.append((variable, re.compile(regex, re.I if flags == ["[NC]"] else 0)))
        elif words[0] == "RewriteRule":
            pattern, target, flags = words[1:]
            rules.append((conds, re.compile(pattern), target, flags))
            conds = []
        else:
            assert words[0] in ("Options", "RewriteEngine"), line
    assert not conds, "a RewriteCond with no rule after it"
    return rules


def redirect(path: str, accept: str) -> tuple[int, str] | None:
    """The (status, Location) w3id answers for /tajsec/`path`, or None (no rule matched: 404)."""
    variables = {"%{HTTP_ACCEPT}": accept}
    for conds, pattern, target, flags in _rules():
        if not all(regex.search(variables[v]) for v, regex in conds):
            continue
        match = pattern.search(path)
        if match:
            location = re.sub(r"\$(\d)", lambda d: match.group(int(d.group(1))) or "", target)
            assert "L" in flags.strip("[]").split(","), "every rule here ends the rewriting"
            return int(re.search(r"R=(\d+)", flags).group(1)), location
    return None


def test_the_file_is_in_w3ids_format():
    text = HTACCESS.read_text()
    assert "RewriteEngine on" in text
    assert all(t.startswith("https://") for *_, t, _ in _rules())


@pytest.mark.parametrize("accept", [TURTLE, "application/ld+json", "application/n-triples",
                                    "application/rdf+xml;q=0.9", "Text/Turtle"])
def test_machines_go_to_the_server_path_unchanged(accept):
    assert redirect("id/gaffur-mirzoev", accept) == (303, SERVER + "id/gaffur-mirzoev")
    assert redirect("onto/Person", accept) == (303, SERVER + "onto/Person")
    assert redirect("onto", accept) == (303, SERVER + "onto")
    assert redirect("shapes", accept) == (303, SERVER + "shapes")


def test_extensions_go_to_the_server_whatever_the_accept_header():
    assert redirect("id/gaffur-mirzoev.ttl", BROWSER) == (303, SERVER + "id/gaffur-mirzoev.ttl")
    assert redirect("onto.jsonld", BROWSER) == (303, SERVER + "onto.jsonld")


def test_browsers_get_the_docs_site():
    assert redirect("onto", BROWSER) == (303, DOCS + "terms/index.html")
    assert redirect("onto/", BROWSER) == (303, DOCS + "terms/index.html")
    assert redirect("shapes", BROWSER) == (303, DOCS + "shapes/index.html")
    assert redirect("", BROWSER) == (302, DOCS + "index.html")
    # one node: the server knows which page shows it
    assert redirect("id/gaffur-mirzoev", BROWSER) == (303, SERVER + "id/gaffur-mirzoev")


@pytest.mark.parametrize("path", ["id/", "id/../etc/passwd", "id/a/b", "other/x", "idx/gaffur-mirzoev"])
def test_anything_else_matches_no_rule(path):
    assert redirect(path, TURTLE) is None
    assert redirect(path, BROWSER) is None


W3ID_ID = "https://w3id.org/tajsec/id/"
ROOT = HTACCESS.parent.parent.parent


def renamed_identifiers() -> dict[str, str]:
    """{old local name: new local name}: the "Renamed identifiers" rules of the file, each a
    permanent redirect of an old /id/ name (with any extension) to the new IRI."""
    out = {}
    for _conds, pattern, target, flags in _rules():
        new = re.fullmatch(re.escape(W3ID_ID) + r"([a-z0-9-]+)\$1", target)
        if new:
            old = re.fullmatch(r"\^id/([a-z0-9-]+)\(\\\.\(ttl\|nt\|rdf\|jsonld\|html\)\)\?\$", pattern.pattern)
            assert old and flags == "[R=301,L]", f"a rename rule not in the block's form: {pattern.pattern}"
            out[old.group(1)] = new.group(1)
    return out


def test_renamed_identifiers_redirect_permanently_to_their_new_names():
    renamed = renamed_identifiers()
    assert renamed["ev-appointment-mirzoev-head-of-dca-2004-01"] == "ev-appointment-mirzoev-head-of-dca"
    assert len(renamed) == 5
    for old, new in renamed.items():
        for accept in (TURTLE, BROWSER):
            assert redirect(f"id/{old}", accept) == (301, W3ID_ID + new)
        assert redirect(f"id/{old}.ttl", BROWSER) == (301, W3ID_ID + new + ".ttl")
        assert redirect(f"id/{old}.html", TURTLE) == (301, W3ID_ID + new + ".html")
        assert redirect(f"id/{new}", TURTLE) == (303, SERVER + "id/" + new)  # the new name as any other
    # only the exact old name: a longer name that starts with it is not redirected
    longer = "id/ev-talks-police-officials-2004-10-x"
    assert redirect(longer, TURTLE) == (303, SERVER + longer)


def test_renamed_identifiers_are_gone_from_the_data_and_their_new_names_there():
    """No old name is left anywhere in the data, the questions or the ontology; each new name is a
    subject in instances/."""
    texts = {p: p.read_text(encoding="utf-8") for folder in ("instances", "queries", "ontology", "shapes")
             for p in (ROOT / folder).rglob("*") if p.is_file()}
    data = "".join(t for p, t in texts.items() if p.parent.name == "instances" and p.suffix == ".ttl")
    for old, new in renamed_identifiers().items():
        left = [p.name for p, t in texts.items() if re.search(rf"\b{re.escape(old)}\b", t)]
        assert left == [], f"{old} is still used in {left}"
        assert re.search(rf"^tsd:{re.escape(new)} ", data, re.M), f"{new} is not a subject in instances/"


APACHE = Path("/usr/sbin/apache2")
MODULES = Path("/usr/lib/apache2/modules")


@pytest.fixture(scope="module")
def apache():
    """Debian's apache2 serving the folder as w3id.org does (AllowOverride All, mod_rewrite), on a
    free loopback port; skipped where it is not installed or cannot run here (it needs root to
    switch to an unprivileged user)."""
    import os
    import shutil
    import socket
    import subprocess
    import tempfile
    import time

    if not APACHE.exists() or os.geteuid() != 0:
        pytest.skip("Debian's apache2 is not installed, or we are not root")
    root = Path(tempfile.mkdtemp(prefix="tajsec-w3id-"))
    try:
        os.chmod(root, 0o755)
        shutil.copytree(HTACCESS.parent, root / "www" / "tajsec")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        conf = root / "apache2.conf"
        conf.write_text(f"""
ServerRoot {root}
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
PidFile {root}/httpd.pid
ErrorLog {root}/error.log
LoadModule mpm_prefork_module {MODULES}/mod_mpm_prefork.so
LoadModule authz_core_module {MODULES}/mod_authz_core.so
LoadModule rewrite_module {MODULES}/mod_rewrite.so
User nobody
Group nogroup
DocumentRoot {root}/www
<Directory {root}/www>
    AllowOverride All
    Options FollowSymLinks
    Require all granted
</Directory>
""")
        proc = subprocess.Popen([str(APACHE), "-X", "-f", str(conf)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.skip(f"apache2 did not start: {proc.stderr.read()[-300:]!r}")
                time.sleep(0.05)
        else:
            proc.kill()
            pytest.skip("apache2 did not start within 10 s")
        yield port
        proc.terminate()
        proc.wait(10)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("path, accept", [
    ("id/gaffur-mirzoev", TURTLE), ("id/gaffur-mirzoev", BROWSER), ("onto", BROWSER), ("onto", TURTLE),
    ("shapes", BROWSER), ("onto/Person", "application/ld+json"), ("id/gaffur-mirzoev.ttl", BROWSER),
    ("", BROWSER), ("id/a/b", TURTLE), ("other/x", BROWSER),
    ("id/ev-talks-police-officials-2004-10", TURTLE), ("id/ev-talks-police-officials-2004-10.ttl", BROWSER)])
def test_apache_agrees_with_the_evaluator(apache, path, accept):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", apache, timeout=10)
    conn.request("GET", "/tajsec/" + path, headers={"Accept": accept})
    answer = conn.getresponse()
    answer.read()
    expected = redirect(path, accept)
    if expected is None:
        assert answer.status == 404
    else:
        assert (answer.status, answer.getheader("Location")) == expected
