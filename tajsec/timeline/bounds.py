"""Comparable time: a date literal at any precision as the span of moments it may mean, and bounds
(earliest, latest) on a moment.

The time model (ontology/README.md, "Time"): bounds are INCLUSIVE, at the second, with no time
zone; "2004" spans 2004-01-01T00:00:00 .. 2004-12-31T23:59:59, "2004-08" the month, a day the day.
An unknown bound is open: `MIN` below, `MAX` above.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from tajsec.core.errors import TajsecError

MIN = datetime.min
MAX = datetime.max.replace(microsecond=0)
_LEXICAL = re.compile(r"(-?\d{4,})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?)?"
                      r"(?:Z|[+-]\d{2}:\d{2})?")
_AS_OF = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class BadDate(TajsecError):
    """A date that cannot be read; the message says which and why."""


@dataclass(frozen=True)
class Bounds:
    """The earliest and latest moment something can be (both inclusive)."""
    lo: datetime = MIN
    hi: datetime = MAX

    @property
    def empty(self) -> bool:
        return self.lo > self.hi

    @property
    def known(self) -> bool:
        return self.lo != MIN or self.hi != MAX

    def meet(self, other: Bounds) -> Bounds:
        """What both bounds allow."""
        return Bounds(max(self.lo, other.lo), min(self.hi, other.hi))


UNKNOWN = Bounds()


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def span(text: str) -> Bounds | None:
    """The moments a date's lexical form may mean, at its precision (xsd:gYear, gYearMonth, date,
    dateTime; a time zone is ignored); None if it is not such a date or not a real one."""
    m = _LEXICAL.fullmatch(text.strip())
    if not m:
        return None
    y, mo, d, hh, mm, ss = m.groups()
    year = int(y)
    if not 1 <= year <= 9999:
        return None
    try:
        if mo is None:
            return Bounds(datetime(year, 1, 1), datetime(year, 12, 31, 23, 59, 59))
        month = int(mo)
        if d is None:
            return Bounds(datetime(year, month, 1), datetime(year, month, _last_day(year, month), 23, 59, 59))
        day = datetime(year, month, int(d))
        if hh is None:
            return Bounds(day, day + timedelta(hours=23, minutes=59, seconds=59))
        moment = day.replace(hour=int(hh), minute=int(mm), second=int(ss))
        return Bounds(moment, moment)
    except ValueError:  # month 13, 30 February, hour 25
        return None


def precision(text: str) -> str | None:
    """"year", "month", "day" or "second": the finest part a date literal gives."""
    m = _LEXICAL.fullmatch(text.strip())
    if not m:
        return None
    _, mo, d, hh, _, _ = m.groups()
    return "second" if hh else "day" if d else "month" if mo else "year"


def moment(text: str) -> datetime | None:
    """An xsd:dateTime's value (no time zone), e.g. of ts:notBefore; None if it is not one."""
    b = span(text)
    return b.lo if b is not None and "T" in text else None


def parse_as_of(text: str) -> tuple[str, Bounds]:
    """The date of `--as-of` / `as-of=`: YYYY, YYYY-MM or YYYY-MM-DD, and its span. BadDate says
    what is wrong."""
    m = _AS_OF.fullmatch(text.strip())
    b = span(text.strip()) if m else None
    if b is None:
        raise BadDate(f"as of {text!r}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2004-06)"
                      + (", and a real one" if m else ""))
    return text.strip(), b


def iso(t: datetime) -> str | None:
    """A bound as xsd:dateTime text, None when open."""
    return None if t in (MIN, MAX) else t.isoformat(timespec="seconds")
