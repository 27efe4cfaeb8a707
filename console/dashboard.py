"""The dashboard page: one self-contained HTML file served by the API (no build step, no CDN)."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).with_name("static")


def render_dashboard() -> str:
    return (STATIC / "dashboard.html").read_text(encoding="utf-8")
