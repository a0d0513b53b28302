"""tajsec.core.xsd against the rules of XSD 1.1 Part 2 (Datatypes), as RDF 1.1 uses them.

The expected values are the specification's, written out here (ranges of the integer types,
days in a month with the proleptic Gregorian leap rule of section D.3.5 where year 0000 is
1 BCE, time zones between -14:00 and +14:00, 24:00:00 as the only hour 24, ...), never read from
the module under test. Hypothesis generates values on both sides of each rule.
"""
from __future__ import annotations

import base64
import calendar

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tajsec.core.xsd import ill_typed_literals, xsd_well_formed

XSD = "http://www.w3.org/2001/XMLSchema#"


def ok(lexical: str, datatype: str) -> bool | None:
    return xsd_well_formed(lexical, XSD + datatype)


# --- integer types: the bounds of section 3.4 (inclusive at both ends) ---------------------------

BOUNDS = {
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "long": (-9223372036854775808, 9223372036854775807), "int": (-2147483648, 2147483647),
    "short": (-32768, 32767), "byte": (-128, 127),
    "unsignedLong": (0, 18446744073709551615), "unsignedInt": (0, 4294967295),
    "unsignedShort": (0, 65535), "unsignedByte": (0, 255),
}


@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_integer_types_are_inclusive_at_their_bounds(name):
    lo, hi = BOUNDS[name]
    if lo is not None:
        assert ok(str(lo), name) is True
        assert ok(str(lo - 1), name) is False
    if hi is not None:
        assert ok(str(hi), name) is True
        assert ok(str(hi + 1), name) is False
    inside = lo if lo is not None else hi
    assert ok(f"+{inside}" if inside >= 0 else str(inside), name) is True
    for bad in ("", "1.0", "1e2", " 1", "0x10", "--1"):
        assert ok(bad, name) is False


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(BOUNDS)), st.integers(min_value=-(2 ** 70), max_value=2 ** 70))
def test_integer_types_accept_exactly_their_range(name, n):
    lo, hi = BOUNDS[name]
    inside = (lo is None or n >= lo) and (hi is None or n <= hi)
    assert ok(str(n), name) is inside
    assert ok(str(n).zfill(25), name) is inside  # leading zeros change nothing


def test_integer_lexical_space():
    for good in ("0", "-0", "+0", "007", "-12345678901234567890123"):
        assert ok(good, "integer") is True
    for bad in ("", "+", "-", "1.", "1 ", "1,000", "+-1"):
        assert ok(bad, "integer") is False


# --- dates: day of month, leap years, time zones --------------------------------------------------

def days_in(year: int, month: int) -> int:
    # XSD 1.1 D.3.5: year 0000 is 1 BCE, a leap year; Python's calendar has no year 0, but
    # the proleptic Gregorian rule is periodic in 400 years, so shifting by 400*k is exact.
    return calendar.monthrange(year % 400 + 2000, month)[1]


def year_text(year: int) -> str:
    return ("-" if year < 0 else "") + str(abs(year)).zfill(4)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-99999, max_value=99999), st.integers(1, 12), st.integers(1, 31))
def test_date_accepts_exactly_the_days_of_the_month(year, month, day):
    lexical = f"{year_text(year)}-{month:02d}-{day:02d}"
    valid = day <= days_in(year, month)
    assert ok(lexical, "date") is valid
    assert ok(lexical + "T12:00:00", "dateTime") is valid
    assert ok(lexical + "T12:00:00Z", "dateTimeStamp") is valid
    assert ok(lexical + "Z", "date") is valid


@pytest.mark.parametrize("year,leap", [(2000, True), (1900, False), (2004, True), (2003, False),
                                       (0, True), (-4, True), (-1, False), (-100, False), (-400, True),
                                       (-1600, True), (-1200, True), (-10000, True), (-2100, False)])
def test_february_29_follows_the_leap_rule(year, leap):
    assert ok(f"{year_text(year)}-02-29", "date") is leap
    assert ok(f"{year_text(year)}-02-28", "date") is True


def test_date_rejects_what_is_no_date():
    for bad in ("2004-00-01", "2004-13-01", "2004-01-00", "2004-01-32", "04-01-01", "2004-1-01",
                "+2004-01-01", "02004-01-01", "2004-01-01T00:00:00"):
        assert ok(bad, "date") is False, bad
    assert ok("12004-01-01", "date") is True  # more than four digits, no leading zero


@settings(max_examples=200, deadline=None)
@given(st.sampled_from("+-"), st.integers(0, 23), st.integers(0, 99))
def test_time_zones_run_from_minus_to_plus_fourteen_hours(sign, hours, minutes):
    zone = f"{sign}{hours:02d}:{minutes:02d}"
    valid = minutes <= 59 and (hours < 14 or (hours == 14 and minutes == 0))
    for name, lexical in [("date", "2004-04-12"), ("time", "13:20:00"), ("gYear", "2004"),
                          ("gDay", "---15"), ("dateTimeStamp", "2004-04-12T13:20:00")]:
        assert ok(lexical + zone, name) is valid, (name, zone)


def test_date_time_stamp_needs_a_time_zone():
    assert ok("2004-04-12T13:20:00", "dateTimeStamp") is False
    assert ok("2004-04-12T13:20:00", "dateTime") is True


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 24), st.integers(0, 60), st.integers(0, 60), st.sampled_from(["", ".0", ".000", ".5", ".05"]))
def test_time_of_day(h, m, s, fraction):
    lexical = f"{h:02d}:{m:02d}:{s:02d}{fraction}"
    if h == 24:
        valid = m == 0 and s == 0 and fraction.strip(".0") == ""  # 24:00:00, with zeros only
    else:
        valid = m <= 59 and s <= 59
    assert ok(lexical, "time") is valid
    assert ok("2004-04-12T" + lexical, "dateTime") is valid


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 13), st.integers(0, 40))
def test_g_month_day_and_g_day(month, day):
    # gMonthDay allows February 29 (it has no year); other months up to their length
    valid_md = 1 <= month <= 12 and 1 <= day <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    assert ok(f"--{month:02d}-{day:02d}", "gMonthDay") is valid_md
    assert ok(f"---{day:02d}", "gDay") is (1 <= day <= 31)
    assert ok(f"--{month:02d}", "gMonth") is (1 <= month <= 12)
    assert ok(f"2004-{month:02d}", "gYearMonth") is (1 <= month <= 12)


def test_g_types_shapes():
    for good, name in [("2004", "gYear"), ("-0001", "gYear"), ("--12-31", "gMonthDay"), ("---31Z", "gDay")]:
        assert ok(good, name) is True
    for bad, name in [("04", "gYear"), ("2004-", "gYear"), ("-12-31", "gMonthDay"), ("--1-31", "gMonthDay"),
                      ("--12", "gDay"), ("---1", "gDay")]:
        assert ok(bad, name) is False


# --- durations ---------------------------------------------------------------------------------

@pytest.mark.parametrize("lexical,duration,year_month,day_time", [
    ("P1Y2M3DT4H5M6.7S", True, False, False), ("-P1D", True, False, True), ("P0Y", True, True, False),
    ("-P1Y2M", True, True, False), ("PT1H", True, False, True), ("PT0.5S", True, False, True),
    ("P1DT1M", True, False, True), ("PT1H30S", True, False, True), ("P2M10D", True, False, False),
    ("P", False, False, False), ("-P", False, False, False), ("PT", False, False, False),
    ("P1DT", False, False, False), ("P1.5Y", False, False, False), ("P1S", False, False, False),
    ("PT1D", False, False, False), ("P-1D", False, False, False), ("1D", False, False, False),
    ("P1M1Y", False, False, False), ("PT1S1M", False, False, False), ("P1Y T1H", False, False, False),
])
def test_durations(lexical, duration, year_month, day_time):
    assert ok(lexical, "duration") is duration
    assert ok(lexical, "yearMonthDuration") is year_month
    assert ok(lexical, "dayTimeDuration") is day_time


# --- numbers, booleans -------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True))
def test_every_python_float_written_the_xsd_way_is_a_double(x):
    lexical = "NaN" if x != x else ("INF" if x == float("inf") else "-INF" if x == float("-inf") else repr(x))
    assert ok(lexical, "double") is True
    assert ok(lexical, "float") is True


def test_double_and_decimal_special_values():
    for good in ("NaN", "INF", "+INF", "-INF", "1e3", "1E-3", ".5e1", "5.", "-0"):
        assert ok(good, "double") is True, good
    for bad in ("nan", "inf", "-NaN", "1e", "e3", "1.2.3", "", "Infinity"):
        assert ok(bad, "double") is False, bad
    for good in ("1", "-1.5", ".5", "5.", "+0.0"):
        assert ok(good, "decimal") is True, good
    for bad in ("NaN", "INF", "1e3", ".", "", "1.5."):
        assert ok(bad, "decimal") is False, bad


def test_boolean():
    assert [ok(v, "boolean") for v in ("true", "false", "1", "0")] == [True] * 4
    assert [ok(v, "boolean") for v in ("True", "FALSE", "yes", "2", "", "01")] == [False] * 6


# --- binary ------------------------------------------------------------------------------------

@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=40))
def test_binary_encodings_of_any_bytes(data):
    assert ok(data.hex(), "hexBinary") is True
    assert ok(data.hex().upper(), "hexBinary") is True
    assert ok(data.hex() + "a", "hexBinary") is False  # an odd number of digits is no octet sequence
    assert ok(base64.b64encode(data).decode(), "base64Binary") is True
    if data:
        assert ok(base64.b64encode(data).decode().rstrip("=") + "=" * 3, "base64Binary") is False


def test_binary_rejects_other_characters():
    assert ok("0g", "hexBinary") is False
    assert ok("QQ==", "base64Binary") is True
    assert ok("QR==", "base64Binary") is False  # the last digit before == carries 4 bits, not 6
    assert ok("QUI=", "base64Binary") is True
    assert ok("QUJ=", "base64Binary") is False
    assert ok("Q", "base64Binary") is False


# --- strings and names ------------------------------------------------------------------------

@pytest.mark.parametrize("name,good,bad", [
    ("language", ["en", "en-GB", "zh-Hant-TW", "x-klingon", "abcdefgh"], ["", "abcdefghi", "en_GB", "-en", "en-", "1a"]),
    ("normalizedString", ["", "a b", "  lead"], ["a\nb", "a\rb", "a\tb"]),
    ("token", ["", "a b", "a"], [" a", "a ", "a  b", "a\nb", "a\tb"]),
    ("NMTOKEN", ["a", "1a", "-", "a:b.c"], ["", "a b"]),
    ("Name", ["a", "_a", ":a", "a:b", "a-1.2"], ["", "1a", "-a", ".a", "a b"]),
    ("NCName", ["a", "_a", "a-1.2"], ["", ":a", "a:b", "1a", "-a"]),
])
def test_string_and_name_types(name, good, bad):
    assert [ok(v, name) for v in good] == [True] * len(good)
    assert [ok(v, name) for v in bad] == [False] * len(bad)


def test_unconstrained_and_unknown_datatypes():
    for name in ("string", "anyURI", "anySimpleType", "anyAtomicType"):
        assert ok("any thing at all \n", name) is True
    assert ok("x", "NOTATION") is None  # an XSD name the module does not check
    assert xsd_well_formed("x", "http://example.org/dt") is None  # not XSD at all
    assert xsd_well_formed("x", "http://www.w3.org/2001/XMLSchemaXinteger") is None


# --- ill_typed_literals: the one query over a store ------------------------------------------------

EX = "http://example.org/"


def lit(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


@pytest.fixture()
def store() -> ox.Store:
    s = ox.Store()
    facts = [("a", lit("2004-02-30", "date")), ("a", lit("2004-02-28", "date")), ("b", lit("en gb", "language")),
             ("b", lit("en-GB", "language")), ("c", lit("x y", "NCName")), ("c", lit("xy", "NCName")),
             ("a", lit("abc", "integer"))]
    for p, o in facts:
        s.add(ox.Quad(ox.NamedNode(EX + "s"), ox.NamedNode(EX + p), o, ox.NamedNode(EX + "g")))
    return s


def values(found: dict) -> dict[str, list[str]]:
    return {dt[len(XSD):]: sorted(x.value for x in lits) for dt, lits in found.items()}


# (A store keeps the derived integer types and xsd:dateTimeStamp as xsd:integer and xsd:dateTime,
# so their ill-typed literals cannot be found in a store: the loader checks them as parsed,
# tests/test_load_rules.py.)

def test_ill_typed_literals_of_any_predicate(store):
    found = ill_typed_literals(store, [XSD + "date", XSD + "language", XSD + "NCName", XSD + "integer"])
    assert values(found) == {"date": ["2004-02-30"], "language": ["en gb"], "NCName": ["x y"], "integer": ["abc"]}


def test_ill_typed_literals_only_of_the_datatypes_asked(store):
    assert values(ill_typed_literals(store, {XSD + "language"})) == {"language": ["en gb"]}
    assert ill_typed_literals(store, []) == {}


def test_ill_typed_literals_only_on_the_predicates_given(store):
    by_predicate = {XSD + "date": {EX + "b"}, XSD + "language": {EX + "b"}, XSD + "integer": {EX + "z"}}
    assert values(ill_typed_literals(store, by_predicate)) == {"language": ["en gb"]}
    assert values(ill_typed_literals(store, {XSD + "date": {EX + "a"}, XSD + "language": None})) == {
        "date": ["2004-02-30"], "language": ["en gb"]}
    assert ill_typed_literals(store, {XSD + "date": set(), XSD + "language": set()}) == {}


@pytest.mark.parametrize("year", [2003, 2004, 2000, 1900])
def test_every_day_of_every_month_in_a_year(year):
    # exhaustive where hypothesis would only sample: each month's last day, and the day after it
    for month in range(1, 13):
        last = calendar.monthrange(year, month)[1]
        for day in range(1, 33):
            assert ok(f"{year}-{month:02d}-{day:02d}", "date") is (day <= last), (year, month, day)


def test_every_month_day_without_a_year():
    for month in range(1, 13):
        last = 29 if month == 2 else calendar.monthrange(2003, month)[1]  # --02-29 is a gMonthDay
        for day in range(1, 33):
            assert ok(f"--{month:02d}-{day:02d}", "gMonthDay") is (day <= last), (month, day)


def test_g_month_day_with_a_time_zone():
    assert ok("--04-30+05:00", "gMonthDay") is True
    assert ok("--04-31Z", "gMonthDay") is False
    assert ok("--02-29-14:00", "gMonthDay") is True
