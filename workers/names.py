"""Queue and task names, written once. Imports nothing: the app, the ledger, the broker's reader and the
supervisor all name the same queues without pulling in one another (or SQLAlchemy)."""

from __future__ import annotations

FEEDS, PAGES, MANUAL = "feeds", "pages", "manual"
QUEUES = (MANUAL, FEEDS, PAGES)  # the order a worker serves them: an operator's re-fetch first

FETCH_SOURCE = "akhbar.fetch_source"
FETCH_PAGE = "akhbar.fetch_page"
