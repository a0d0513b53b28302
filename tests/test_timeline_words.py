"""Normalised time in words (tajsec.timeline.words): bounds as the year, month or day they span,
else as a range; a thing's beginning and end together (the site's cards and timeline show these)."""
from __future__ import annotations

from datetime import datetime

import pytest

from tajsec.timeline.bounds import MAX, MIN, Bounds, span
from tajsec.timeline.reader import Timeline
from tajsec.timeline.words import bounds_text, when_text


def _s(text: str) -> Bounds:
    b = span(text)
    assert b is not None
    return b


def _between(lo: str, hi: str) -> Bounds:
    return Bounds(_s(lo).lo, _s(hi).hi)


@pytest.mark.parametrize("bounds, text", [
    (_between("2004", "2005"), "between 2004 and 2005"),
    (_between("2004-02", "2005-02"), "between February 2004 and February 2005"),
    (_between("2004-06-03", "2004-06-05"), "between 3 June 2004 and 5 June 2004"),
    (_between("2004-06-01", "2004-06-29"), "between 1 June 2004 and 29 June 2004"),
    (_between("2004-06-02", "2004-06-30"), "between 2 June 2004 and 30 June 2004"),
    (_between("2004-01-01", "2004-12-30"), "between 1 January 2004 and 30 December 2004"),
    (_between("2004-01-02", "2004-12-31"), "between 2 January 2004 and 31 December 2004"),
    (_between("2003-12", "2004-11"), "between December 2003 and November 2004"),
    # not whole days: a moment other than midnight, or an end before the day's last second
    (Bounds(datetime(2004, 1, 1, 0, 0, 1), _s("2004").hi), "between 1 January 2004 and 31 December 2004"),
    (Bounds(_s("2004").lo, datetime(2004, 12, 31, 23, 59, 58)), "between 1 January 2004 and 31 December 2004"),
    (Bounds(datetime(2004, 6, 1, 0, 1), _s("2004-06").hi), "between 1 June 2004 and 30 June 2004"),
    (Bounds(_s("2004-06").lo, datetime(2004, 6, 30, 23, 58, 59)), "between 1 June 2004 and 30 June 2004"),
    (Bounds(datetime(2004, 6, 3, 1), _s("2004-06-03").hi), "between 3 June 2004 and 3 June 2004"),
    (Bounds(_s("2004-06-03").lo, datetime(2004, 6, 3, 22, 59, 59)), "between 3 June 2004 and 3 June 2004"),
    (_s("2004-06-03"), "3 June 2004"),
    (_s("2003-02"), "February 2003"),
    (Bounds(MIN, _s("2003-02").hi), "by 28 February 2003"),
    (Bounds(_s("2003-02").lo, MAX), "from 1 February 2003"),
])
def test_bounds_in_words_at_each_precision(bounds, text):
    assert bounds_text(bounds) == text


def _tl(begin: Bounds, end: Bounds, instant: bool = False) -> Timeline:
    return Timeline({}, {("k", "b"): begin, ("k", "e"): end}, [], instants={"k"} if instant else set())


@pytest.mark.parametrize("begin, end, instant, text", [
    (_s("2004"), _s("2004"), True, "2004"),  # an instant: one date
    (_s("2004-06"), _s("2004-06"), False, "June 2004"),  # beginning and end the same bounds
    (_s("2001"), _s("2004"), False, "2001 – 2004"),
    (Bounds(MIN, _s("2004").hi), _s("2004"), False, "… – 2004"),  # no bound on the beginning but the end's
    (Bounds(MIN, _s("2005").hi), _s("2004"), False, "… – 2004"),
    (Bounds(MIN, _s("2003").hi), _s("2004"), False, "by 31 December 2003 – 2004"),  # a bound of its own
    (_between("2001", "2002"), _s("2002"), False, "between 2001 and 2002 – 2002"),
    (_s("2001"), Bounds(_s("2001").lo, MAX), False, "2001 – …"),  # open above
    (_s("2001"), Bounds(_s("2003").lo, MAX), False, "2001 – …"),
    (_s("2001"), Bounds(MIN, _s("2003").hi), False, "2001 – by 31 December 2003"),
    (Bounds(), Bounds(), False, "?"),
])
def test_a_thing_s_time_in_words(begin, end, instant, text):
    assert when_text(_tl(begin, end, instant), "k") == text


def test_an_instant_shows_its_one_date_even_if_its_end_was_read_apart():
    tl = _tl(_s("2004-06"), Bounds(_s("2004-06").lo, MAX), instant=True)
    assert when_text(tl, "k") == "June 2004"
