"""Property-based fuzzing of the loader and `tajsec validate` with mutated copies of our own
Turtle: every run ends in a clean result (exit 0 or 1) or a clean error (exit 2), never a
traceback or a hang. The bound is small in the test suite; a longer run:

    TAJSEC_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py
"""
from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tajsec.cli import main
from tajsec.core.errors import LoadError
from tajsec.io.load import parse_file

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "instances").glob("*.ttl")) + sorted((ROOT / "shapes").glob("*.ttl"))
TOKENS = [b".", b";", b",", b"<", b">", b'"', b'"""', b"@prefix", b"[", b"]", b"(", b")", b"^^", b"@en",
          b"\\", b"\\u00", b"_:b", b"a", b"ts:", b"#", b"\n", b"\xff", b"\x00", b"1e999", b"'"]
EXAMPLES = int(os.environ.get("TAJSEC_FUZZ_EXAMPLES", "25"))


@st.composite
def mutated(draw):
    src = draw(st.sampled_from(SOURCES))
    data = bytearray(src.read_bytes()[:20000])
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]))
        i = draw(st.integers(0, max(len(data) - 1, 0)))
        n = draw(st.integers(1, 64))
        if op == "delete":
            del data[i:i + n]
        elif op == "duplicate":
            data[i:i] = data[i:i + n]
        elif op == "swap":
            j = draw(st.integers(0, max(len(data) - 1, 0)))
            a, b = bytes(data[i:i + n]), bytes(data[j:j + n])
            data[i:i + n], data[j:j + n] = b, a
        else:
            data[i:i] = draw(st.sampled_from(TOKENS))
    return src.name, bytes(data)


@settings(max_examples=EXAMPLES, deadline=30000, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(mutated())
def test_mutated_turtle_ends_cleanly(tmp_path_factory, case):
    name, data = case
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    try:
        parse_file(path, strict=False, warnings=[])
    except LoadError as e:
        assert e.path == str(path) and e.message
    result = CliRunner().invoke(main, ["validate", str(path)], env={"TAJSEC_ROOT": str(ROOT)})
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert path.read_bytes() == data
