"""Binary input is refused before extraction; real pages in any charset are not."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from workers.core.errors import ExtractError
from workers.core.extract import extract_article
from workers.core.extract.binary import refuse_binary

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"


@pytest.mark.parametrize("body", [
    os.urandom(50_000),
    bytes(random.Random(7).randrange(256) for _ in range(4096)),
    b"\x00" * 10_000,
    b"\x89PNG\r\n\x1a\n" + os.urandom(2000),
    b"%PDF-1.7\n" + bytes(range(256)) * 20,
])
def test_binary_bodies_are_refused(body: bytes) -> None:
    with pytest.raises(ExtractError, match="binary"):
        refuse_binary(body)


def test_random_bytes_never_become_an_article() -> None:
    with pytest.raises(ExtractError):
        extract_article(os.urandom(200_000), "https://a.example/x")


@pytest.mark.parametrize("body", [
    "<html><body><p>خبر عاجل عن الطقس</p></body></html>".encode(),
    "<html><body><p>خبر عاجل عن الطقس</p></body></html>".encode("cp1256"),
    "<html><body><p>خبر عاجل</p></body></html>".encode("utf-16"),
    "<html><body><p>خبر عاجل في الصفحة</p></body></html>".encode("utf-16-le"),
    "<html><body><p>خبر عاجل في الصفحة</p></body></html>".encode("utf-16-be"),
    b"<!doctype html><title>x</title>\x0c<p>form feed in text</p>",
    b"",
])
def test_html_in_any_charset_passes(body: bytes) -> None:
    refuse_binary(body)


def test_every_fixture_page_passes() -> None:
    for page in PAGES.glob("*.html"):
        refuse_binary(page.read_bytes())
