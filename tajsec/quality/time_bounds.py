"""`tajsec dev time-bounds`: comparable values for every date the paper states (issue 14).

Two things are written, both derived from what the files already say, so the command is
re-runnable, deterministic and idempotent:

1. every `ts:Instant` with a stated calendar value (`time:inXSDgYear`, `time:inXSDgYearMonth`,
   `time:inXSDDate`) gets `ts:notBefore` / `ts:notAfter` (inclusive `xsd:dateTime`: the first
   second of its first day, the last second of its last day; no time zone) and `ts:precision`
   (`time:unitYear`, `time:unitMonth`, `time:unitDay`), the time model of ontology/README.md
   (pattern 16). Lines already there are replaced, so a changed value gets new bounds.
2. every event with a `schema:startDate` and no `schema:endDate` gets `time:hasTime` the shared
   instant `tsd:time-<the same lexical value>` when it has no `time:hasTime` yet. An event whose
   instant does not exist, or whose `time:hasTime` names another node, is reported, not changed.

Inferred instants (no calendar value, only bounds with `ts:boundReason`) are written by hand and
never touched here. Files are rewritten line by line and atomically, only when their text changes;
run `make format` afterwards.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tajsec.core.namespaces import PREFIXES, TS, TSD
from tajsec.io.turtle_lines import insert_properties, lines_by_subject
from tajsec.io.write import atomic_write_bytes

if TYPE_CHECKING:
    from tajsec.graph.build import Built

TIME = PREFIXES["time"]
SCHEMA = PREFIXES["schema"]
_UNITS = {"year": "time:unitYear", "month": "time:unitMonth", "day": "time:unitDay"}
_VALUE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")

_INSTANTS = f"""
SELECT ?i ?v WHERE {{
  ?i a <{TS}Instant> ; <{TIME}inXSDgYear>|<{TIME}inXSDgYearMonth>|<{TIME}inXSDDate> ?v .
  FILTER(STRSTARTS(STR(?i), "{TSD}"))
}}"""

_EVENTS = f"""
PREFIX rdfs: <{PREFIXES['rdfs']}>
SELECT ?e ?d ?t WHERE {{
  ?e a ?c . ?c rdfs:subClassOf* <{TS}Event> . ?e <{SCHEMA}startDate> ?d .
  FILTER(STRSTARTS(STR(?e), "{TSD}"))
  FILTER NOT EXISTS {{ ?e <{SCHEMA}endDate> ?end }}
  OPTIONAL {{ ?e <{TIME}hasTime> ?t }}
}}"""


@dataclass(frozen=True)
class Normalised:
    """A stated value's bounds (xsd:dateTime lexical forms) and precision ("year", "month", "day")."""
    not_before: str
    not_after: str
    precision: str


def normalise(value: str) -> Normalised:
    """The bounds and precision of a stated date's lexical form (YYYY, YYYY-MM or YYYY-MM-DD);
    ValueError if it is none of these or not a real date."""
    m = _VALUE.fullmatch(value.strip())
    if not m:
        raise ValueError(f"{value!r} is not a year, month or day (YYYY, YYYY-MM, YYYY-MM-DD)")
    y, mo, d = m.groups()
    year = int(y)
    if mo is None:
        return Normalised(f"{y}-01-01T00:00:00", f"{y}-12-31T23:59:59", "year")
    month = int(mo)
    if not 1 <= month <= 12:
        raise ValueError(f"{value!r}: no month {mo}")
    last = calendar.monthrange(year, month)[1]
    if d is None:
        return Normalised(f"{y}-{mo}-01T00:00:00", f"{y}-{mo}-{last:02d}T23:59:59", "month")
    if not 1 <= int(d) <= last:
        raise ValueError(f"{value!r}: no day {d} in that month")
    return Normalised(f"{y}-{mo}-{d}T00:00:00", f"{y}-{mo}-{d}T23:59:59", "day")


@dataclass
class Plan:
    """What to write: instant local name -> its bounds; event local name -> instant local name."""
    instants: dict[str, Normalised] = field(default_factory=dict)
    events: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _local(iri: str) -> str:
    return iri[len(TSD):] if iri.startswith(TSD) else iri


def plan_time_bounds(built: Built) -> Plan:
    """The bounds of every stated instant and the instant of every single-dated event."""
    out = Plan()
    for sol in built.store.query(_INSTANTS, use_default_graph_as_union=True):  # type: ignore[union-attr]
        name = _local(sol["i"].value)
        try:
            out.instants[name] = normalise(sol["v"].value)
        except ValueError as e:
            out.problems.append(f"{name}: {e}")
    for sol in built.store.query(_EVENTS, use_default_graph_as_union=True):  # type: ignore[union-attr]
        name, wanted = _local(sol["e"].value), f"time-{sol['d'].value}"
        has = sol["t"]
        if has is not None:
            if _local(has.value) != wanted:
                out.problems.append(f"{name}: schema:startDate {sol['d'].value} but time:hasTime "
                                    f"{_local(has.value)} (expected tsd:{wanted})")
            continue
        if wanted not in out.instants:
            out.problems.append(f"{name}: no instant tsd:{wanted} for its schema:startDate")
            continue
        out.events[name] = wanted
    return out


_BOUND_LINE = re.compile(r"^\s+ts:(?:notBefore|notAfter|precision)\s")
_VALUE_LINE = re.compile(r"^(\s+)time:inXSD(?:gYear|gYearMonth|Date)\s.*([;.])\s*$")
_START_LINE = re.compile(r"^(\s+)schema:startDate\s.*([;.])\s*$")


def rewrite_turtle(text: str, plan: Plan) -> tuple[str, set[str]]:
    """`text` with the planned lines written; returns it and the planned names written."""
    out: list[str] = []
    done: set[str] = set()
    for current, line in lines_by_subject(text):
        if current in plan.instants:
            if _BOUND_LINE.match(line):
                continue  # written again below
            v = _VALUE_LINE.match(line)
            if v and current not in done:
                n = plan.instants[current]
                insert_properties(out, line, v.group(1), v.group(2), [
                    f'ts:notBefore "{n.not_before}"^^xsd:dateTime',
                    f'ts:notAfter "{n.not_after}"^^xsd:dateTime',
                    f"ts:precision {_UNITS[n.precision]}"])
                done.add(current)
                continue
        if current in plan.events and current not in done:
            s = _START_LINE.match(line)
            if s:
                insert_properties(out, line, s.group(1), s.group(2), [f"time:hasTime tsd:{plan.events[current]}"])
                done.add(current)
                continue
        out.append(line)
    new = "".join(out)
    for prefix in ("time", "xsd"):
        if f" {prefix}:" in new and f"@prefix {prefix}:" not in new:
            new = _add_prefix(new, prefix)
    return new, done


def _add_prefix(text: str, prefix: str) -> str:
    """`text` with an `@prefix` line for `prefix`, in order among the others."""
    line = f"@prefix {prefix}: <{PREFIXES[prefix]}> .\n"
    lines = text.splitlines(keepends=True)
    at = next((k for k, x in enumerate(lines) if x.startswith("@prefix ") and x > line), None)
    if at is None:
        at = max((k + 1 for k, x in enumerate(lines) if x.startswith("@prefix ")), default=0)
    return "".join([*lines[:at], line, *lines[at:]])


def write_time_bounds(files: list[Path], plan: Plan) -> tuple[list[Path], set[str]]:
    """Rewrite the files (atomically, only those that change); returns the changed files and the
    planned names found in none of them."""
    changed: list[Path] = []
    missing = set(plan.instants) | set(plan.events)
    for f in sorted(files):
        text = f.read_text(encoding="utf-8")
        new, done = rewrite_turtle(text, plan)
        missing -= done
        if new != text:
            atomic_write_bytes(f, new.encode("utf-8"))
            changed.append(f)
    return changed, missing


__all__ = ["Normalised", "Plan", "normalise", "plan_time_bounds", "rewrite_turtle", "write_time_bounds"]
