"""OWL 2 DL reasoning with HermiT (through owlready2), run in a subprocess with a timeout.

owlready2 reads N-Triples, not Turtle, so the asserted ontology and instances are written as
N-Triples first. Before that, anything that would make owlready2 reach outside is removed:
owl:imports (it fetches them) and owlready2's python_module annotations (it imports them).
HermiT is the authority on OWL 2 DL consistency and unsatisfiable classes, but it is not paid on
every run: its answer is cached under build/cache, keyed by the SHA-256 of the ontology's
triples (it reasons over ontology and data together when it runs). When only the data has
changed, the OWL 2 RL consistency rules (queries/owlrl-clashes.rq) check the data instead.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from tajsec.core.namespaces import OWL_IMPORTS as OWL_IMPORTS_IRI
from tajsec.core.namespaces import OWLREADY_PYTHON_MODULE
from tajsec.core.terms import solutions

if TYPE_CHECKING:
    from tajsec.graph.build import Built

OWL_IMPORTS = ox.NamedNode(OWL_IMPORTS_IRI)
PYTHON_MODULE = OWLREADY_PYTHON_MODULE


@dataclass
class ReasoningResult:
    consistent: bool | None
    unsatisfiable: list[str] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    cached: bool = False


def reasoner_input(store: ox.Store, graphs: Collection[ox.NamedNode] | None) -> bytes:
    lines = set()
    for q in store.quads_for_pattern(None, None, None, None):
        if graphs is not None and q.graph_name not in graphs:
            continue
        if q.predicate == OWL_IMPORTS or q.predicate.value == PYTHON_MODULE:
            continue
        lines.add(f"{ox.Triple(q.subject, q.predicate, q.object)} .\n")
    return "".join(sorted(lines)).encode("utf-8")


_WORKER = r"""
import json, sys, time
import owlready2
from owlready2 import World, sync_reasoner_hermit, OwlReadyInconsistentOntologyError

path = sys.argv[1]
t0 = time.time()
world = World()
onto = world.get_ontology("file://" + path).load(format="ntriples", only_local=True)
out = {"consistent": True, "unsatisfiable": []}
try:
    with onto:
        sync_reasoner_hermit(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
    nothing = owlready2.Nothing
    out["unsatisfiable"] = sorted(c.iri for c in world.inconsistent_classes() if c is not nothing)
except OwlReadyInconsistentOntologyError:
    out["consistent"] = False
out["seconds"] = round(time.time() - t0, 3)
print(json.dumps(out))
"""


def run_hermit(nt: bytes, cache_dir: Path | None, timeout: float = 300.0, key: str | None = None) -> ReasoningResult:
    """HermiT over `nt`; with a cache_dir, the answer is stored under `key` (default: the hash
    of `nt`) and reused while the key is unchanged."""
    key = key or hashlib.sha256(nt).hexdigest()
    cache_file = cache_dir / f"hermit-{key}.json" if cache_dir else None
    if cache_file and cache_file.is_file():
        data = json.loads(cache_file.read_text())
        return ReasoningResult(**{**data, "cached": True})
    with tempfile.TemporaryDirectory(prefix="tajsec-hermit-") as tmp:
        src = Path(tmp) / "input.nt"
        src.write_bytes(nt)
        try:
            proc = subprocess.run([sys.executable, "-c", _WORKER, str(src)], capture_output=True,
                                  text=True, timeout=timeout, cwd=tmp)
        except subprocess.TimeoutExpired:
            return ReasoningResult(None, error=f"HermiT did not finish within {timeout:.0f} s")
    if proc.returncode != 0 or not proc.stdout.strip():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return ReasoningResult(None, error="HermiT failed: " + " | ".join(tail))
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    result = ReasoningResult(data["consistent"], data["unsatisfiable"], seconds=data["seconds"])
    if cache_file:
        from tajsec.io.write import atomic_write_bytes

        payload = {k: v for k, v in asdict(result).items() if k != "cached"}
        atomic_write_bytes(cache_file, json.dumps(payload).encode())
    return result


def ontology_key(store: ox.Store, ontology_graphs: Collection[ox.NamedNode] | None) -> str:
    """The HermiT cache key: the SHA-256 of the ontology's triples (sorted N-Triples)."""
    return hashlib.sha256(reasoner_input(store, ontology_graphs)).hexdigest()


def rl_clashes(built: Built, rules_query: Path) -> list[dict]:
    """Rows of the OWL 2 RL consistency rules over the built graph: each is a contradiction."""
    res = solutions(built.query(rules_query.read_text(encoding="utf-8")))
    return [{v: (row[v].value if row[v] is not None else None) for v in ("rule", "entity", "value")} for row in res]
