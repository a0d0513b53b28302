"""The one shape of a SHACL validation result, whichever engine found it.

Terms stay pyoxigraph terms (not strings), so a value keeps its datatype or language tag and a
blank node stays a blank node; `as_dict` gives the plain-string form (the camelCase keys of the
SHACL vocabulary) for JSON output and for comparing engines."""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from tajsec.core.namespaces import PREFIXES

SH = PREFIXES["sh"]
VIOLATION = ox.NamedNode(SH + "Violation")
SEVERITIES = ["Info", "Warning", "Violation"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class ValidationResult:
    focus: Term
    path: ox.NamedNode | ox.BlankNode | None
    value: Term | None
    component: ox.NamedNode
    severity: ox.NamedNode
    shape: ox.NamedNode | ox.BlankNode
    message: str

    @property
    def severity_name(self) -> str:
        """"Violation", "Warning" or "Info" (the local name of sh:resultSeverity)."""
        return self.severity.value.rsplit("#", 1)[-1]

    @property
    def is_violation(self) -> bool:
        return self.severity == VIOLATION

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.focus.value, self.shape.value, _lexical(self.path), _lexical(self.value))

    def as_dict(self) -> dict[str, str | None]:
        """IRIs, blank-node labels and lexical forms as strings, under the SHACL property names."""
        return {
            "focusNode": self.focus.value,
            "resultPath": None if self.path is None else self.path.value,
            "value": None if self.value is None else self.value.value,
            "sourceShape": self.shape.value,
            "sourceConstraintComponent": self.component.value,
            "severity": self.severity.value,
            "message": self.message,
        }

    def as_json(self) -> dict[str, str | None]:
        """The item `tajsec check --format json` lists (check.Detail)."""
        return self.as_dict()

    def describe(self) -> str:
        """One line for `tajsec check` (check.Detail)."""
        return f"{self.focus.value} {_lexical(self.path)}: {self.message}"


def _lexical(term: Term | None) -> str:
    return "" if term is None else term.value


@dataclass(frozen=True)
class Report:
    """A validation report: the results, and sh:conforms (true exactly when there are no
    results, whatever their severity: SHACL 3.6.1)."""
    results: list[ValidationResult]

    @property
    def conforms(self) -> bool:
        return not self.results


def sort_results(results: list[ValidationResult]) -> list[ValidationResult]:
    """The order both engines report in (stable: ties keep the order they were found in)."""
    return sorted(results, key=ValidationResult.sort_key)
