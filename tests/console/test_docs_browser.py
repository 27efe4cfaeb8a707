"""/docs in headless Chromium under the API's strict CSP: Swagger UI from local files lists every operation, and its
Authorize button sends the bearer token (GET /api/auth answers 204 through the page)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.console.conftest import TOKEN


def test_docs_render_offline_and_authorize_sends_the_token(api: str, browser: Any, artifacts: Any) -> None:
    operations = sum(len(ops) for ops in httpx.get(api + "/openapi.json").json()["paths"].values())
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(api) else None)
    page.goto(api + "/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    assert page.locator(".opblock").count() == operations
    page.click("button.authorize")
    page.fill(".auth-container input", TOKEN)
    page.click(".auth-btn-wrapper button.authorize")
    page.click("button.btn-done")
    page.click("#operations-fleet-check_token_api_auth_get .opblock-summary")
    page.click("#operations-fleet-check_token_api_auth_get button.try-out__btn")
    page.click("#operations-fleet-check_token_api_auth_get button.execute")
    status = page.locator("#operations-fleet-check_token_api_auth_get .live-responses-table tr.response"
                          " td.response-col_status")
    status.first.wait_for(timeout=10_000)
    page.screenshot(path=str(artifacts / "docs-authorized.png"))
    assert status.first.inner_text().strip().startswith("204"), status.first.inner_text()
    assert not problems, problems  # a CSP refusal shows here as a console error
    assert not outside, outside  # nothing from a CDN or anywhere else
    page.close()
