"""The merge report: inputs, matches, candidates, conflicts, ontology changes and unresolved
imports, as data, JSON and text."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from tajsec.merge.terms import short
from tajsec.merge.vocabulary import REPORT_LIMIT


@dataclass
class InputInfo:
    path: str            # as given by the caller
    graph: str
    sha256: str
    media_type: str
    size: int
    triples_parsed: int  # distinct triples (quads) in the file
    triples_kept: int    # in the merged output
    left_out: int        # ontology changes and owl:imports not kept
    subgraphs: dict[str, str] = field(default_factory=dict)  # original graph name -> our graph
    duplicate_of: str | None = None


@dataclass
class Match:
    ours: str
    theirs: str
    input: str
    basis: str           # "same IRI" | "shared external IRI" | "linked with skos:exactMatch" ...
    via: str | None
    our_label: str | None
    their_label: str | None


@dataclass
class Candidate:
    ours: str
    theirs: str
    input: str
    our_label: str
    their_label: str
    normalised: str
    rule: str            # "same spelling after normalisation" | "same consonant skeleton"


@dataclass
class Value:
    value: str
    source: str
    node: str | None = None
    detail: str | None = None


@dataclass
class Conflict:
    ours: str
    theirs: str
    input: str
    basis: str
    property: str
    ours_values: list[Value]
    theirs_values: list[Value]


@dataclass
class OntologyChange:
    input: str
    subject: str
    predicate: str
    object: str
    reason: str
    kept: bool

    @property
    def ntriple(self) -> str:
        return f"{self.subject} {self.predicate} {self.object} ."


@dataclass
class UnresolvedImport:
    input: str
    subject: str
    imported: str


@dataclass
class MergeReport:
    inputs: list[InputInfo] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    ontology_changes: list[OntologyChange] = field(default_factory=list)
    ontology_changes_total: int = 0
    standard_term_axioms: list[OntologyChange] = field(default_factory=list)
    unresolved_imports: list[UnresolvedImport] = field(default_factory=list)
    new_entities: dict[str, list[str]] = field(default_factory=dict)
    new_entities_total: dict[str, int] = field(default_factory=dict)
    allow_ontology_changes: bool = False
    timestamp: str | None = None

    @property
    def has_findings(self) -> bool:
        """Conflicts, ontology changes or unresolved imports: what a reviewer must look at."""
        return bool(self.conflicts or self.ontology_changes or self.unresolved_imports)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["summary"] = {
            "inputs": len(self.inputs), "matches": len(self.matches), "candidates": len(self.candidates),
            "conflicts": len(self.conflicts), "ontology_changes": self.ontology_changes_total,
            "ontology_changes_kept": self.allow_ontology_changes,
            "standard_term_axioms": len(self.standard_term_axioms),
            "unresolved_imports": len(self.unresolved_imports),
            "new_entities": sum(self.new_entities_total.values()),
        }
        return d

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n"

    def as_text(self) -> str:
        s = short
        out = [f"tajsec merge: {len(self.inputs)} input(s)"]
        for i in self.inputs:
            if i.duplicate_of:
                out.append(f"  {i.path}: same content as {i.duplicate_of}, merged once")
                continue
            out.append(f"  {i.path}  sha256 {i.sha256[:12]}…  {i.triples_parsed} triples parsed, "
                       f"{i.triples_kept} kept  -> <{i.graph}>")
            for orig, g in sorted(i.subgraphs.items()):
                out.append(f"      named graph {orig} -> <{g}>")
        out.append(f"entities both sides describe: {len(self.matches)}")
        for m in self.matches:
            via = f" {s(m.via)}" if m.via else ""
            out.append(f"  {s(m.ours)} = {s(m.theirs)}  ({m.basis}{via}; {m.input})")
        out.append(f"candidate matches by label, for review (not asserted): {len(self.candidates)}")
        for c in self.candidates:
            out.append(f"  {s(c.ours)} {c.our_label!r} ~ {s(c.theirs)} {c.their_label!r}  "
                       f"({c.rule}: {c.normalised!r}; {c.input})")
        out.append(f"conflicting values (both kept): {len(self.conflicts)}")
        for conflict in self.conflicts:
            out.append(f"  {s(conflict.ours)} ~ {s(conflict.theirs)} ({conflict.basis}): {conflict.property}")
            for side, values in (("ours  ", conflict.ours_values), ("theirs", conflict.theirs_values)):
                for v in values:
                    extra = "; ".join(x for x in (s(v.node) if v.node else None, v.detail) if x)
                    out.append(f"      {side} {v.value}  [{v.source}{'; ' + extra if extra else ''}]")
        verb = "kept (--allow-ontology-changes)" if self.allow_ontology_changes else "left out"
        out.append(f"changes to our ontology, {verb}: {self.ontology_changes_total}")
        for h in self.ontology_changes:
            out.append(f"  {s(h.subject)} {s(h.predicate)} {s(h.object)}  ({h.reason}; {h.input})")
        if self.ontology_changes_total > len(self.ontology_changes):
            out.append(f"  … and {self.ontology_changes_total - len(self.ontology_changes)} more (--format json)")
        if self.standard_term_axioms:
            out.append(f"axioms about standard terms we use, kept: {len(self.standard_term_axioms)}")
            for h in self.standard_term_axioms:
                out.append(f"  {s(h.subject)} {s(h.predicate)} {s(h.object)}  ({h.input})")
        out.append(f"owl:imports stripped, not fetched (unresolved): {len(self.unresolved_imports)}")
        for u in self.unresolved_imports:
            out.append(f"  {s(u.subject)} owl:imports {s(u.imported)}  ({u.input})")
        for path, ents in self.new_entities.items():
            total = self.new_entities_total.get(path, len(ents))
            out.append(f"entities only in {path}: {total}")
            for e in ents[:20]:
                out.append(f"  {e}")
            if total > 20:
                out.append(f"  … and {total - 20} more (--format json lists up to {REPORT_LIMIT})")
        return "\n".join(out) + "\n"
