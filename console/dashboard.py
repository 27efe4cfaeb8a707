"""The dashboard's files: plain HTML, CSS and JS under static/, served by the API (no build step, no CDN)."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).with_name("static")


def render_dashboard() -> str:
    """The dashboard page itself."""
    return (STATIC / "index.html").read_text(encoding="utf-8")
