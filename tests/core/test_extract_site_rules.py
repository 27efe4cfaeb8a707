"""Per-site rules as data: parsing, host matching, loading the shipped files, and their effect."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.site_rules import load_site_rules
from workers.core.errors import ConfigError
from workers.core.extract import extract_article, parse_site_rules, rules_for_url

PAGE = (Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "site_rules_page.html").read_bytes()
RULES = """
title: ".hd"
body: ".txt"
date: ".when"
author: ".who"
drop: [".promo-x"]
timezone: Africa/Cairo
"""


def test_parse_site_rules():
    rules = parse_site_rules(RULES, domain="oasis.example.com")
    assert rules.title == ".hd" and rules.body == ".txt" and rules.drop == (".promo-x",)
    assert rules.domain == "oasis.example.com" and rules.timezone == "Africa/Cairo"


@pytest.mark.parametrize("text", ["title: [", "- a\n- b", "body: 3", "drop: [1]", "unknown: x", "body: 'p[['"])
def test_bad_rules_raise_config_error(text):
    with pytest.raises(ConfigError):
        parse_site_rules(text, domain="bad.example")


@pytest.mark.parametrize("url, domain", [
    ("https://oasis.example.com/a", "oasis.example.com"),
    ("https://www.oasis.example.com/a", "oasis.example.com"),
    ("https://arabic.news.example.org/a", "news.example.org"),
    ("https://other.example.net/a", None),
])
def test_rules_for_url(url, domain):
    rules = {r.domain: r for r in (parse_site_rules("", "oasis.example.com"), parse_site_rules("", "news.example.org"))}
    found = rules_for_url(url, rules)
    assert (found.domain if found else None) == domain


def test_rules_change_the_result():
    generic = extract_article(PAGE, "https://oasis.example.com/a")
    assert "حشو" in generic.body  # the generic path is fooled by the long filler block
    rules = parse_site_rules(RULES, domain="oasis.example.com")
    article = extract_article(PAGE, "https://oasis.example.com/a", site_rules=rules)
    assert article.title == "تقرير: نمو السياحة الشتوية في الواحات"
    assert article.body.split("\n\n")[0].startswith("سجلت الواحات الجنوبية")
    assert "عرض خاص" not in article.body and "حشو" not in article.body
    assert article.authors == ["هالة يوسف"]
    assert article.published_at.isoformat() == "2024-01-09T18:00:00+02:00"


def test_shipped_rule_files_load(tmp_path):
    rules = load_site_rules()
    assert {"youm7.com", "sputniknews.com"} <= set(rules)
    assert rules_for_url("https://arabic.sputniknews.com/x", rules).domain == "sputniknews.com"
    (tmp_path / "broken.example.yaml").write_text("body: [", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_site_rules(tmp_path)
