"""The HTTP API over a real server: the token on mutating calls, read calls' setting, and re-fetch and
replay carried out by a real Celery worker process."""

from __future__ import annotations

import httpx
import pytest

from tests.console.conftest import TOKEN, api_server, celery_worker, configure, wait_for

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize(("method", "path", "body"), [
    ("POST", "/api/refetch", {"source": "demo-rss"}),
    ("POST", "/api/sources/demo-rss/disable", None),
    ("POST", "/api/sources/demo-rss/enable", None),
    ("POST", "/api/failures/1/retry", None),
    ("DELETE", "/api/failures/1", None),
    ("GET", "/api/auth", None),
])
def test_mutating_calls_answer_401_without_the_token(api: str, method: str, path: str, body: dict | None) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = httpx.request(method, api + path, json=body, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["www-authenticate"] == "Bearer"


def test_with_the_token_mutating_calls_succeed(api: str, rt) -> None:  # type: ignore[no-untyped-def]
    assert httpx.get(api + "/api/auth", headers=AUTH).status_code == 204
    response = httpx.post(api + "/api/refetch", json={"source": "demo-rss"}, headers=AUTH)
    assert response.status_code == 202, response.text
    assert response.json() == {"queued": "source", "source": "demo-rss", "queue": "manual"}
    assert rt.store.ledger_counts()["manual"]["queued"] == 1
    assert httpx.post(api + "/api/sources/demo-atom/disable", headers=AUTH, json={"reason": "feed moved"}).json() \
        == {"source": "demo-atom", "enabled": False}
    assert rt.store.get_source("demo-atom")["disabled_reason"] == "feed moved"
    states = {s["name"]: s["state"] for s in httpx.get(api + "/api/sources").json()}
    assert states == {"demo-atom": "disabled", "demo-rss": "ok"}
    assert httpx.post(api + "/api/sources/demo-atom/enable", headers=AUTH).status_code == 200
    assert rt.store.get_source("demo-atom")["enabled"] is True
    assert httpx.post(api + "/api/sources/nope/enable", headers=AUTH).status_code == 404
    assert httpx.post(api + "/api/refetch", json={"source": "nope"}, headers=AUTH).status_code == 404
    assert httpx.post(api + "/api/refetch", json={}, headers=AUTH).status_code == 422
    assert httpx.post(api + "/api/refetch", json={"url": "file:///etc/passwd"}, headers=AUTH).status_code == 422


def test_without_a_configured_token_mutating_calls_are_refused(console_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rt = configure({k: v for k, v in console_env.items() if k != "AKHBAR_API_TOKEN"}, monkeypatch)
    with api_server(rt) as base:
        assert httpx.post(base + "/api/refetch", json={"source": "demo-rss"},
                          headers={"Authorization": "Bearer None"}).status_code == 401
        assert httpx.get(base + "/api/sources").status_code == 200


def test_read_calls_need_the_token_when_the_operator_closes_them(console_env, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rt = configure({**console_env, "AKHBAR_API_READ_OPEN": "false"}, monkeypatch)
    with api_server(rt) as base:
        for path in ("/api/sources", "/api/queues", "/api/workers", "/api/articles", "/api/status",
                     "/api/failures", "/api/clusters", "/metrics"):
            assert httpx.get(base + path).status_code == 401, path
            assert httpx.get(base + path, headers=AUTH).status_code == 200, path
        assert httpx.get(base + "/").status_code == 200  # the page itself; its data calls carry the token


def test_read_calls_show_what_status_json_shows(api: str) -> None:
    queues = httpx.get(api + "/api/queues").json()
    assert set(queues["queues"]) == {"manual", "feeds", "pages"}
    assert {"outstanding", "in_broker", "running", "retrying", "oldest_age_seconds"} <= set(queues["details"]["pages"])
    sources = httpx.get(api + "/api/sources").json()
    assert {s["name"] for s in sources} == {"demo-rss", "demo-atom"}
    assert {"state", "last_success_at", "next_due_at", "consecutive_failures", "articles", "articles_24h",
            "last_error", "recent_errors"} <= set(sources[0])
    assert httpx.get(api + "/api/workers").json() == []
    assert httpx.get(api + "/api/articles").json() == []
    assert httpx.get(api + "/api/articles/0123").status_code == 404
    doc = httpx.get(api + "/openapi.json").json()
    for path in ("/api/sources", "/api/queues", "/api/workers", "/api/articles", "/api/articles/{article_id}",
                 "/api/refetch", "/api/clusters", "/api/failures", "/api/failures/{failure_id}/retry", "/metrics"):
        assert path in doc["paths"], path
    page = httpx.get(api + "/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert httpx.get(api + "/static/app.js").status_code == 200


@pytest.mark.integration
def test_refetch_runs_on_the_manual_lane_in_a_real_worker(api: str, rt, console_env, demo_site) -> None:  # type: ignore[no-untyped-def]
    url = demo_site.base + "/news/port-expansion"
    response = httpx.post(api + "/api/refetch", json={"url": url}, headers=AUTH)
    assert response.status_code == 202, response.text
    assert rt.store.ledger_counts() == {"manual": {"queued": 1}}
    with celery_worker(console_env, queues="manual"):  # a worker that serves only the manual lane
        rows = wait_for(lambda: httpx.get(api + "/api/articles").json(), 90, "the re-fetched article")
    assert [r["url"] for r in rows] == [url]
    article = httpx.get(api + f"/api/articles/{rows[0]['id']}").json()
    assert article["title"] and article["body"] and article["language"] == "ar"
    assert rt.store.ledger_counts() == {}
    # filters: by source, by normalised Arabic text (hamza and taa marbuta forms fold), by cluster
    assert httpx.get(api + "/api/articles", params={"source": "demo-atom"}).json() == []
    word = article["title"].split()[0]
    assert len(httpx.get(api + "/api/articles", params={"q": word}).json()) == 1
    assert len(httpx.get(api + "/api/articles", params={"cluster": article["cluster_id"]}).json()) == 1
    assert "body" not in httpx.get(api + "/api/articles", params={"brief": "true"}).json()[0]


@pytest.mark.integration
def test_a_failure_is_kept_and_a_retry_through_the_api_completes(api: str, rt, console_env, demo_site) -> None:  # type: ignore[no-untyped-def]
    missing = demo_site.base + "/news/no-such-story"
    assert httpx.post(api + "/api/refetch", json={"url": missing}, headers=AUTH).status_code == 202
    # a job that failed earlier, say while the site was down, kept with its arguments
    good = demo_site.base + "/news/school-meals"
    failure_id = rt.store.add_failure(task="akhbar.fetch_page", args={"url": good, "source": "demo-atom"},
                                      error={"kind": "timeout", "message": "read timed out", "url": good},
                                      attempts=6)
    with celery_worker(console_env):
        failures = wait_for(lambda: [f for f in httpx.get(api + "/api/failures").json() if f["url"] == missing],
                            90, "the 404 kept as a failure")
        assert failures[0]["error_kind"] == "http_status" and failures[0]["status"] == 404
        assert failures[0]["args"]["url"] == missing
        assert httpx.post(api + f"/api/failures/{failure_id}/retry", headers=AUTH).status_code == 202
        wait_for(lambda: httpx.get(api + "/api/articles", params={"source": "demo-atom"}).json(), 90,
                 "the replayed page stored")
    remaining = httpx.get(api + "/api/failures").json()
    assert [f["id"] for f in remaining] == [failures[0]["id"]]
    assert httpx.delete(api + f"/api/failures/{failures[0]['id']}", headers=AUTH).json() == \
        {"dropped": failures[0]["id"]}
    assert httpx.get(api + "/api/failures").json() == []
    assert httpx.post(api + f"/api/failures/{failure_id}/retry", headers=AUTH).status_code == 404
