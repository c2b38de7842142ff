"""House rules on imports: who may know whom, and no import cycles inside `app/`.

core      errors, vocabulary, clock, problems, jobs: imports nothing else of the app
models    ORM only: core
services  pure Python: core, models (never Qt, never the views or the command line)
cli       the headless face: core and services (never Qt, never SQLAlchemy or the ORM;
          only the PDF renderer of the views, see PDF_RENDERER)
views     the window: core, services (never SQLAlchemy, Alembic or the ORM)
"""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from app.x import y` may name a module y
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _forbidden(name: str, forbidden: tuple[str, ...]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


def violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in sorted((APP / folder).rglob("*.py")):
        for name in sorted(imported_modules(path)):
            if _forbidden(name, forbidden):
                out.append(f"{path.relative_to(APP.parent)} imports {name}")
    return out


def test_core_imports_nothing_else_of_the_app() -> None:
    assert violations("core", ("PySide6", "sqlalchemy", "alembic", "app.models",
                               "app.services", "app.views", "app.cli")) == []


def test_models_and_services_do_not_import_qt() -> None:
    assert violations("models", ("PySide6", "app.views", "app.services", "app.cli")) == []
    assert violations("services", ("PySide6", "app.views", "app.cli")) == []


def test_views_do_not_import_sqlalchemy() -> None:
    assert violations("views", ("sqlalchemy", "alembic", "app.models", "app.cli")) == []


# A printed page is painted by Qt (one routine for preview, printer and PDF), so `report
# --pdf` borrows that renderer; it is the command line's only way into the views.
PDF_RENDERER = "app.views.reports.render"


def test_cli_calls_services_only() -> None:
    found = violations("cli", ("PySide6", "sqlalchemy", "alembic", "app.models", "app.views"))
    assert [v for v in found if not v.split(" imports ")[1].startswith(PDF_RENDERER)] == []


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """Module → the app modules it imports (at any level, lazy imports included)."""
    modules = {_module_name(p): p for p in APP.rglob("*.py") if "migrations" not in p.parts}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps = set()
        for imported in imported_modules(path):
            if imported in modules and imported != name:
                deps.add(imported)
        graph[name] = deps
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle as a list of modules, or None (iterative DFS, three colours)."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    for root in sorted(graph):
        if colour[root] != WHITE:
            continue
        stack: list[tuple[str, list[str]]] = [(root, sorted(graph[root]))]
        path = [root]
        colour[root] = GREY
        while stack:
            node, todo = stack[-1]
            if not todo:
                colour[node] = BLACK
                stack.pop()
                path.pop()
                continue
            nxt = todo.pop()
            # a package's __init__ importing its own children is not a cycle of concern
            if nxt.startswith(node + "."):
                continue
            if colour.get(nxt) == GREY:
                return [*path[path.index(nxt):], nxt]
            if colour.get(nxt) == WHITE:
                colour[nxt] = GREY
                path.append(nxt)
                stack.append((nxt, sorted(graph[nxt])))
    return None


def test_no_import_cycle_inside_app() -> None:
    assert find_cycle(import_graph()) is None


def test_the_cycle_finder_finds_one() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_walker_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("import sqlalchemy.orm\nfrom PySide6.QtCore import Qt\n", "utf-8")
    assert imported_modules(sample) >= {"sqlalchemy.orm", "PySide6.QtCore"}
