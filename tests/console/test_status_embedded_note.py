"""`akhbar status` in embedded mode says where workers can be seen: Flower and `celery inspect` cannot reach the
embedded broker's workers (kombu's SQLAlchemy transport has no broadcast), the store's reports can."""

from __future__ import annotations

from typing import Any

from rich.console import Console


def rendered(status: dict[str, Any]) -> str:
    from console.views import status_view

    console = Console(record=True, width=200, color_system=None)
    console.print(status_view(status))
    return " ".join(console.export_text().split())


def test_embedded_status_says_how_to_see_the_workers(rt: Any) -> None:
    from console.status import collect_status

    status = collect_status(rt)
    assert status["mode"] == "embedded"
    text = rendered(status)
    assert "embedded mode" in text and "Flower" in text and "AKHBAR_BROKER_URL=redis://" in text
    assert "Flower" not in rendered({**status, "mode": "redis"})
