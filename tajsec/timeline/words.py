"""Normalised time in words: bounds as the year, month or day they span, else as a range; a
thing's beginning and end together."""
from __future__ import annotations

import calendar
from datetime import datetime

from tajsec.graph.time import MONTHS
from tajsec.timeline.bounds import MAX, MIN, Bounds
from tajsec.timeline.reader import Timeline


def _day(t: datetime) -> str:
    return f"{t.day} {MONTHS[t.month - 1]} {t.year}"


def bounds_text(b: Bounds) -> str:
    """A moment's bounds in words: the year, month or day they span exactly, else a range."""
    lo, hi = b.lo, b.hi
    if lo == MIN and hi == MAX:
        return "?"
    if lo == MIN:
        return f"by {_day(hi)}"
    if hi == MAX:
        return f"from {_day(lo)}"
    whole_day = lo.time() == datetime.min.time() and (hi.hour, hi.minute, hi.second) == (23, 59, 59)
    if whole_day and lo.year == hi.year and (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31):
        return str(lo.year)
    last = calendar.monthrange(hi.year, hi.month)[1]
    if whole_day and (lo.year, lo.month) == (hi.year, hi.month) and (lo.day, hi.day) == (1, last):
        return f"{MONTHS[lo.month - 1]} {lo.year}"
    if whole_day and lo.date() == hi.date():
        return _day(lo)
    if lo.year != hi.year and whole_day and (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31):
        return f"between {lo.year} and {hi.year}"
    if whole_day and (lo.day, hi.day) == (1, last):
        return f"between {MONTHS[lo.month - 1]} {lo.year} and {MONTHS[hi.month - 1]} {hi.year}"
    return f"between {_day(lo)} and {_day(hi)}"


def when_text(tl: Timeline, key: str) -> str:
    b, e = tl.begin(key), tl.end(key)
    if key in tl.instants or b == e:
        return bounds_text(b)
    begin = "…" if b.lo == MIN and b.hi >= e.hi else bounds_text(b)  # no bound but the end's
    end = "…" if e.hi == MAX else bounds_text(e)
    return f"{begin} – {end}"
