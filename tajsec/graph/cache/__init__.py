"""What incremental validation keeps between runs, in the cache folder: each input file's graph
as the loader made it (`entries`: BuildCache, keyed by content), and the whole built graph on
disk (`standing`: pyoxigraph's RocksDB store), brought up to date after an edit by the edit's
changed lines (`light`) and by deltas of the derived layer (`delta`)."""
from tajsec.graph.cache.entries import BuildCache, cached_build, changed_subjects, conclude, typed_literals

__all__ = ["BuildCache", "cached_build", "changed_subjects", "conclude", "typed_literals"]
