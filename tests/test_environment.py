"""Whole-number settings from the environment: a bad value is a clear error naming the variable,
never a traceback, whichever command reads it (the loader's and the SHACL engine's are read when
their modules are imported)."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT

from tajsec.core.environment import whole_number


@pytest.mark.parametrize(("value", "expected"), [(None, 7), ("", 7), ("  ", 7), ("0", 0), ("12", 12), (" 12 ", 12)])
def test_a_whole_number_or_the_default(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("TAJSEC_TEST_SETTING", raising=False)
    else:
        monkeypatch.setenv("TAJSEC_TEST_SETTING", value)
    assert whole_number("TAJSEC_TEST_SETTING", 7, "bytes") == expected


@pytest.mark.parametrize("value", ["abc", "-5", "1e6", "1_000", "+3", "\u00b2", "٣"])
def test_anything_else_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("TAJSEC_TEST_SETTING", value)
    with pytest.raises(ValueError, match=re.escape(f"TAJSEC_TEST_SETTING must be a whole number of bytes, not {value!r}")):
        whole_number("TAJSEC_TEST_SETTING", 7, "bytes")


@pytest.mark.parametrize(("name", "unit"), [("TAJSEC_MAX_FILE_BYTES", "bytes"), ("TAJSEC_KEEP_TEXT_BYTES", "bytes"),
                                            ("TAJSEC_PARALLEL_QUADS", "quads"), ("TAJSEC_LARGE_STORE", "triples")])
def test_a_bad_setting_stops_validate_with_its_name_and_exit_2(name, unit):
    data = ROOT / "tests" / "hostile" / "named-graph-missing-label.trig"
    res = subprocess.run([sys.executable, "-m", "tajsec", "validate", str(data)], cwd=ROOT,
                         env=dict(os.environ, **{name: "x2"}), capture_output=True, text=True, timeout=120)
    assert res.returncode == 2
    assert f"{name} must be a whole number of {unit}, not 'x2'" in res.stderr
    assert "Traceback" not in res.stderr
