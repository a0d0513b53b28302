"""The code-quality gates: ruff (lint and import order) and mypy find nothing in the package, with
the configuration in pyproject.toml, and every public function and method carries type hints.
Each gate is also shown to bite, on a probe it must reject."""
from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tajsec"


def _tool(name: str) -> list[str]:
    # ruff and mypy are in the test extras (pyproject.toml); run the ones installed beside pytest
    if importlib.util.find_spec(name) is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return [sys.executable, "-m", name]


def _run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing():
    res = _run([*_tool("ruff"), "check", "--no-cache", "tajsec"])
    assert res.returncode == 0, f"ruff check tajsec:\n{res.stdout}{res.stderr}"


def test_ruff_uses_the_project_rules():
    """A probe with an unsorted import block, a mutable default argument and a line of 130
    characters is rejected under the project's configuration (so the rules above are the ones
    that ran)."""
    probe = ("import sys\nimport os\n\n\ndef pairs(a: list = []) -> list:\n"
             f"    return list(a)  # {'x' * 110}\n\n\nprint(os.sep, sys.argv)\n")
    res = _run([*_tool("ruff"), "check", "--no-cache", "--output-format", "concise",
                "--stdin-filename", "tajsec/_probe.py", "-"], stdin=probe)
    assert res.returncode == 1
    for code in ("I001", "B006", "E501"):
        assert code in res.stdout, res.stdout


def test_mypy_finds_nothing():
    res = _run([*_tool("mypy")])  # files, strictness and Python version from [tool.mypy]
    assert res.returncode == 0, f"mypy:\n{res.stdout}{res.stderr}"
    assert "Success: no issues found" in res.stdout


def test_mypy_uses_the_project_settings(tmp_path):
    """A half-hinted function (disallow_incomplete_defs) and a type error inside an unhinted one
    (check_untyped_defs) are both reported: the settings in pyproject.toml are in force."""
    probe = tmp_path / "probe.py"
    probe.write_text("def half(x: int, y):\n    return x\n\n\ndef bare():\n    return 1 + ''\n")
    res = _run([*_tool("mypy"), "--config-file", "pyproject.toml", "--cache-dir", str(tmp_path / "cache"), str(probe)])
    assert res.returncode == 1
    assert "[no-untyped-def]" in res.stdout, res.stdout
    assert "[operator]" in res.stdout, res.stdout


# -- type hints on the public API -------------------------------------------------------------

def unhinted(source: str) -> list[str]:
    """`name:line` of each public function or method (its name does not start with `_`) that
    lacks a return annotation or an annotation on any parameter other than self or cls."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or node.name.startswith("_"):
            continue
        a = node.args
        params = [p for p in a.posonlyargs + a.args + a.kwonlyargs if p.arg not in ("self", "cls")]
        params += [p for p in (a.vararg, a.kwarg) if p is not None]
        if node.returns is None or any(p.annotation is None for p in params):
            found.append(f"{node.name}:{node.lineno}")
    return found


def test_the_hint_check_sees_what_is_missing():
    source = '''
def full(a: int, *rest: str, flag: bool = False, **kw: object) -> None: ...
def no_return(a: int): ...
def bare_param(a, b: int) -> int: ...
def bare_star(*rest) -> None: ...
def bare_kw(**kw) -> None: ...
def _private(a): ...
class C:
    def method(self, x: int) -> int: ...
    @classmethod
    def make(cls) -> "C": ...
    def loose(self, x): ...
    def __init__(self, y): ...
'''
    assert unhinted(source) == ["no_return:3", "bare_param:4", "bare_star:5", "bare_kw:6", "loose:12"]


def test_public_functions_have_type_hints():
    missing = [f"{p.relative_to(ROOT)}:{where}" for p in sorted(PACKAGE.rglob("*.py"))
               for where in unhinted(p.read_text(encoding="utf-8"))]
    assert missing == [], "public functions without full type hints:\n" + "\n".join(missing)


def test_the_package_says_it_is_typed():
    assert (PACKAGE / "py.typed").is_file()
