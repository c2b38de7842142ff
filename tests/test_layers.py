"""House rule: models and services never import Qt; views never import SQLAlchemy."""

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
    return names


def violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for path in sorted((APP / folder).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in forbidden or any(name.startswith(f + ".") for f in forbidden):
                out.append(f"{path.relative_to(APP.parent)} imports {name}")
    return out


def test_models_and_services_do_not_import_qt() -> None:
    assert violations("models", ("PySide6", "app.views")) == []
    assert violations("services", ("PySide6", "app.views")) == []


def test_views_do_not_import_sqlalchemy() -> None:
    assert violations("views", ("sqlalchemy", "alembic", "app.models")) == []


def test_the_walker_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("import sqlalchemy.orm\nfrom PySide6.QtCore import Qt\n", "utf-8")
    assert imported_modules(sample) == {"sqlalchemy.orm", "PySide6.QtCore"}
