"""/docs: Swagger UI from files this machine has (fastapi-offline ships them; no CDN), started by a script file
of ours, so the page runs under the same strict Content-Security-Policy as the dashboard (no inline script)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = "/docs/assets"
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>akhbar API</title>
<link rel="icon" href="{assets}/favicon.png">
<link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/docs-init.js"></script>
</body>
</html>
"""


def swagger_assets() -> Path:
    """The folder of Swagger UI's bundle and stylesheet inside the installed fastapi-offline package."""
    return Path(str(files("fastapi_offline") / "static"))


def mount_docs(app: FastAPI, openapi_url: str) -> None:
    """Serve the Swagger UI page at /docs and its files under /docs/assets."""
    page = PAGE.format(assets=ASSETS_PATH, openapi=openapi_url)

    @app.get(DOCS_PATH, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page, headers={"Cache-Control": "no-cache"})

    app.mount(ASSETS_PATH, StaticFiles(directory=swagger_assets()), name="docs-assets")
