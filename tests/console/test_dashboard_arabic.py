"""The dashboard as an Arabic newsroom uses it, in headless Chromium: an RTL shell with Arabic labels, the
language/digits/zone choices kept, refreshes that keep a selection and a pressed button, a phone layout of
cards, axe-core with no critical or serious violation on any page at either size, a chart with axes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest

from tests.console.conftest import TOKEN, api_server
from tests.console.dashboard_support import (
    ARABIC,
    DESKTOP,
    PAGES,
    PHONE,
    SIZES,
    open_page,
    run_axe,
    screens_dir,
    seed,
    wait_polls,
)

ARABIC_DIGITS = re.compile("[٠-٩]")
WESTERN_DIGITS = re.compile("[0-9]")


@pytest.fixture
def base(rt, demo_site) -> Iterator[str]:  # type: ignore[no-untyped-def]
    seed(rt, demo_site.base)
    with api_server(rt) as url:
        yield url


def texts(page: Any, selector: str) -> list[str]:
    """The text of each element (SVG's too, which has no innerText), stripped, empty ones left out."""
    return [t.strip() for t in page.locator(selector).all_text_contents() if t.strip()]


def minutes(clock: str | None) -> int:
    """'١٤:٠٥' or '14:05' as minutes after midnight."""
    hours, mins = (clock or "").translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")).split(":")
    return int(hours) * 60 + int(mins)


def test_shell_is_arabic_rtl_and_english_switch_persists(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page = open_page(browser, base, "sources", DESKTOP, errors=errors)
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.locator("h1").count() == 1 and ARABIC.search(page.locator("h1").inner_text())
    labels = texts(page, "nav a") + texts(page, "#sources-table th") + texts(page, "#sources-table td.actions button")
    labels += [*texts(page, "#sources-table .state"), page.locator("#settings summary").inner_text()]
    assert labels and all(ARABIC.search(x) and not re.search("[A-Za-z]", x) for x in labels), labels
    assert page.title().startswith("أخبار")

    page.click("#lang-switch")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    assert texts(page, "nav a")[:3] == ["Overview", "Sources", "Articles"]
    assert "Re-fetch" in texts(page, "#sources-table td.actions button")
    page.reload()
    page.wait_for_selector('#sources-table tr[data-source="demo-rss"]')
    assert html.get_attribute("lang") == "en" and texts(page, "nav a")[1] == "Sources"
    page.click("#lang-switch")
    assert html.get_attribute("dir") == "rtl" and texts(page, "nav a")[1] == "المصادر"
    page.reload()
    page.wait_for_selector('#sources-table tr[data-source="demo-rss"]')
    assert html.get_attribute("lang") == "ar"
    assert errors == []


def test_digits_and_zone_choices_persist(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, base, "overview", DESKTOP)
    cards = " ".join(texts(page, "#summary-cards .value"))
    assert ARABIC_DIGITS.search(cards) and not WESTERN_DIGITS.search(cards), cards
    ticks = texts(page, "#throughput-chart .x-tick")
    assert ticks and all(ARABIC_DIGITS.search(x) for x in ticks)
    assert "UTC" in page.locator("#throughput-chart .x-axis .axis-title").text_content()
    ages = page.locator("#workers-table time").first
    assert re.match("^(منذ|قبل) ", ages.inner_text()), ages.inner_text()  # a relative age, in Arabic
    utc_first = page.locator("#throughput-chart .x-tick").first.text_content()

    page.click("#settings summary")
    page.select_option("#pref-digits", "latn")
    cards = " ".join(texts(page, "#summary-cards .value"))
    assert WESTERN_DIGITS.search(cards) and not ARABIC_DIGITS.search(cards), cards
    page.select_option("#pref-zone", "Asia/Riyadh")  # UTC+3 all year
    assert "Asia/Riyadh" in page.locator("#throughput-chart .x-axis .axis-title").text_content()
    riyadh_first = page.locator("#throughput-chart .x-tick").first.text_content()
    # three hours ahead (a minute more when the window moved on between the two reads)
    assert (minutes(riyadh_first) - minutes(utc_first)) % 1440 in (180, 181), (utc_first, riyadh_first)

    page.reload()
    page.wait_for_selector("#summary-cards .card")
    wait_polls(page)
    assert page.locator("#pref-digits").input_value() == "latn"
    assert page.locator("#pref-zone").input_value() == "Asia/Riyadh"
    assert not ARABIC_DIGITS.search(" ".join(texts(page, "#summary-cards .value")))
    assert (minutes(page.locator("#throughput-chart .x-tick").first.text_content()) - minutes(riyadh_first)) % 1440 < 2
    page.click("#settings summary")
    page.select_option("#pref-zone", "local")
    assert page.locator("#pref-zone").input_value() == "local"


def test_a_selection_survives_refreshes(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, base, "articles", DESKTOP)
    title = page.locator("#articles-list .article .title").first
    expected = title.inner_text()
    page.evaluate("""() => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector('#articles-list .article .title'));
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }""")
    wait_polls(page, 2)
    assert page.evaluate("() => getSelection().toString()") == expected
    assert page.evaluate("() => getSelection().anchorNode.isConnected")

    page.goto(base + "/#failures")
    page.wait_for_selector("#failures-table tr[data-failure]")
    url = page.locator("#failures-table td.url").first
    box = url.bounding_box()
    assert box
    # a person's drag across the URL, then two refreshes
    page.mouse.move(box["x"] + box["width"] - 3, box["y"] + 6)
    page.mouse.down()
    page.mouse.move(box["x"] + 3, box["y"] + box["height"] - 4, steps=8)
    page.mouse.up()
    selected = page.evaluate("() => getSelection().toString()")
    assert len(selected) > 20 and any(selected in u for u in texts(page, "#failures-table td.url")), selected
    page.locator('#failures-table button[data-action="retry"]').first.focus()
    wait_polls(page, 2)
    assert page.evaluate("() => getSelection().toString()") == selected
    assert page.evaluate("() => document.activeElement.dataset.action") == "retry"


def test_a_click_held_across_a_refresh_is_not_lost(browser, base: str, rt) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, base, "failures", DESKTOP, storage={"akhbar.token": TOKEN})
    first = page.locator("#failures-table tr[data-failure]").first
    failure = int(first.get_attribute("data-failure") or 0)
    button = first.locator('button[data-action="drop"]')
    box = button.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    wait_polls(page, 1)  # the table refreshed while the button was held
    with page.expect_request(lambda r: r.method == "DELETE" and r.url.endswith(f"/api/failures/{failure}")):
        page.mouse.up()
    page.wait_for_selector(f'#failures-table tr[data-failure="{failure}"]', state="detached")
    assert rt.store.get_failure(failure) is None
    page.wait_for_selector("#toast.show:not(.bad)")


def test_phone_layout_cards_with_actions_in_reach(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    for name in PAGES:
        page = open_page(browser, base, name, PHONE, storage={"akhbar.token": TOKEN})
        header = page.locator("header.top").bounding_box()
        assert header and header["height"] <= 100, header  # two short lines: the brand and menus, then the pages
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"], name
        for button in page.locator("main tbody button:visible, main .article button:visible, #retry-all:visible").all():
            box = button.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (name, box)
        if name in ("overview", "sources", "failures"):
            rows = page.locator("main table.cardable tbody tr:visible")
            assert rows.count() and all(r.evaluate("(el) => getComputedStyle(el).display") == "grid"
                                        for r in rows.all())  # a card, not a table row
            label = rows.first.locator("td").first.evaluate("(el) => getComputedStyle(el, '::before').content")
            assert ARABIC.search(label), label
        if name == "failures":
            url = page.locator("#failures-table td.url bdi").first.bounding_box()
            assert url and url["width"] > 180, url  # the URL has room; it wraps by line, not by character
            assert page.locator('#failures-table button[data-action="drop"]').first.is_visible()
        page.context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_axe_finds_nothing_critical_or_serious(browser, base: str, size: str) -> None:  # type: ignore[no-untyped-def]
    found = {}
    errors: list[str] = []  # script errors and CSP refusals (logged as console errors) on any page
    screens = screens_dir()
    for name in PAGES:
        page = open_page(browser, base, name, SIZES[size], storage={"akhbar.token": TOKEN}, errors=errors)
        page.screenshot(path=str(screens / f"{size}-{name}.png"), full_page=True)
        found[name] = run_axe(page)
        if name == "overview":  # the settings menu's controls too, which axe skips while they are hidden
            page.click("#settings summary")
            page.screenshot(path=str(screens / f"{size}-settings.png"))
            found["settings menu"] = run_axe(page)
        page.context.close()
    for name, violations in found.items():
        print(f"axe {size} {name}: " + (", ".join(f"{v['id']} ({v['impact']}, {v['nodes']})" for v in violations)
                                       or "no violations"))
    bad = {name: [v for v in vs if v["impact"] in ("critical", "serious")] for name, vs in found.items()}
    assert not any(bad.values()), bad
    assert errors == []


def test_throughput_chart_has_axes_and_a_readable_scale(browser, base: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(browser, base, "overview", DESKTOP)
    chart = page.locator("#throughput-chart svg.chart")
    assert chart.get_attribute("role") == "img" and ARABIC.search(chart.get_attribute("aria-label") or "")
    y_ticks = [int(x.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))) for x in texts(page, ".y-tick")]
    assert y_ticks[0] == 0 and len(y_ticks) >= 2 and len({b - a for a, b in pairwise(y_ticks)}) == 1
    assert max(y_ticks) >= 5  # nine jobs and every article published this window: the scale reaches past them
    assert len(texts(page, ".x-tick")) >= 3
    assert page.locator(".chart .axis-title").count() == 2
    assert page.locator(".chart .bars g.minute").count() == 15
    # right to left: the newest minute is drawn at the left end
    first, last = (page.locator(".chart .bars g.minute rect.bar-jobs").nth(i).bounding_box() for i in (0, 14))
    assert first and last and last["x"] < first["x"]
