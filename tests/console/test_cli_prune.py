"""`akhbar prune` through the real console script: one-line errors, dry run, JSON report, batches, bodies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from workers.adapters import schema as t
from workers.adapters import summaries
from workers.adapters.store import Store
from workers.core.clock import utcnow
from workers.core.models import Article


def akhbar(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "console", *args], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    return {**clean, "AKHBAR_STORE_URL": f"sqlite:///{tmp_path / 'akhbar.db'}",
            "AKHBAR_DATA_DIR": str(tmp_path / "data"), "AKHBAR_LOG_LEVEL": "WARNING"}


@pytest.fixture
def filled(env: dict[str, str]) -> Store:
    """Three articles, two stored 100 days ago (one of them heads the third's cluster)."""
    from config.settings import Settings

    store = Store.from_url(Settings(store_url=env["AKHBAR_STORE_URL"]).sqlalchemy_store_url)
    store.migrate()
    made: list[Article] = []
    for name in ("a", "b", "c"):
        url = f"https://{name}.example/n/1"
        article = Article(url=url, canonical_url=url, source=name, title=f"خبر {name}", body=f"نص الخبر {name}",
                          published_at=utcnow() - timedelta(days=200 if name == "a" else 1))
        article.cluster_id = made[0].id if made and name == "c" else article.id
        store.publish(article)
        store.settle_head(article.cluster_id)
        made.append(article)
    with store.engine.begin() as conn:
        conn.execute(update(t.articles).where(t.articles.c.id.in_([made[0].id, made[1].id]))
                     .values(stored_at=utcnow() - timedelta(days=100)))
        summaries.backfill(conn)
    return store


@pytest.mark.parametrize("args", [
    ["--older-than", "90x"], ["--older-than", "-1d"], ["--older-than", "99999999d"], ["--older-than", "0d"],
    ["--older-than", ""], ["--older-than", "90d", "--batch-size", "abc"], ["--older-than", "90d", "--batch-size", "0"],
    ["--older-than", "90d", "--batch-size", "10001"],
])
def test_a_bad_value_is_one_error_line(env: dict[str, str], args: list[str]) -> None:
    result = akhbar(env, "prune", *args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --"), result.stderr
    assert "Traceback" not in result.stderr


def test_dry_run_reports_and_changes_nothing_then_the_run_matches(env: dict[str, str], filled: Store) -> None:
    plan = akhbar(env, "prune", "--older-than", "90d", "--dry-run", "--json")
    assert plan.returncode == 0, plan.stderr
    planned = json.loads(plan.stdout)
    assert planned["dry_run"] is True and planned["deleted"] == 2
    assert (planned["clusters_touched"], planned["heads_moved"]) == (1, 1)
    assert filled.count_articles() == 3
    done = akhbar(env, "prune", "--older-than", "90d", "--batch-size", "1", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["deleted"], report["batches"], report["clusters_touched"], report["heads_moved"]) == (2, 2, 1, 1)
    assert report["bytes_freed"] == planned["bytes_freed"] > 0 and report["longest_batch_seconds"] > 0
    assert filled.count_articles() == 1 and filled.list_articles()[0].duplicate_of is None
    again = akhbar(env, "prune", "--older-than", "90d")
    assert again.returncode == 0 and again.stdout.startswith("deleted 0 articles stored before ")


def test_keep_metadata_strips_bodies_and_says_so(env: dict[str, str], filled: Store) -> None:
    result = akhbar(env, "prune", "--older-than", "90d", "--keep-metadata")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("stripped the bodies of 2 articles stored before ")
    bodies = sorted(a.body for a in filled.list_articles())
    assert filled.count_articles() == 3 and bodies == ["", "", "نص الخبر c"]
