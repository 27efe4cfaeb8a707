"""The sources file under hostile input: bounded size, no alias expansion, scalars only, one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.sources import MAX_SOURCES_BYTES, load_sources, parse_sources
from workers.core.errors import ConfigError

BOMB = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
sources:
  - {name: x, url: 'https://a.example/rss', kind: *c}
"""


def test_aliases_are_refused_before_anything_is_built() -> None:
    with pytest.raises(ConfigError) as info:
        parse_sources(BOMB, "bomb.yaml")
    assert "bomb.yaml" in info.value.message and "alias" in info.value.message


def test_a_harmless_anchor_is_refused_too() -> None:
    text = "sources:\n  - &one {name: a, url: 'https://a.example/rss'}\n  - *one\n"
    with pytest.raises(ConfigError, match="alias"):
        parse_sources(text)


@pytest.mark.parametrize("field", ["kind", "interval", "timezone", "link_pattern", "url", "name",
                                   "max_interval", "enabled"])
@pytest.mark.parametrize("value", ["[feed, page]", "{a: 1}"])
def test_a_list_or_mapping_in_a_scalar_field_is_refused(field: str, value: str) -> None:
    entry = {"name": "a", "url": "'https://a.example/rss'", field: value}
    text = "sources:\n  - {" + ", ".join(f"{k}: {v}" for k, v in entry.items()) + "}\n"
    with pytest.raises(ConfigError) as info:
        parse_sources(text)
    assert f"field {field!r}" in info.value.message and "single value" in info.value.message


def test_a_file_over_the_cap_is_refused_without_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"sources:\n" + b"# padding padding padding padding\n" * (MAX_SOURCES_BYTES // 30))
    with pytest.raises(ConfigError) as info:
        load_sources(big)
    assert str(big) in info.value.message and "1 MiB" in info.value.message


def test_a_non_utf8_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("sources:\n  - {name: café, url: 'https://a.example/'}\n".encode("latin-1"))
    with pytest.raises(ConfigError) as info:
        load_sources(bad)
    assert str(bad) in info.value.message and "UTF-8" in info.value.message


def test_a_directory_is_not_a_sources_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_sources(tmp_path)


def test_yaml_tags_that_build_objects_are_refused() -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        parse_sources("sources: !!python/object/apply:os.system ['true']\n")


def test_the_shipped_file_still_loads() -> None:
    from tests.conftest import ROOT

    assert len(load_sources(ROOT / "config" / "sources.yaml")) >= 25


@pytest.mark.parametrize("text", ["sources: " + "[" * 400_000 + "]" * 400_000,
                                  "sources: " + "{a: " * 200_000 + "1" + "}" * 200_000])
def test_deep_nesting_is_one_clear_error(text: str) -> None:
    with pytest.raises(ConfigError, match="not valid YAML"):
        parse_sources(text, "deep.yaml")


def test_the_c_loader_is_used_when_pyyaml_has_it() -> None:
    import yaml

    from config import sources

    assert sources._LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    assert issubclass(sources._LOADER, yaml.SafeLoader) or sources._LOADER.__name__ == "CSafeLoader"
