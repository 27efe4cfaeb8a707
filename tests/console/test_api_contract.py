"""The API's OpenAPI contract, checked by schemathesis (every check, every phase) against the live API on a loopback
port, over a store with articles (a cluster of two), dead letters, a source in backoff, a live worker and finished
jobs: on SQLite and on PostgreSQL. Plus the parts of the contract a reader relies on: one error shape, the bearer
scheme, responses typed, /docs from local files."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import in_ci
from tests.console.conftest import TOKEN, api_server, configure

AUTH = {"Authorization": f"Bearer {TOKEN}"}
CONFIG = Path(__file__).with_name("schemathesis.toml")  # the one exception to a check, and why
MAX_EXAMPLES = 40  # per operation and phase: enough to find what the first runs found, in about a minute


def seed(rt: Any, base: str) -> None:
    """Something in every part of every answer."""
    from workers.core.clock import utcnow
    from workers.core.models import Article, RelatedLink

    now = utcnow()
    for i, (slug, title) in enumerate([("water", "الحكومة تعلن خطة للمياه"), ("water-copy", "الحكومة تعلن خطة للمياه"),
                                       ("port", "توسعة الميناء تبدأ الشهر المقبل")]):
        url = f"{base}/news/{slug}"
        rt.store.publish(Article(url=url, canonical_url=url, source="demo-rss" if i % 2 else "demo-atom",
                                 title=title, body=f"نص الخبر {i}.\n\nفقرة ثانية.", subtitle="عنوان فرعي",
                                 tags=["اقتصاد"], authors=["كاتب"], published_at=now - timedelta(minutes=5 * i),
                                 related=[RelatedLink("خبر ذو صلة", f"{base}/news/related")],
                                 cluster_id="cluster-water" if slug.startswith("water") else None))
    rt.store.update_source("demo-atom", state="backoff", consecutive_failures=2,
                           last_error={"kind": "http_status", "status": 503, "message": "الخدمة غير متاحة",
                                       "url": f"{base}/atom.xml", "at": now.isoformat()})
    for i in range(8):  # the stateful phase retries and drops them through the links of GET /api/failures
        rt.store.add_failure(task="akhbar.fetch_page", args={"url": f"{base}/news/gone-{i}", "source": "demo-rss"},
                             error={"kind": "timeout", "message": "read timed out", "url": f"{base}/news/gone-{i}"},
                             attempts=6)
    rt.store.heartbeat("worker-1@host.pages.1", hostname="host", pid=4242, queues="manual,pages", active=1,
                       processed=3, started_at=now - timedelta(hours=1),
                       current={"task": "akhbar.fetch_page", "url": f"{base}/news/port", "source": "demo-rss",
                                "queue": "pages", "since": now.isoformat()})
    for i in range(3):
        rt.store.ledger_enqueue(f"job-{i}", kind="page", queue="pages", source="demo-rss", url=f"{base}/p/{i}",
                                args={}, stale_after=timedelta(minutes=15))
        rt.store.ledger_update(f"job-{i}", "done" if i else "failed")


@pytest.fixture(params=["sqlite", "postgresql", "sqlite-reads-closed"])
def contract_rt(request: pytest.FixtureRequest, console_env: dict[str, str], demo_site: Any,
                monkeypatch: pytest.MonkeyPatch) -> Any:
    """The store on each backend; and with AKHBAR_API_READ_OPEN=false, where every call declares the bearer and
    schemathesis' ignored_auth check sends each without it."""
    env = {**console_env, "AKHBAR_API_READ_OPEN": "false"} if request.param == "sqlite-reads-closed" else \
        console_env if request.param == "sqlite" else \
        {**console_env, "AKHBAR_STORE_URL": request.getfixturevalue("pg_url")}
    rt = configure(env, monkeypatch)
    seed(rt, demo_site.base)
    yield rt
    rt.store.engine.dispose()


def run_schemathesis(base: str, report: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "--config-file", str(CONFIG), "run", f"{base}/openapi.json",
         "--checks", "all",
         "--header", f"Authorization: Bearer {TOKEN}", "--max-examples", str(MAX_EXAMPLES), "--workers", "1",
         "--seed", "1", "--request-timeout", "20"],
        capture_output=True, text=True, timeout=600, cwd=report.parent,  # it leaves a .schemathesis folder there
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "HOME": str(report.parent)})


def errors_first(output: str) -> str:
    """The report's ERRORS and FAILURES sections (a network error's cause is there, mid-report) then its tail."""
    start = min((i for i in (output.find("= ERRORS ="), output.find("= FAILURES =")) if i >= 0), default=-1)
    head = output[max(start - 100, 0):][:6000] if start >= 0 else ""
    return head + "\n[…]\n" + output[-3000:]


@pytest.mark.integration
def test_schemathesis_finds_no_failure(contract_rt: Any, tmp_path: Path, artifacts: Path,
                                       request: pytest.FixtureRequest) -> None:
    if importlib.util.find_spec("schemathesis") is None:
        if in_ci():
            pytest.fail("schemathesis is not installed (the dev extra has it); CI=true, so this fails")
        pytest.skip("schemathesis is not installed (pip install -e '.[dev]')")
    with api_server(contract_rt) as base:
        result = run_schemathesis(base, tmp_path / "report")
    backend = request.node.callspec.params["contract_rt"]
    (artifacts / f"schemathesis-{backend}.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
    assert result.returncode == 0, errors_first(result.stdout + result.stderr)
    assert "No issues found" in result.stdout or " passed" in result.stdout, result.stdout[-3000:]


def test_one_error_shape_and_a_bearer_scheme(api: str) -> None:
    doc = httpx.get(api + "/openapi.json").json()
    assert doc["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "AKHBAR_API_TOKEN (`Authorization: Bearer <token>`)"}
    refetch = doc["paths"]["/api/refetch"]["post"]
    assert refetch["security"] == [{"bearer": []}]
    assert {"202", "400", "401", "404", "413", "422", "500", "503"} <= set(refetch["responses"])
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert answer["content"]["application/json"]["schema"] == \
                        {"$ref": "#/components/schemas/Error"}, (method, path, status)
            ok = next(a for s, a in operation["responses"].items() if s.startswith("2"))
            if path not in ("/metrics", "/api/auth"):  # text, and a bare 204
                assert ok["content"]["application/json"]["schema"], (method, path)  # typed, not an untyped object
    # list answers link to the actions on their items, and every link names a real operation
    operation_ids = {op["operationId"] for ops in doc["paths"].values() for op in ops.values()}
    links = [link for ops in doc["paths"].values() for op in ops.values()
             for link in op["responses"].get("200", {}).get("links", {}).values()]
    assert len(links) == 5 and all(link["operationId"] in operation_ids for link in links), links
    # the cross-field rule is in the schema, and the answers follow it
    body = doc["components"]["schemas"]["RefetchRequest"]
    assert body["oneOf"] == [{"required": ["url"]}, {"required": ["source"]}]
    for payload in ({}, {"url": "https://example.com/a", "source": "demo-rss"}, {"url": None}):
        answer = httpx.post(api + "/api/refetch", json=payload, headers=AUTH)
        assert answer.status_code == 422, answer.text
        assert isinstance(answer.json()["detail"], str) and answer.json()["errors"], answer.text
    # the guard's answers have the same shape
    for answer in (httpx.post(api + "/api/refetch", json={"source": "demo-rss"}),
                   httpx.get(api + "/api/articles?q=a%00b"),
                   httpx.post(api + "/api/refetch", content=b"x" * 20000, headers=AUTH)):
        assert answer.status_code in (400, 401, 413) and set(answer.json()) == {"detail"}, answer.text


def test_docs_are_served_from_local_files(api: str) -> None:
    page = httpx.get(api + "/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "<script>" not in page.text and " style=" not in page.text
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css", "/static/docs-init.js"):
        answer = httpx.get(api + asset)
        assert answer.status_code == 200 and len(answer.content) > 100, asset
    assert httpx.get(api + "/redoc").status_code == 404  # one viewer, and it needs nothing from outside


def test_api_lists_keep_the_article_json(api: str, rt: Any, demo_site: Any) -> None:
    """Typed responses change nothing in what the API sends: the article JSON of DESIGN.md, key for key."""
    seed(rt, demo_site.base)
    stored = {a.id: a.to_dict() for a in rt.store.list_articles(limit=10)}
    listed = httpx.get(api + "/api/articles").json()
    assert {a["id"]: a for a in listed} == stored
    brief = httpx.get(api + "/api/articles", params={"brief": "true"}).json()
    assert all("body" not in a for a in brief) and len(brief) == len(stored)
    one = next(iter(stored.values()))
    assert httpx.get(api + f"/api/articles/{one['id']}").json() == one


def test_stored_json_records_pass_as_they_are(api: str, rt: Any) -> None:
    """A worker's current job and a source's errors are JSON the store keeps: a key missing or added there is
    sent as it is, neither refused (a 500) nor filled in."""
    from workers.core.clock import utcnow

    now = utcnow()
    current = {"task": "akhbar.fetch_page", "url": "https://news.example/a", "since": now.isoformat(), "extra": 1}
    rt.store.heartbeat("w@host", hostname="host", pid=1, queues="pages", active=1, processed=0, started_at=now,
                       current=current)
    record = {"kind": "note", "at": now.isoformat(), "hint": "kept"}
    rt.store.update_source("demo-rss", last_error=record, recent_errors=[record])
    workers = httpx.get(api + "/api/workers")
    assert workers.status_code == 200 and workers.json()[0]["current"] == current
    status = httpx.get(api + "/api/status").json()
    assert status["workers"][0]["current"] == current
    source = next(s for s in httpx.get(api + "/api/sources").json() if s["name"] == "demo-rss")
    assert source["last_error"] == record and source["recent_errors"] == [record]
