"""`tajsec merge`: put other people's RDF beside ours, each input in its own named graph, and
report what the two sides share, where they disagree and what an input tried to change in our
ontology.

What merging does, and does not do:

- Our ontology and instances are built as usual (`tajsec.graph.build.build`: one named graph per file
  plus the derived graph). Each input goes into its own named graph,
  ``https://w3id.org/tajsec/graph/input/<sha256 of the file>``; a named graph inside an input
  (TriG, N-Quads, JSON-LD) becomes a sub-graph ``…/input/<sha256>/graph/<hash of its name>``.
- A metadata graph (`META_GRAPH`) says where each graph came from in VoID, PROV-O, DCAT and SPDX
  terms: file name as given, size, media type, SHA-256, triples parsed and kept. The time of
  loading is recorded only when the caller passes ``timestamp=`` (default: none), so that the same
  inputs always give the same bytes.
- Blank nodes: every input is parsed with fresh blank-node identifiers (pyoxigraph
  ``rename_blank_nodes=True``), so blank nodes of different inputs never collide; they are then
  relabelled canonically per source by colour refinement over their triples (hash of each blank
  node's triples, refined with its neighbours' hashes until stable, seeded with the graph IRI),
  ties broken by first appearance in the file. Same input bytes, same labels.
- Nothing is fetched: ``owl:imports`` triples are stripped from inputs and reported as unresolved;
  JSON-LD remote contexts are refused by the parser; RDF/XML with ``<!ENTITY`` declarations is
  refused (entity expansion).
- Triples of an input that change our ontology (a ``ts:`` term as subject, or
  ``rdfs:subClassOf``/``subPropertyOf``/``domain``/``range``/``owl:equivalentClass``/
  ``equivalentProperty``/``disjointWith``/``inverseOf``/``sameAs``… pointing at a ``ts:`` term) are
  reported and left out of the output unless ``allow_ontology_changes=True``.
- Entities both sides describe are found by same IRI and by ``skos:exactMatch``/``owl:sameAs`` to
  the same external IRI (or the input describing that external IRI itself, as Wikidata extracts
  do); *candidates* are found by label after normalising transliteration and are offered for
  review, never asserted. Conflicting values of the same property (including the measurement
  pattern: same measured entity and aspect, and mapped Wikidata properties) are listed side by
  side; both stay in the output.
- Every input is read through the one loader (`tajsec.io.load.InputFile`): opened once, a regular
  file (or `-`, standard input), at most TAJSEC_MAX_FILE_BYTES read, the byte-order mark rule,
  ill-typed literals reported as warnings with their line (`MergeResult.warnings`).
- A parse failure raises `tajsec.io.load.LoadError` (file, line, column); `merge` writes nothing,
  `write_trig` writes only after everything succeeded, atomically.

Memory and fidelity: an input is streamed from disk by pyoxigraph's parser (no rdflib graph is
built; nothing is read whole but a JSON-LD document, which is checked whole for remote contexts);
each triple goes, exactly as parsed, to an external merge sort in temporary files, which yields the
sorted, de-duplicated output. Only what the report needs (names,
links, the measurement pattern, mapped properties, the predicates our entities use) is also put in
a pyoxigraph Store for querying. The output never goes through that Store, because a Store rewrites
valid typed literals to their canonical form ("+1200"^^xsd:decimal becomes "1200", "0042" becomes
"42", "1"^^xsd:boolean becomes "true") and merges literals that are equal in value; values quoted in
the report come from the Store and may show that canonical form. Blank-node triples of an input are
held in memory in compact form until the labels are known. A 1M-triple N-Triples input (100k blank
nodes) peaked at about 360 MB.

Where each job lives: `inputs` (reading an input), `blank_nodes` (canonical labels), `names`
(normalised names), `ours` (our side), `analysis` (matches, candidates), `conflicts` and `facts`,
`metadata` (the metadata graph), `spool` (the external sort), `output` (TriG, safe writing),
`report`, `pipeline` (`merge` itself).
"""
from __future__ import annotations

from tajsec.core.namespaces import GRAPH_BASE, INPUT_GRAPH_BASE
from tajsec.merge.blank_nodes import BlankQuads, canonical_labels
from tajsec.merge.names import normalise_name, skeleton
from tajsec.merge.output import (
                                 MergeResult,
                                 OverwritesInput,
                                 refuse_overwriting_inputs,
                                 trig_bytes,
                                 write_outputs,
                                 write_trig,
)
from tajsec.merge.pipeline import merge
from tajsec.merge.report import (
                                 Candidate,
                                 Conflict,
                                 InputInfo,
                                 Match,
                                 MergeReport,
                                 OntologyChange,
                                 UnresolvedImport,
                                 Value,
)
from tajsec.merge.vocabulary import MERGE_ACTIVITY, META_GRAPH, Progress

__all__ = [
                                 "GRAPH_BASE",
                                 "INPUT_GRAPH_BASE",
                                 "MERGE_ACTIVITY",
                                 "META_GRAPH",
                                 "BlankQuads",
                                 "Candidate",
                                 "Conflict",
                                 "InputInfo",
                                 "Match",
                                 "MergeReport",
                                 "MergeResult",
                                 "OntologyChange",
                                 "OverwritesInput",
                                 "Progress",
                                 "UnresolvedImport",
                                 "Value",
                                 "canonical_labels",
                                 "merge",
                                 "normalise_name",
                                 "refuse_overwriting_inputs",
                                 "skeleton",
                                 "trig_bytes",
                                 "write_outputs",
                                 "write_trig",
]
