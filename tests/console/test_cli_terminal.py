"""The `akhbar` command in a terminal: help for every command and option, --version, the new-store note,
the documented sort, and the articles table at 80 columns with and without terminal bidi."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest
import typer.main
from rich.cells import cell_len

from console.cells import FSI, PDI
from console.cli import app
from workers.adapters.store import Store
from workers.core.models import Article

TITLES = {  # url -> (title, hours before now it was published)
    "https://news.example/2026/12/04/desal-123456": ("محطة تحلية جديدة تبدأ الضخ لثلاث بلدات على الساحل", 1),
    "https://news.example/2026/12/03/reading-festival": ("مهرجان القراءة السنوي يستقبل أكثر من 50000 زائر", 30),
    "https://news.example/2026/12/04/rain": ("الأرصاد تتوقع أمطاراً غزيرة على المناطق الشمالية", 5),
}


def akhbar(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AKHBAR_", "VTE_", "KONSOLE_", "TERM_PROGRAM"))}
    return subprocess.run([sys.executable, "-m", "console", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**clean, "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
                                            "COLUMNS": "80", **env})


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with three Arabic articles, stored in another order than published, one a copy of another."""
    where = tmp_path_factory.mktemp("store")
    store = Store.from_url(f"sqlite:///{where / 'akhbar.db'}")
    store.migrate()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    for url, (title, hours) in reversed(TITLES.items()):
        store.publish(Article(url=url, canonical_url=url, source="demo-rss", title=title,
                              body=f"{title}. نص الخبر كاملا مع تفاصيل إضافية.", tags=["محليات", "خدمات"],
                              published_at=now - timedelta(hours=hours)))
    store.engine.dispose()
    return where


def _table_rows(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("│")]


def _every_param() -> list[tuple[str, click.Parameter]]:
    found = []

    def walk(command: click.Command, path: str) -> None:
        found.extend((path, p) for p in command.params if p.name != "help")
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(typer.main.get_command(app), "akhbar")
    return found


def test_every_command_and_option_has_help() -> None:
    root = typer.main.get_command(app)
    missing = [f"{path} {p.name}" for path, p in _every_param() if not getattr(p, "help", None)]
    assert not missing, missing
    undocumented = []
    for name, group in root.commands.items():  # type: ignore[attr-defined]
        for sub_name, sub in [(name, group), *getattr(group, "commands", {}).items()]:
            if not (sub.help or "").strip():
                undocumented.append(sub_name)
    assert not undocumented, undocumented


def test_help_lists_choices_and_points_to_no_design_file(tmp_path: Path) -> None:
    add = akhbar("sources", "add", "--help", cwd=tmp_path)
    assert "feed" in add.stdout and "sitemap" in add.stdout and "page" in add.stdout
    status = akhbar("status", "--help", cwd=tmp_path)
    assert status.returncode == 0 and "DESIGN" not in status.stdout
    top = akhbar("--help", cwd=tmp_path)
    assert "--bidi" in top.stdout and "--version" in top.stdout


def test_version(tmp_path: Path) -> None:
    result = akhbar("--version", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("akhbar ")


def test_a_new_store_is_named_once_on_stderr(tmp_path: Path) -> None:
    first = akhbar("articles", "--format", "jsonl", cwd=tmp_path)
    assert first.returncode == 0 and first.stdout == ""
    assert "store sqlite:///data/akhbar.db" in first.stderr and str(tmp_path / "data" / "akhbar.db") in first.stderr
    assert "new and empty" in first.stderr
    again = akhbar("articles", "--format", "jsonl", cwd=tmp_path)
    assert "new and empty" not in again.stderr


def test_articles_sort_newest_published_first_or_stored(store_dir: Path) -> None:
    env = {"AKHBAR_STORE_URL": f"sqlite:///{store_dir / 'akhbar.db'}"}
    published = akhbar("articles", "--format", "jsonl", cwd=store_dir, **env).stdout.splitlines()
    assert [line.split('"url": "')[1].split('"')[0] for line in published] == [
        "https://news.example/2026/12/04/desal-123456", "https://news.example/2026/12/04/rain",
        "https://news.example/2026/12/03/reading-festival"]
    stored = akhbar("articles", "--format", "jsonl", "--sort", "stored", cwd=store_dir, **env).stdout.splitlines()
    assert [line.split('"url": "')[1].split('"')[0] for line in stored] == [  # the reverse of the order stored
        "https://news.example/2026/12/04/desal-123456", "https://news.example/2026/12/03/reading-festival",
        "https://news.example/2026/12/04/rain"]


def test_articles_search_stems_and_refuses_nothing_to_find(store_dir: Path) -> None:
    env = {"AKHBAR_STORE_URL": f"sqlite:///{store_dir / 'akhbar.db'}"}
    found = akhbar("articles", "--format", "jsonl", "--q", "بالأمطار الغزيرة", "--sort", "relevance",
                   cwd=store_dir, **env)
    assert [line.split('"url": "')[1].split('"')[0] for line in found.stdout.splitlines()] == [
        "https://news.example/2026/12/04/rain"]
    refused = akhbar("articles", "--q", "؟!", cwd=store_dir, **env)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "no letters or digits" in refused.stderr + refused.stdout


@pytest.mark.parametrize("bidi", ["on", "off"])
def test_articles_at_80_columns_split_no_token(store_dir: Path, bidi: str) -> None:
    env = {"AKHBAR_STORE_URL": f"sqlite:///{store_dir / 'akhbar.db'}"}
    result = akhbar("--bidi", bidi, "articles", cwd=store_dir, **env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), result.stdout
    rows = _table_rows(result.stdout)
    jsonl = akhbar("articles", "--format", "jsonl", cwd=store_dir, **env).stdout
    import json

    articles = [json.loads(line) for line in jsonl.splitlines()]
    for article in articles:  # each id and publication time whole, on one line, in the order listed
        published = datetime.fromisoformat(article["published_at"]).astimezone(UTC).strftime("%Y-%m-%d %H:%M")
        assert any(article["id"][:8] in row and published in row for row in rows), (article["id"], result.stdout)
    shown = [row.split("│")[1].strip() for row in rows if row.split("│")[1].strip()]
    assert shown == [a["id"][:8] for a in articles]
    for row in rows:  # each cell's isolates balanced within the cell; none at all in visual order
        for cell in row.split("│")[1:-1]:
            assert cell.count(FSI) == cell.count(PDI) == (cell.count(FSI) if bidi == "on" else 0)
    if bidi == "on":
        assert FSI + "محطة تحلية" in result.stdout
    else:
        assert "ةيلحت ةطحم" in result.stdout  # the title's first words, in visual order on the first line


def test_dup_of_names_an_id_the_table_shows(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'akhbar.db'}")
    store.migrate()
    body = "أعلنت وزارة المياه تشغيل محطة تحلية جديدة تخدم ثلاث بلدات ساحلية بطاقة يومية كبيرة. " * 4
    now = datetime.now(UTC)
    head: Article | None = None
    for i, url in enumerate(("https://a.example/news/1", "https://b.example/news/1")):
        article = Article(url=url, canonical_url=url, source=f"src-{i}", title="تشغيل محطة تحلية جديدة",
                          body=body, published_at=now - timedelta(hours=2 - i))
        head = head or article
        article.cluster_id, article.duplicate_of = head.id, (None if article is head else head.id)
        store.publish(article)
    store.engine.dispose()
    result = akhbar("--bidi", "off", "articles", cwd=tmp_path, AKHBAR_STORE_URL=f"sqlite:///{tmp_path / 'akhbar.db'}")
    rows = _table_rows(result.stdout)
    ids = {row.split("│")[1].strip() for row in rows} - {""}
    dups = {row.split("│")[-2].strip() for row in rows} - {""}
    assert head is not None and dups == {head.id[:8]} and dups <= ids


def test_akhbar_bidi_sets_the_default_and_the_option_wins(store_dir: Path) -> None:
    env = {"AKHBAR_STORE_URL": f"sqlite:///{store_dir / 'akhbar.db'}", "AKHBAR_BIDI": "off"}
    visual = akhbar("articles", cwd=store_dir, **env).stdout
    assert "ةيلحت ةطحم" in visual and FSI not in visual  # piped, yet visual order: the variable asked for it
    logical = akhbar("--bidi", "on", "articles", cwd=store_dir, **env).stdout
    assert FSI + "محطة تحلية" in logical
    bad = akhbar("articles", cwd=store_dir, **{**env, "AKHBAR_BIDI": "yes"})
    assert bad.returncode == 2 and "AKHBAR_BIDI" in bad.stderr
