"""Where caches go: build/cache in a checkout, the user's cache folder for an installed copy."""
from __future__ import annotations

import sys
from pathlib import Path

from tajsec.core.project import Project, installed_root, user_cache_dir


def _layout(root: Path) -> Path:
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "core.ttl").write_text("", encoding="utf-8")
    (root / "instances").mkdir()
    return root


def test_a_checkout_keeps_its_cache_in_build(tmp_path):
    root = _layout(tmp_path / "checkout")
    assert Project.find(root).cache_dir == root.resolve() / "build" / "cache"


def test_an_installed_copy_keeps_its_cache_in_the_user_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    root = _layout(installed_root())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache = Project(root).cache_dir
    assert cache.parent == tmp_path / "xdg" / "tajsec" and len(cache.name) == 16
    other = _layout(tmp_path / "other" / "share" / "tajsec")
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "other"))
    assert Project(other).cache_dir.parent == cache.parent and Project(other).cache_dir != cache  # never shared


def test_a_checkout_its_user_cannot_write_to_uses_the_user_cache_folder(tmp_path, monkeypatch):
    root = _layout(tmp_path / "read-only")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr("tajsec.core.project.os.access", lambda path, mode: Path(path) != root)
    assert Project(root).cache_dir.parent == tmp_path / "xdg" / "tajsec"


def test_user_cache_folder_follows_xdg_and_ignores_a_relative_one(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert user_cache_dir() == tmp_path / "tajsec"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_cache_dir() == tmp_path / "home" / ".cache" / "tajsec"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert user_cache_dir() == tmp_path / "home" / ".cache" / "tajsec"
