"""Links to Wikidata: the SSSOM mapping file `mappings/wikidata.sssom.tsv`, built only from the
verified list (`../shared/alignment/wikidata-verified.tsv`), and a check that the file and the
`skos:exactMatch` triples of the graph agree.

Regenerate the file (prints the rows left out and the differences with the graph):

    tajsec dev alignment [--verified PATH] [-o mappings/wikidata.sssom.tsv]
    tajsec dev alignment-check              # exit 1 if file and graph disagree

A verified row is mapped to the one entity of ours whose rdfs:label (else skos:altLabel) equals one
of the row's spellings ("US / United States" gives two, "Parliament (of Tajikistan)" gives
"Parliament" and "Parliament of Tajikistan"), case-insensitively. Several entities with that
label are narrowed by the row's entity type (a city is a ts:Settlement, a country a ts:State);
a row with no entity, or still more than one, is left out and reported, never guessed.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import CC_BY_4, MAPPING_SET, RDF_TYPE, RDFS, SCHEMA, SEMAPV, SKOS, TS, TSD, WD, shorten
from tajsec.core.project import Project
from tajsec.core.terms import solutions
from tajsec.io.write import atomic_write_bytes

if TYPE_CHECKING:
    from tajsec.graph.build import Built

WIKIDATA = WD
MAPPING_SET_ID = MAPPING_SET
LICENSE = CC_BY_4
JUSTIFICATION = "semapv:ManualMappingCuration"
CURIE_MAP = {
    "semapv": SEMAPV,
    "skos": SKOS,
    "tsd": TSD,
    "wikidata": WIKIDATA,
}
COLUMNS = ["subject_id", "subject_label", "predicate_id", "object_id", "object_label",
           "mapping_justification", "comment"]

#: entity_type of the verified list -> classes one of which our entity must have.
TYPE_CLASSES = {
    "country": [TS + "State"],
    "city": [TS + "Settlement"],
    "region": [TS + "AdministrativeRegion", TS + "GeographicRegion"],
    "person": [TS + "Person"],
    "ethnic group": [TS + "Collective"],
    "organization": [TS + "Organisation"],
    "government agency": [TS + "Organisation"],
    "legislature": [TS + "Legislature"],
    "event": [TS + "Event", SCHEMA + "Event"],
}
NOT_ENTITIES = [TS + c for c in ("Statement", "Quantity", "Interval", "Instant", "Footnote", "Section")]


@dataclass
class SSSOMRow:
    subject_id: str
    subject_label: str
    predicate_id: str
    object_id: str
    object_label: str
    mapping_justification: str
    comment: str

    def cells(self) -> list[str]:
        return [getattr(self, c) for c in COLUMNS]


@dataclass
class LeftOut:
    label_in_paper: str
    wikidata_qid: str
    reason: str
    candidates: list[str] = field(default_factory=list)


@dataclass
class SSSOMRows:
    rows: list[SSSOMRow]
    left_out: list[LeftOut]
    warnings: list[str] = field(default_factory=list)

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class AlignmentDifference:
    kind: str        # "only in the SSSOM file" | "only in the graph"
    subject: str
    object: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.subject} skos:exactMatch {self.object} ({self.detail})"


def read_verified(path: Path) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def spellings(label_in_paper: str) -> list[str]:
    """The spellings a verified row gives: split at " / ", and for "A (B)" also "A", "B" and "A B"."""
    out: list[str] = []
    for part in (p.strip() for p in label_in_paper.split(" / ")):
        out.append(part)
        m = re.fullmatch(r"(.*?)\s*\((.+)\)\s*", part)
        if m:
            out += [m.group(1), m.group(2), f"{m.group(1)} {m.group(2)}"]
    return list(dict.fromkeys(x for x in out if x))


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().casefold()


def _index(built):
    labels: dict[str, set[str]] = {}
    alts: dict[str, set[str]] = {}
    linked: dict[str, set[str]] = {}  # Wikidata QID -> the entities whose skos:exactMatch names it
    pref: dict[str, str] = {}
    types: dict[str, set[str]] = {}
    skip = set()
    for cls in NOT_ENTITIES:
        for q in built.store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(cls), None):
            skip.add(q.subject.value)
    for q in built.store.quads_for_pattern(None, None, None, None):
        s = q.subject
        if not isinstance(s, ox.NamedNode) or not s.value.startswith(TSD) or s.value in skip:
            continue
        p = q.predicate.value
        if p == RDF_TYPE:
            types.setdefault(s.value, set()).add(q.object.value)
        elif p == RDFS + "label" and isinstance(q.object, ox.Literal):
            labels.setdefault(_key(q.object.value), set()).add(s.value)
            pref.setdefault(s.value, q.object.value)
        elif p == SKOS + "altLabel" and isinstance(q.object, ox.Literal):
            alts.setdefault(_key(q.object.value), set()).add(s.value)
        elif p == SKOS + "exactMatch" and q.object.value.startswith(WIKIDATA):
            linked.setdefault(q.object.value[len(WIKIDATA):], set()).add(s.value)
    return labels, alts, linked, pref, types


def _classes_for(entity_type: str) -> list[str] | None:
    t = entity_type.strip().lower()
    for k, classes in TYPE_CLASSES.items():
        if t == k or t.startswith((k + " ", k + "(")):
            return classes
    return None


def sssom_rows(project: Project, verified_tsv: Path, built: Built | None = None) -> SSSOMRows:
    """The mapping rows for every verified Wikidata item whose entity we have, unambiguously;
    the others in `.left_out` with the reason. `built` defaults to a fresh build."""
    if built is None:
        from tajsec.graph.build import build

        built = build(project)
    labels, alts, linked, pref, types = _index(built)
    rows: list[SSSOMRow] = []
    left: list[LeftOut] = []
    warnings: list[str] = []
    for r in read_verified(verified_tsv):
        label, qid, etype = r["label_in_paper"], r["wikidata_qid"].strip(), r["entity_type"]
        names = spellings(label)
        hits = set().union(*(labels.get(_key(n), set()) for n in names))
        where = "rdfs:label"
        if not hits:
            hits = set().union(*(alts.get(_key(n), set()) for n in names))
            where = "skos:altLabel"
        if not hits:  # the paper's wording differs from the list's ("ethnic Uzbeks" for "Uzbeks")
            hits = linked.get(qid, set())
            where = "skos:exactMatch"
        classes = _classes_for(etype)
        if len(hits) > 1 and classes:
            typed = {h for h in hits if types.get(h, set()) & set(classes)}
            if typed:
                hits = typed
        if not hits:
            left.append(LeftOut(label, qid, "no entity of ours has this label or altLabel"))
            continue
        if len(hits) > 1:
            left.append(LeftOut(label, qid, f"ambiguous: several entities have this {where}", sorted(hits)))
            continue
        iri = next(iter(hits))
        if classes and not types.get(iri, set()) & set(classes):
            warnings.append(f"{label} ({qid}, {etype}) -> tsd:{iri[len(TSD):]}: found by {where}, "
                            f"but not typed {' or '.join(c.rsplit('/', 1)[-1] for c in classes)}")
        rows.append(SSSOMRow(f"tsd:{iri[len(TSD):]}", pref.get(iri, ""), "skos:exactMatch", f"wikidata:{qid}",
                             label, JUSTIFICATION, r["evidence"]))
    # one entity per item and one item per entity, or neither row
    for attr in ("subject_id", "object_id"):
        seen: dict[str, list[SSSOMRow]] = {}
        for row in rows:
            seen.setdefault(getattr(row, attr), []).append(row)
        for key, group in seen.items():
            if len(group) > 1:
                for row in group:
                    rows.remove(row)
                    left.append(LeftOut(row.object_label, row.object_id.split(":", 1)[1],
                                        f"ambiguous: {key} would be mapped {len(group)} times",
                                        sorted({g.subject_id for g in group})))
    rows.sort(key=lambda x: (x.subject_id, x.object_id))
    left.sort(key=lambda x: (x.label_in_paper, x.wikidata_qid))
    return SSSOMRows(rows, left, warnings)


def sssom_text(rows: SSSOMRows | list[SSSOMRow]) -> str:
    """The SSSOM/TSV file: the YAML metadata block ('#' lines), the header, the rows."""
    head = ["curie_map:"]
    head += [f"  {k}: {v}" for k, v in sorted(CURIE_MAP.items())]
    head += [
        f"mapping_set_id: {MAPPING_SET_ID}",
        "mapping_set_title: \"tajsec entities to Wikidata items\"",
        ("mapping_set_description: \"Links from the entities of the tajsec knowledge graph (built from "
        "A. Matveeva, Tajikistan: Evolution of the Security Sector and the War on Terror) to Wikidata "
        "items, generated by tajsec dev alignment from the verified list "
        "../shared/alignment/wikidata-verified.tsv only; the comment column holds the evidence of "
        "each row; every row is manual curation (semapv:ManualMappingCuration).\""),
        f"license: {LICENSE}",
    ]
    for c in "\t\n\r":
        for row in rows:
            if any(c in cell for cell in row.cells()):
                raise ValueError(f"a cell of {row.subject_id} holds a tab or line break")
    lines = ["# " + h for h in head]
    lines.append("\t".join(COLUMNS))
    lines += ["\t".join(row.cells()) for row in rows]
    return "\n".join(lines) + "\n"


def write_sssom(path: Path, rows: SSSOMRows | list[SSSOMRow]) -> None:
    atomic_write_bytes(Path(path), sssom_text(rows).encode("utf-8"))


def read_sssom(path: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The curie_map and the rows of an SSSOM/TSV file (only the parts we write)."""
    curie_map: dict[str, str] = {}
    body: list[str] = []
    in_map = False
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            meta = line[1:].strip("\n")
            if meta.strip() == "curie_map:":
                in_map = True
                continue
            m = re.match(r"^\s{2,}([\w.-]+):\s*(\S+)\s*$", meta)
            if in_map and m:
                curie_map[m.group(1)] = m.group(2).strip("\"'")
                continue
            in_map = False
            continue
        body.append(line)
    return curie_map, list(csv.DictReader(body, delimiter="\t"))


def _expand(curie: str, curie_map: dict[str, str]) -> str:
    if ":" in curie:
        p, local = curie.split(":", 1)
        if p in curie_map:
            return curie_map[p] + local
    return curie


def check_alignment(built: Built, sssom_path: Path) -> list[AlignmentDifference]:
    """Differences between the SSSOM file and the skos:exactMatch links to Wikidata in the graph:
    a mapping only in the file, or a link only in the graph (with what the other side says about
    the same entity or the same item)."""
    curie_map, rows = read_sssom(sssom_path)
    in_file = {(_expand(r["subject_id"], curie_map), _expand(r["object_id"], curie_map))
               for r in rows if _expand(r["predicate_id"], curie_map) == SKOS + "exactMatch"}
    in_graph = set()
    for r in solutions(built.query(f"""SELECT DISTINCT ?s ?o WHERE {{ ?s <{SKOS}exactMatch> ?o
                             FILTER(isIRI(?s) && STRSTARTS(STR(?o), "{WIKIDATA}")) }}""")):
        in_graph.add((r["s"].value, r["o"].value))

    def short(iri: str) -> str:
        name = shorten(iri, {"tsd": TSD, "wikidata": WIKIDATA})
        return f"<{iri}>" if name == iri else name

    def other(side: set, s: str, o: str) -> str:
        same_s = sorted(short(b) for a, b in side if a == s and b != o)
        same_o = sorted(short(a) for a, b in side if b == o and a != s)
        parts = []
        if same_s:
            parts.append(f"there {short(s)} is mapped to {', '.join(same_s)}")
        if same_o:
            parts.append(f"there {short(o)} is mapped from {', '.join(same_o)}")
        return "; ".join(parts) or "no mapping of either there"

    diffs = [AlignmentDifference("only in the SSSOM file", short(s), short(o), "graph: " + other(in_graph, s, o))
             for s, o in in_file - in_graph]
    diffs += [AlignmentDifference("only in the graph", short(s), short(o), "SSSOM file: " + other(in_file, s, o))
              for s, o in in_graph - in_file]
    return sorted(diffs, key=lambda d: (d.subject, d.object, d.kind))
