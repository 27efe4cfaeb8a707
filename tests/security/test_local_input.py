"""Hostile local input (sources file, saved pages, dedupe pairs, an unreachable store) through the real
`akhbar` command: bounded memory and time, one `error:` line, the documented exit code, never a traceback."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

AKHBAR = [sys.executable, "-m", "console"]
MEMORY_CAP = 2 * 1024**3  # a bomb that is not refused dies here instead of taking the machine


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def akhbar(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None,
           timeout: float = 60) -> subprocess.CompletedProcess:
    """Run the console script under a memory cap and a timeout; output as text."""
    result = subprocess.run([*AKHBAR, *args], input=stdin, capture_output=True, timeout=timeout, cwd=ROOT,
                            env=env, preexec_fn=_limits)
    result.stdout = result.stdout.decode("utf-8", "replace")
    result.stderr = result.stderr.decode("utf-8", "replace")
    return result


def one_error_line(result: subprocess.CompletedProcess, *words: str) -> str:
    """The command failed with exactly one `error:` line on stderr (no traceback) holding every word."""
    assert result.returncode != 0, result.stdout[:2000]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr[-3000:]
    assert lines[0].startswith("error:"), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Embedded broker and a SQLite store of the test's own."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AKHBAR_")}
    return {**clean, "AKHBAR_STORE_URL": f"sqlite:///{tmp_path / 'akhbar.db'}",
            "AKHBAR_DATA_DIR": str(tmp_path / "data"), "AKHBAR_LOG_LEVEL": "WARNING"}


# --- the sources file -------------------------------------------------------------------------------

def run_sources(env: dict[str, str], path: Path) -> subprocess.CompletedProcess:
    return akhbar("run", "--once", "--sources", str(path), env=env, timeout=60)


@pytest.mark.parametrize("field", ["kind", "link_pattern", "interval", "timezone"])
def test_an_alias_bomb_in_a_scalar_field_is_refused(tmp_path: Path, env: dict[str, str], field: str) -> None:
    levels = ['a0: &a0 ["' + "x" * 64 + '"]']
    levels += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(levels) + f"\nsources:\n  - {{name: x, url: 'https://a.example/', {field}: *a8}}\n",
                    encoding="utf-8")
    result = run_sources(env, bomb)
    assert result.returncode == 2, result.stderr[-2000:]
    one_error_line(result, str(bomb), "alias")


def test_a_huge_sources_file_is_refused_by_size(tmp_path: Path, env: dict[str, str]) -> None:
    big = tmp_path / "big.yaml"
    entry = "  - {name: s%d, url: 'https://a%d.example/rss', kind: feed, interval: 15m}\n"
    with big.open("w", encoding="utf-8") as out:
        out.write("sources:\n")
        for i in range(450_000):  # about 31 MB
            out.write(entry % (i, i))
    result = run_sources(env, big)
    assert result.returncode == 2
    one_error_line(result, str(big), "MiB")


def test_a_non_utf8_sources_file_exits_2_naming_the_file(tmp_path: Path, env: dict[str, str]) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("sources:\n  - {name: caf\u00e9, url: 'https://a.example/'}\n".encode("latin-1"))
    result = run_sources(env, bad)
    assert result.returncode == 2
    one_error_line(result, str(bad), "UTF-8")


def test_a_list_in_a_scalar_field_exits_2(tmp_path: Path, env: dict[str, str]) -> None:
    bad = tmp_path / "list.yaml"
    bad.write_text("sources:\n  - {name: a, url: 'https://a.example/', kind: [feed, page]}\n", encoding="utf-8")
    result = run_sources(env, bad)
    assert result.returncode == 2
    one_error_line(result, "source 'a'", "field 'kind'")


# --- akhbar extract ----------------------------------------------------------------------------------

def test_extract_dev_zero_is_refused_quickly(env: dict[str, str]) -> None:
    result = akhbar("extract", "/dev/zero", "--url", "https://a.example/x", env=env, timeout=30)
    one_error_line(result, "/dev/zero", "not a regular file")


def test_extract_stdin_is_bounded(env: dict[str, str]) -> None:
    result = akhbar("extract", "-", "--url", "https://a.example/x", stdin=b"<p>x</p>" * 2000,
                    env={**env, "AKHBAR_MAX_BODY_BYTES": "4096"})
    one_error_line(result, "4096")


def test_extract_a_file_over_the_cap(tmp_path: Path, env: dict[str, str]) -> None:
    page = tmp_path / "big.html"
    page.write_bytes(b"<html><body>" + b"<p>x</p>" * 2000 + b"</body></html>")
    result = akhbar("extract", str(page), "--url", "https://a.example/x",
                    env={**env, "AKHBAR_MAX_BODY_BYTES": "4096"})
    one_error_line(result, str(page), "4096")


@pytest.mark.parametrize("what", ["directory", "missing"])
def test_extract_a_directory_or_missing_file(tmp_path: Path, env: dict[str, str], what: str) -> None:
    path = tmp_path if what == "directory" else tmp_path / "nope.html"
    result = akhbar("extract", str(path), "--url", "https://a.example/x", env=env)
    one_error_line(result, str(path))


def test_extract_random_bytes_is_refused(tmp_path: Path, env: dict[str, str]) -> None:
    page = tmp_path / "random.bin"
    page.write_bytes(os.urandom(300_000))
    result = akhbar("extract", str(page), "--url", "https://a.example/x", env=env)
    assert result.stdout == ""
    one_error_line(result, str(page), "binary")


def test_extract_several_paths_reports_each_bad_one_and_goes_on(tmp_path: Path, env: dict[str, str]) -> None:
    good = ROOT / "tests" / "fixtures" / "pages" / "seed_aggregator.html"
    result = akhbar("extract", str(tmp_path), "/dev/zero", str(good), env=env, timeout=30)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(tmp_path), "/dev/zero", str(good)]
    assert "error" in lines[0] and "error" in lines[1] and lines[2]["title"]


# --- akhbar dedupe-pairs ------------------------------------------------------------------------------

def test_dedupe_pairs_reports_every_bad_line_and_goes_on(tmp_path: Path, env: dict[str, str]) -> None:
    good = json.dumps({"a": {"title": "عنوان", "body": "نص الخبر"}, "b": {"title": "عنوان", "body": "نص الخبر"}},
                      ensure_ascii=False).encode()
    lines = [
        good,
        b"not json",
        b"[1, 2]",
        b'{"a": {"title": "x", "body": "y"}}',
        b'{"a": {"title": 1, "body": []}, "b": {"title": "x", "body": "y"}}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": "\xff\xfe", "b": 1}',
        b'{"a": {"title": "x", "body": "y"}, "b": "not an object"}',
        good,
        # a lone surrogate: valid JSON that no encoding can carry, decided as U+FFFD, not an error
        '{"a": {"title": "\\ud800 عنوان الخبر", "body": "نص \\udfff"}, "b": {"title": "عنوان الخبر", "body": "نص"}}'
        .encode(),
    ]
    file = tmp_path / "pairs.jsonl"
    file.write_bytes(b"\n".join(lines) + b"\n")
    result = akhbar("dedupe-pairs", str(file), env=env)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert len(result.stdout.splitlines()) == 3  # the two good lines and the surrogate's
    errors = result.stderr.strip().splitlines()
    assert [e.split(":", 2)[1].strip() for e in errors] == [f"{file}" for _ in range(7)], errors
    assert [int(e.split(":")[2]) for e in errors] == list(range(2, 9))
    assert all(e.startswith("error:") and len(e) < 300 for e in errors)


def test_dedupe_pairs_missing_file_exits_2(tmp_path: Path, env: dict[str, str]) -> None:
    result = akhbar("dedupe-pairs", str(tmp_path / "nope.jsonl"), env=env)
    assert result.returncode == 2
    one_error_line(result, "nope.jsonl")


# --- the store or broker is away ------------------------------------------------------------------------

DEAD_STORE = "postgresql://postgres:pw@127.0.0.1:1/x"  # nothing listens on port 1


@pytest.mark.parametrize("args", [("status",), ("status", "--json"), ("articles",), ("events",),
                                  ("refetch", "--source", "a"), ("sources", "list"), ("failures", "list"),
                                  ("run", "--once")])
def test_every_command_says_the_store_is_unreachable_in_one_line(env: dict[str, str], args: tuple[str, ...]) -> None:
    result = akhbar(*args, env={**env, "AKHBAR_STORE_URL": DEAD_STORE})
    assert result.returncode == 2
    line = one_error_line(result, "127.0.0.1:1", "unreachable")
    assert ":pw@" not in line


def test_a_dead_redis_broker_is_one_line(tmp_path: Path, env: dict[str, str]) -> None:
    dead = {**env, "AKHBAR_BROKER_URL": "redis://127.0.0.1:1/0"}
    result = akhbar("refetch", "https://a.example/news/1", env={**dead, "AKHBAR_ALLOW_HOSTS": "a.example"})
    assert result.returncode == 2
    one_error_line(result, "redis://127.0.0.1:1/0", "unreachable")
    status = akhbar("status", "--json", env=dead)  # status degrades: the ledger still knows the queues
    assert status.returncode == 0 and "Traceback" not in status.stderr
    assert json.loads(status.stdout)["queues"]


def test_an_unexpected_error_is_one_line_unless_debugging(env: dict[str, str], tmp_path: Path) -> None:
    bad_dir = tmp_path / "file-not-dir"
    bad_dir.write_text("x")
    result = akhbar("status", env={**env, "AKHBAR_DATA_DIR": str(bad_dir)})
    one_error_line(result)
    debug = akhbar("status", env={**env, "AKHBAR_DATA_DIR": str(bad_dir), "AKHBAR_DEBUG": "1"})
    assert debug.returncode != 0 and "Traceback" in debug.stderr
