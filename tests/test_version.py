"""One version: pyproject.toml's `version`. The package reads it from its installed metadata;
the ontology's release stamp (owl:versionInfo, owl:versionIRI) must carry the same."""
from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

import tajsec
from conftest import select
from tajsec.cli import main

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_package_version_is_pyproject_version():
    assert tajsec.__version__ == VERSION, "stale installed metadata: reinstall (`make test` does)"


def test_version_option_prints_it():
    res = CliRunner().invoke(main, ["--version"])
    assert res.exit_code == 0
    assert res.output.split()[-1] == VERSION


def test_ontology_release_is_the_package_version(built):
    [(info, iri)] = select(built, """
        PREFIX owl: <http://www.w3.org/2002/07/owl#>
        SELECT ?info ?iri WHERE { <https://w3id.org/tajsec/onto> owl:versionInfo ?info ; owl:versionIRI ?iri }""")
    assert (info, iri) == (VERSION, f"https://w3id.org/tajsec/onto/release/{VERSION}"), \
        "bump ontology/core.ttl's owl:versionInfo and owl:versionIRI with pyproject.toml's version"
