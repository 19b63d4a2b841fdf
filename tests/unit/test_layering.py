"""Qt stays in the GUI: domain, db and services must run without a display."""

from __future__ import annotations

import ast
from pathlib import Path

import frontdesk

PACKAGE = Path(frontdesk.__file__).resolve().parent
QT_ALLOWED = {"ui", "app.py", "__main__.py"}
QT_MODULES = ("PySide6", "shiboken6", "frontdesk.ui")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_no_qt_outside_ui_and_composition_root() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in QT_ALLOWED:
            continue
        for name in _imports(path):
            if name.startswith(QT_MODULES):
                offenders.append(f"{rel}: imports {name}")
    assert offenders == []


# Widgets reach data only through the services: no ORM models, no sessions, no SQL. The
# Database type itself may be named (it is what the services take).
UI_FORBIDDEN = ("sqlalchemy", "alembic", "frontdesk.db.models", "frontdesk.db.base",
                "frontdesk.db.schema", "frontdesk.db.seed")


def test_widgets_never_touch_the_orm_or_sql() -> None:
    offenders = []
    for path in (PACKAGE / "ui").rglob("*.py"):
        for name in _imports(path):
            if name.startswith(UI_FORBIDDEN):
                offenders.append(f"{path.relative_to(PACKAGE)}: imports {name}")
    assert offenders == []


def test_the_check_sees_qt_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport frontdesk.ui.main_window\n")
    assert _imports(sample) == ["PySide6.QtCore", "frontdesk.ui.main_window"]
