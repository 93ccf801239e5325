"""The apps' import graph: domain apps never import an interface, and no two apps import
each other, directly or through others (ARCHITECTURE.md, dependency rule).

Imports under ``if TYPE_CHECKING:`` are left out: annotations name a type, they do not make
one app run another's code. Tests and migrations are left out too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2]
INTERFACES = {"api", "web", "cli"}


def _apps() -> list[str]:
    return sorted(path.parent.name for path in PACKAGE.glob("*/apps.py"))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_apps(tree: ast.AST) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "zweck":
                names = [f"zweck.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "zweck" and len(parts) > 1:
                found.add(parts[1])
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph() -> dict[str, set[str]]:
    """For each app, the other apps its code imports at run time."""
    graph: dict[str, set[str]] = {}
    for app in _apps():
        imported: set[str] = set()
        for path in (PACKAGE / app).rglob("*.py"):
            relative = path.relative_to(PACKAGE / app).parts
            if relative[0] in ("tests", "migrations"):
                continue
            imported |= _imported_apps(ast.parse(path.read_text(), filename=str(path)))
        graph[app] = imported - {app}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle between apps, each once, starting from its alphabetically first app."""
    found: set[tuple[str, ...]] = set()

    def walk(start: str, node: str, path: list[str]) -> None:
        for following in sorted(graph.get(node, ())):
            if following == start:
                found.add(tuple(path))
            elif following not in path and following > start:
                walk(start, following, [*path, following])

    for start in sorted(graph):
        walk(start, start, [start])
    return [list(cycle) for cycle in sorted(found)]


def test_the_graph_is_read_from_the_code() -> None:
    graph = import_graph()
    assert {"core", "accounts", "audit", "crm", "privacy", "api", "web", "cli"} <= set(graph)
    assert "core" in graph["crm"]
    assert "crm" in graph["api"]


def test_no_domain_app_imports_an_interface() -> None:
    graph = import_graph()
    wrong = {app: sorted(imported & INTERFACES) for app, imported in graph.items() if app not in INTERFACES}
    assert {app: imported for app, imported in wrong.items() if imported} == {}


def test_no_two_apps_import_each_other() -> None:
    assert cycles(import_graph()) == []


def test_core_imports_no_other_app() -> None:
    assert import_graph()["core"] == set()


def test_a_cycle_is_found_however_long() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_type_checking_imports_are_not_dependencies() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "from zweck.core import models\n"
        "if TYPE_CHECKING:\n    from zweck.accounts.actors import Actor\n"
        "def f():\n    from zweck.crm import search\n"
    )
    assert _imported_apps(tree) == {"core", "crm"}
