"""The w3id redirect file (w3id/tajsec/.htaccess, in the w3id.org repository's format), read by
a small evaluator of the mod_rewrite subset it uses (RewriteCond on %{HTTP_ACCEPT}, RewriteRule
with R=30x and L, conditions applying to the next rule only). Debian's apache2 is not used: it
is not installed on the test machines, and the subset is small enough to evaluate exactly."""
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
