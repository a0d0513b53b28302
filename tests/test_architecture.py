"""The package's architecture, enforced: dependencies run one way (down the layers below), every
IRI is written in one module, and no module or class outgrows what a reader can hold.

Layers, lowest first; a module may import its own package and anything in a lower layer:
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "tajsec"
LAYERS = [
    {"core"},
    {"io"},
    {"graph"},
    {"sparql", "shacl", "reason"},
    {"merge", "publish", "quality", "evidence", "timeline"},
    {"site", "web"},
    {"cli"},
]
RANK = {pkg: i for i, layer in enumerate(LAYERS) for pkg in layer}
ALLOWED_SAME_LAYER = {("shacl", "sparql")}  # the SHACL engine runs its checks through the SPARQL runner
IRI_HOME = PACKAGE / "core" / "namespaces.py"
LOCAL = re.compile(r"^https?://(127\.0\.0\.1|localhost|\[::1\])[:/{]")  # our own server's addresses
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 300


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def _subpackage(path: Path) -> str | None:
    rel = path.relative_to(PACKAGE).parts
    return rel[0] if len(rel) > 1 else None


def _imports(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return {n for n in names if n.startswith("tajsec.")}


def test_every_module_sits_in_a_layer():
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert loose == [], "top-level modules belong in a subpackage of a layer"
    unknown = {_subpackage(p) for p in _modules()} - set(RANK) - {None}
    assert unknown == set(), f"subpackages missing from LAYERS: {unknown}"


def test_dependencies_run_down_the_layers():
    wrong = []
    for path in _modules():
        mine = _subpackage(path)
        if mine is None:
            continue
        for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            theirs = name.split(".")[1]
            if theirs not in RANK or theirs == mine:
                continue
            if RANK[theirs] > RANK[mine] or (RANK[theirs] == RANK[mine] and (mine, theirs) not in ALLOWED_SAME_LAYER):
                wrong.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert wrong == []


IRI = re.compile(r"^(https?://[^/\s]+|urn:\S+)")


def test_iris_are_written_in_one_module():
    found = []
    for path in _modules():
        if path == IRI_HOME:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if IRI.match(node.value) and not LOCAL.match(node.value):
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:60]}")
    assert found == [], "IRIs belong in tajsec/core/namespaces.py"


def test_no_module_or_class_is_too_long():
    long = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_MODULE_LINES:
            long.append(f"{path.relative_to(PACKAGE)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > MAX_CLASS_LINES:
                long.append(f"{path.relative_to(PACKAGE)}: class {node.name} {node.end_lineno - node.lineno + 1} lines")
    assert long == []
