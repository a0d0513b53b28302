"""The one reader of time in the graph: it turns the graph's date literals and OWL-Time instants
and intervals into begin and end values, their precision, and a pretty form.

A date is an ISO-8601 lexical form, of xsd:gYear (`2004`), xsd:gYearMonth (`2004-01`),
xsd:date (`2004-01-15`) or xsd:dateTime. Its precision is the finest part given.

`node_span` says when a statement, event or agreement happened, trying in turn:
  1. schema:startDate / schema:endDate on the node itself,
  2. the interval of its ts:validDuring or org:memberDuring,
  3. the ts:referencePeriod of its ts:quantity,
  4. its ts:reportedOn date, then its schema:datePublished.
The first that gives a date decides.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tajsec.core.namespaces import PREFIXES, TS
from tajsec.graph.index import GraphView

SCHEMA = PREFIXES["schema"]
TIME = PREFIXES["time"]
ORG = PREFIXES["org"]

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
INSTANT_VALUES = (TIME + "inXSDDate", TIME + "inXSDgYearMonth", TIME + "inXSDgYear")
INTERVAL_PROPERTIES = (TS + "validDuring", ORG + "memberDuring")

_DATE = re.compile(r"(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(.*)")


@dataclass(frozen=True)
class DateParts:
    year: int
    month: int | None
    day: int | None

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month" if self.month is not None else "year"


def parse_date(text: str) -> DateParts | None:
    """The year, month and day of a date's lexical form; None if it is not a date."""
    m = _DATE.fullmatch(text)
    if not m:
        return None
    y, mo, d, _ = m.groups()
    if mo is None or not 1 <= int(mo) <= 12:
        return DateParts(int(y), None, None)
    return DateParts(int(y), int(mo), int(d) if d else None)


def pretty_date(text: str, short_months: bool = False) -> str:
    """`2004-01-15` as "15 January 2004" (or "15 Jan 2004"), `2004-01` as "January 2004", `2004`
    as "2004"; text that is not a date, unchanged."""
    m = _DATE.fullmatch(text)
    if not m:
        return text
    y, mo, d, _ = m.groups()
    if mo and 1 <= int(mo) <= 12:
        month = MONTHS[int(mo) - 1][:3] if short_months else MONTHS[int(mo) - 1]
        return f"{int(d)} {month} {y}" if d else f"{month} {y}"
    return y


@dataclass(frozen=True)
class TimeSpan:
    """When something happened. `interval` is true when it was read from an OWL-Time interval,
    whose missing bound means "open", not "the same as the other one"."""
    begin: str | None
    end: str | None
    interval: bool = False

    @property
    def date(self) -> str | None:
        """The date to sort by: the beginning, else the end."""
        return self.begin or self.end

    @property
    def precision(self) -> str | None:
        parts = parse_date(self.date) if self.date else None
        return parts.precision if parts else None

    def pretty(self) -> str:
        """"January 2004", "January – August 2004"-style text: the beginning (or "…"), then the
        end when it differs."""
        text = pretty_date(self.begin) if self.begin else "…"
        if self.end and self.end != self.begin:
            text += f" – {pretty_date(self.end)}"
        return text


def instant_value(g: GraphView, instant: str) -> str | None:
    """The date of an OWL-Time instant (its inXSDDate, else inXSDgYearMonth, else inXSDgYear)."""
    for p in INSTANT_VALUES:
        o = g.first(instant, p)
        if o is not None:
            return o.value
    return None


def interval_bounds(g: GraphView, interval: str) -> tuple[str | None, str | None]:
    """The dates of an interval's beginning and end (None where not given)."""
    b = g.first(interval, TIME + "hasBeginning")
    e = g.first(interval, TIME + "hasEnd")
    return (instant_value(g, b.value) if b is not None else None,
            instant_value(g, e.value) if e is not None else None)


def node_span(g: GraphView, n: str) -> TimeSpan | None:
    """When statement, event or agreement `n` happened (see the module docstring), or None."""
    s = g.first(n, SCHEMA + "startDate")
    e = g.first(n, SCHEMA + "endDate")
    if s is not None or e is not None:
        return TimeSpan(s.value if s is not None else None, e.value if e is not None else None)
    intervals = [i for p in INTERVAL_PROPERTIES for i in g.iris(n, p)]
    intervals += [i for q in g.iris(n, TS + "quantity") for i in g.iris(q, TS + "referencePeriod")]
    for i in intervals:
        b, e2 = interval_bounds(g, i)
        if b or e2:
            return TimeSpan(b, e2, interval=True)
    for p in (TS + "reportedOn", SCHEMA + "datePublished"):
        d = g.first(n, p)
        if d is not None:
            return TimeSpan(d.value, None)
    return None


def time_text(g: GraphView, iri: str, is_instant: bool) -> str:
    """An instant or interval node as text: its date(s), pretty, with any ts:timeText words."""
    if is_instant:
        v = instant_value(g, iri)
        return pretty_date(v) if v else g.label(iri)
    b, e = interval_bounds(g, iri)
    words = [o.value for o in g.objects(iri, TS + "timeText")]
    text = f"{pretty_date(b) if b else '…'} – {pretty_date(e) if e else '…'}" if b or e else g.label(iri)
    return text + (f" ({'; '.join(words)})" if words else "")
