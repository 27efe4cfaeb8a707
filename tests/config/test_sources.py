"""The sources file: valid entries parse; every broken one names the source and the field."""

from __future__ import annotations

import pytest

from config.sources import load_sources, parse_duration, parse_sources
from workers.core.errors import ConfigError

GOOD = """
sources:
  - name: rt-arabic
    url: https://arabic.rt.com/rss/
    kind: feed
    interval: 15m
    timezone: Europe/Moscow
  - {name: sitemap-one, url: "https://example.com/sitemap.xml", kind: sitemap, interval: 1h}
"""


def test_parses_the_documented_shape() -> None:
    sources = parse_sources(GOOD)
    assert [s.name for s in sources] == ["rt-arabic", "sitemap-one"]
    assert sources[0].interval == 900 and sources[0].timezone == "Europe/Moscow"
    assert sources[1].kind == "sitemap" and sources[1].interval == 3600


@pytest.mark.parametrize(("text", "expected"), [
    ("sources: [", "not valid YAML"),
    ("feeds: []", "top-level 'sources:'"),
    ("sources:\n  - {url: 'https://a.example/rss'}", "field 'name' is missing"),
    ("sources:\n  - {name: a, url: 'ftp://a.example/rss'}", "source 'a': field 'url'"),
    ("sources:\n  - {name: a, url: 'not a url'}", "source 'a': field 'url'"),
    ("sources:\n  - {name: a}", "source 'a': field 'url' is missing"),
    ("sources:\n  - {name: a, url: 'https://a.example/', colour: red}", "source 'a': unknown field 'colour'"),
    ("sources:\n  - {name: a, url: 'https://a.example/', kind: podcast}", "source 'a': field 'kind'"),
    ("sources:\n  - {name: a, url: 'https://a.example/', interval: soon}", "source 'a': field 'interval'"),
    ("sources:\n  - {name: a, url: 'https://a.example/', timezone: Mars/Base}", "source 'a': field 'timezone'"),
    ("sources:\n  - {name: a, url: 'https://a.example/'}\n  - {name: a, url: 'https://b.example/'}",
     "source 'a': field 'name' is a duplicate"),
])
def test_broken_files_name_source_and_field(text: str, expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_sources(text)
    assert expected in info.value.message


@pytest.mark.parametrize(("value", "seconds"), [("15m", 900), ("1h", 3600), ("30s", 30), (120, 120), ("2d", 172800)])
def test_durations(value: object, seconds: int) -> None:
    assert parse_duration(value) == seconds


def test_shipped_sources_file_has_25_real_outlets() -> None:
    from tests.conftest import ROOT

    sources = load_sources(ROOT / "config" / "sources.yaml")
    assert len(sources) >= 25
    assert len({s.url.split("/")[2] for s in sources}) >= 25


def test_cli_exits_2_on_a_broken_sources_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    bad = tmp_path / "bad.yaml"
    bad.write_text("sources:\n  - {name: x, url: 'https://x.example/', interval: never}\n")
    env = {"AKHBAR_STORE_URL": f"sqlite:///{tmp_path / 'a.db'}", "AKHBAR_DATA_DIR": str(tmp_path),
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "console", "run", "--once", "--sources", str(bad)],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "source 'x': field 'interval'" in result.stderr
