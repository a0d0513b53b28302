"""Canonical blank-node labels: the same input bytes give the same labels, and two sources never
share one."""
from __future__ import annotations

import hashlib

import pyoxigraph as ox

from tajsec.core.terms import AnyTerm


class BlankQuads:
    """The quads of one source that contain blank nodes, compiled: a tuple of N-Triples text pieces
    with each blank node replaced by its index (order of first appearance). Kept compact so that a
    large input's blank nodes fit in memory."""

    def __init__(self) -> None:
        self.index: dict = {}            # BlankNode -> index
        self.quads: dict[tuple, bool] = {}  # compiled quad -> kept in the output (insertion-ordered)
        self._strings: dict[str, str] = {}

    def _parts(self, term: AnyTerm, out: list) -> None:
        if isinstance(term, ox.BlankNode):
            out.append(self.index.setdefault(term, len(self.index)))
        elif isinstance(term, ox.Triple):
            out.append("<<( ")
            self._parts(term.subject, out)
            out.append(" ")
            self._parts(term.predicate, out)
            out.append(" ")
            self._parts(term.object, out)
            out.append(" )>>")
        else:
            t = str(term)
            out.append(self._strings.setdefault(t, t) if isinstance(term, ox.NamedNode) else t)

    def add(self, s: AnyTerm, p: ox.NamedNode, o: AnyTerm, graph_part: str, kept: bool) -> None:
        """`graph_part` is " <graph IRI>" (share one string per graph)."""
        q: list = []
        self._parts(s, q)
        q.append(" ")
        self._parts(p, q)
        q.append(" ")
        self._parts(o, q)
        q.append(graph_part)
        t = tuple(q)
        self.quads[t] = self.quads.get(t, False) or kept

    @staticmethod
    def render(quad: tuple, labels: list[str]) -> str:
        """The N-Quads text (without the final " .") of a compiled quad."""
        return "".join(x if isinstance(x, str) else "_:" + labels[x] for x in quad)

    def labels_by_node(self, labels: list[str]) -> dict:
        return {b: labels[i] for b, i in self.index.items()}


def canonical_labels(quads: list[tuple], n: int, seed: str) -> list[str]:
    """Canonical labels for the `n` blank nodes of one source (see `BlankQuads`).

    Each blank node is coloured by the hash of its quads (blank neighbours by their colour),
    refined until the number of colours stops growing (at most 64 rounds); the label is the
    colour, seeded with `seed` so that two sources never share a label; blank nodes that remain
    alike are told apart by first appearance."""
    if n == 0:
        return []
    occurs: list[list[int]] = [[] for _ in range(n)]
    for qi, qt in enumerate(quads):
        for x in {x for x in qt if isinstance(x, int)}:
            occurs[x].append(qi)
    colour = [hashlib.sha256(seed.encode()).hexdigest()] * n
    classes = 1
    for _ in range(64):
        new = []
        for b in range(n):
            sig = sorted("".join("_:self" if x == b else ("_:" + colour[x]) if isinstance(x, int) else x
                                 for x in quads[qi]) for qi in occurs[b])
            h = hashlib.sha256(colour[b].encode())
            for line in sig:
                h.update(b"\n")
                h.update(line.encode())
            new.append(h.hexdigest())
        colour = new
        k = len(set(colour))
        if k == classes:
            break
        classes = k
    labels = [""] * n
    seen: dict[str, int] = {}
    for b in sorted(range(n), key=lambda i: (colour[i], i)):
        base = "b" + colour[b][:32]
        k = seen.get(base, 0)
        seen[base] = k + 1
        labels[b] = base if k == 0 else f"{base}x{k}"
    return labels
