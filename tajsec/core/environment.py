"""Whole-number settings read from the environment: limits and thresholds a user may move
(`TAJSEC_MAX_FILE_BYTES`, `TAJSEC_KEEP_TEXT_BYTES`, `TAJSEC_PARALLEL_QUADS`, `TAJSEC_LARGE_STORE`)."""
from __future__ import annotations

import os


def whole_number(name: str, default: int, unit: str) -> int:
    """`$name` as a whole number of `unit`s, `default` if it is unset or empty; anything else is
    a ValueError naming the variable (str.isdigit alone would take "²", which int() refuses)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"{name} must be a whole number of {unit}, not {value!r}")
    return int(value)
