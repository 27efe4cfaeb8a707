"""No import cycles among the project's packages, late (function-level) imports included; the layers hold;
every module imports.

A late import is still a dependency: it only hides a cycle until the day someone moves it to the top. So the
graph below reads every `import` in a module, at any depth, except those under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "scheduler", "workers", "console", "demo")
# Alembic's scripts run inside a migration context; __main__ modules run their program on import.
NOT_IMPORTED = ("workers/adapters/migrations/", "__main__.py")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))
           if "migrations/versions" not in p.as_posix()}


def _project_module(name: str) -> str | None:
    """The project module an import names (`a.b.c` for `from a.b import c` when c is a module), else None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(name: str, path: Path) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                visit_else(child)
                continue
            if isinstance(child, ast.Import):
                found.update(filter(None, (_project_module(alias.name) for alias in child.names)))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = package.split(".")[: len(package.split(".")) - (child.level - 1)]
                    base = ".".join([*parts, base] if base else parts)
                for alias in child.names:
                    target = f"{base}.{alias.name}"
                    found.add(_project_module(target if target in MODULES else base) or "")
            visit(child)

    def visit_else(node: ast.If) -> None:
        for child in node.orelse:
            visit(ast.Module(body=[child], type_ignores=[]))

    visit(ast.parse(path.read_text(encoding="utf-8")))
    found.discard("")
    found.discard(name)
    return found


def import_graph() -> dict[str, set[str]]:
    return {name: _imports(name, path) for name, path in MODULES.items()}


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """Every module start depends on, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for dep in graph.get(todo.pop(), set()) - seen:
            seen.add(dep)
            todo.append(dep)
    return seen


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The modules that depend on themselves, grouped by the cycle they share, each group sorted."""
    reach = {name: reachable(graph, name) for name in graph}
    groups = {tuple(sorted(w for w in reach[v] if v in reach.get(w, set()))) for v in graph if v in reach[v]}
    return sorted(list(g) for g in groups)


def test_no_import_cycles() -> None:
    graph = import_graph()
    found = cycles(graph)
    described = ["; ".join(f"{m} -> {', '.join(sorted(graph[m] & set(c)))}" for m in c) for c in found]
    assert not found, "import cycles:\n" + "\n".join(described)


def test_the_checker_sees_a_late_import_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    assert "workers.core.items" in _imports("workers.core.sitemaps", MODULES["workers.core.sitemaps"])


def test_the_celery_app_needs_no_store() -> None:
    """The app names its queues from workers/names.py; it must not pull in the store (SQLAlchemy) for them."""
    graph = import_graph()
    assert graph["workers.names"] == set()
    store = {"workers.runtime", "workers.queueing", "workers.adapters.store", "workers.adapters.schema"}
    assert not reachable(graph, "workers.app") & store


def _top_level_names(path: Path) -> set[str]:
    """The first component of every module a file imports (at any depth), relative imports apart."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


CORE_MAY_NOT_USE = {"celery", "kombu", "billiard", "httpx", "sqlalchemy", "alembic", "redis", "psycopg", "fastapi"}


def test_core_is_pure() -> None:
    """workers/core imports nothing but itself from the project, and no I/O library."""
    graph = import_graph()
    core = [n for n in MODULES if n.startswith("workers.core")]
    outside = {n: sorted(d for d in graph[n] if not d.startswith("workers.core")) for n in core}
    assert not {n: d for n, d in outside.items() if d}
    io = {n: sorted(_top_level_names(MODULES[n]) & CORE_MAY_NOT_USE) for n in core}
    assert not {n: d for n, d in io.items() if d}


def test_adapters_import_neither_services_nor_tasks() -> None:
    graph = import_graph()
    upper = {"workers.services", "workers.tasks", "workers.runtime", "workers.queueing", "workers.app",
             "workers.process", "scheduler", "console"}
    wrong = {n: sorted(d for d in graph[n] if d in upper or d.split(".")[0] in {"scheduler", "console"})
             for n in MODULES if n.startswith("workers.adapters")}
    assert not {n: d for n, d in wrong.items() if d}


@pytest.mark.parametrize("name", [n for n, p in MODULES.items()
                                  if not any(part in p.as_posix() for part in NOT_IMPORTED)])
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)
