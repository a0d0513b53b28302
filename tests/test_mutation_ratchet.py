"""The mutation ratchet: a fixed sample of each core module's mutants (tests/mutation/mutate.py,
cosmic-ray), each run against the module's own tests; the share killed must not drop below the
floor recorded in tests/mutation/floors.json. Raise a floor when tests get better; never lower
one without saying why in the commit. The full run is `make mutation` (build/mutation/report.md)."""
from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent / "mutation"
sys.path.insert(0, str(HERE))

import mutate  # noqa: E402

FLOORS = json.loads((HERE / "floors.json").read_text(encoding="utf-8"))


def test_every_core_module_has_a_floor():
    assert set(FLOORS["modules"]) == set(mutate.MODULES)


def test_sampled_mutation_scores_stay_above_their_floors():
    with ThreadPoolExecutor(max_workers=2) as pool:
        scores = list(pool.map(lambda m: mutate.run_module(m, sample=FLOORS["sample"], quiet=True), FLOORS["modules"]))
    below = []
    for s in scores:
        assert len(s.mutants) == FLOORS["sample"], f"{s.module}: the sample ran {len(s.mutants)} mutants"
        if s.score < FLOORS["modules"][s.module]:
            survivors = [f"{m.module}:{m.line} {m.operator}: {m.before.strip()} -> {m.after.strip()}"
                         for m in s.mutants if m.outcome == "survived"]
            below.append(f"{s.module}: {s.score:.0f}% < floor {FLOORS['modules'][s.module]}%: " + "; ".join(survivors))
    assert not below, "\n".join(below)
