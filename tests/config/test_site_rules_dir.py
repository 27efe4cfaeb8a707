"""AKHBAR_SITE_RULES_DIR: rules read from a folder of one's own, and read again when a file there changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from config.settings import Settings, SettingsError
from config.site_rules import SITES_DIR, SiteRulesDir
from workers.core.errors import ConfigError
from workers.runtime import Runtime


def _write(path: Path, text: str, bump: int = 0) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()  # a later mtime even on a coarse clock, so the change is seen
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + bump * 1_000_000_000))


def test_the_runtime_reads_the_configured_folder(tmp_path: Path) -> None:
    _write(tmp_path / "news.example.yaml", 'title: "h1.headline"\n')
    rt = Runtime(Settings(site_rules_dir=tmp_path, store_url="sqlite:///" + str(tmp_path / "s.db")))
    assert set(rt.site_rules) == {"news.example"}
    shipped = Runtime(Settings(store_url="sqlite:///" + str(tmp_path / "t.db")))
    assert set(shipped.site_rules) == {p.stem for p in SITES_DIR.glob("*.yaml")}


def test_an_edited_rule_applies_at_the_next_look_and_a_broken_edit_keeps_the_last_good(tmp_path: Path) -> None:
    rule = tmp_path / "news.example.yaml"
    _write(rule, 'title: "h1.old"\n')
    folder = SiteRulesDir(tmp_path)
    assert folder.current()["news.example"].title == "h1.old"
    _write(rule, 'title: "h1.new"\n', bump=1)
    assert folder.current()["news.example"].title == "h1.new"
    _write(rule, 'title: "h1[unclosed"\n', bump=2)  # a typo: the last good rules stay
    assert folder.current()["news.example"].title == "h1.new"
    _write(tmp_path / "other.example.yaml", 'body: "article"\n', bump=3)
    _write(rule, 'title: "h1.fixed"\n', bump=3)
    assert {k: v.title for k, v in folder.current().items()} == {"news.example": "h1.fixed", "other.example": None}


def test_a_folder_broken_from_the_start_or_missing_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "news.example.yaml", 'title: "h1[unclosed"\n')
    with pytest.raises(ConfigError):
        SiteRulesDir(tmp_path)
    with pytest.raises(SettingsError, match="AKHBAR_SITE_RULES_DIR"):
        Settings(site_rules_dir=tmp_path / "absent")
