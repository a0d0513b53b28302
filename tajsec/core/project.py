"""The fixed layout of a tajsec checkout: where ontology, instances, shapes and queries live."""
from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from tajsec.core.errors import TajsecError


class ProjectNotFound(TajsecError):
    pass


def installed_root() -> Path:
    """Where an installed copy keeps the ontology, instances, shapes and queries (`pip install`)."""
    return Path(sys.prefix) / "share" / "tajsec"


def user_cache_dir() -> Path:
    """The user's cache folder for tajsec: $XDG_CACHE_HOME/tajsec, else ~/.cache/tajsec (a
    relative $XDG_CACHE_HOME is ignored, as the XDG Base Directory specification asks)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or "")
    return (base if base.is_absolute() else Path.home() / ".cache") / "tajsec"


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The checkout holding `start` (default: $TAJSEC_ROOT, else the working directory, else
        the checkout this package was installed from)."""
        candidates = []
        if os.environ.get("TAJSEC_ROOT"):
            candidates.append(Path(os.environ["TAJSEC_ROOT"]))
        candidates.append(start or Path.cwd())
        candidates.append(Path(__file__).resolve().parents[2])  # tajsec/core/project.py -> the checkout
        candidates.append(installed_root())
        for c in candidates:
            for d in [c.resolve(), *c.resolve().parents]:
                if (d / "ontology" / "core.ttl").is_file() and (d / "instances").is_dir():
                    return cls(d)
        raise ProjectNotFound(
            "no tajsec checkout found (looked for ontology/core.ttl upwards from "
            f"{candidates[0]}); run inside the repository or set TAJSEC_ROOT"
        )

    def _ttl(self, folder: str) -> list[Path]:
        return sorted((self.root / folder).glob("*.ttl"))

    @property
    def ontology_files(self) -> list[Path]:
        return self._ttl("ontology")

    @property
    def instance_files(self) -> list[Path]:
        return self._ttl("instances")

    @property
    def shape_files(self) -> list[Path]:
        return self._ttl("shapes")

    @property
    def check_queries(self) -> list[Path]:
        return sorted((self.root / "queries" / "checks").glob("*.rq"))

    @property
    def question_queries(self) -> list[Path]:
        return sorted((self.root / "queries" / "questions").glob("*.rq"))

    @property
    def expected_dir(self) -> Path:
        """Where the expected answers live: beside their questions, `queries/questions/NAME.csv`."""
        return self.root / "queries" / "questions"

    def question_expected(self, question: Path) -> Path:
        """The expected answer of the competency question `question` (a .rq path or its name)."""
        return self.expected_dir / f"{Path(question).stem}.csv"

    @property
    def cache_dir(self) -> Path:
        """Where caches (HermiT's answers, incremental validation's build cache) live: `build/cache`
        in a checkout; for an installed copy, or a checkout its user cannot write to, a folder of
        the user's cache folder named after the copy's path, so that copies never share a cache."""
        if self.root.resolve() == installed_root().resolve() or not os.access(self.root, os.W_OK):
            digest = hashlib.sha256(str(self.root.resolve()).encode()).hexdigest()[:16]
            return user_cache_dir() / digest
        return self.root / "build" / "cache"
