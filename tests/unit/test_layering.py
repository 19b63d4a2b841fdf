"""Qt stays in the GUI: domain, db and services must run without a display."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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


# The database layer is the bottom of the stack: it may use the domain's errors and enums and
# the data-folder locator and the private-file helpers (modes for the files it writes), never a
# service, the demo clinic or the GUI above it.
DB_MAY_IMPORT = ("frontdesk.db", "frontdesk.domain", "frontdesk.paths", "frontdesk.private_files")
# The demo clinic sits above the services; only the entry points that offer it may import it.
DEMO_USERS = {"demo", "app.py", "commands"}


def _frontdesk_imports(path: Path) -> list[str]:
    """Every ``frontdesk`` module a file imports, with ``from frontdesk import x`` as ``x``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(("frontdesk", *path.relative_to(PACKAGE).parent.parts))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return [n for n in names if n == "frontdesk" or n.startswith("frontdesk.")]


def _upward_from_db(root: Path) -> list[str]:
    offenders = []
    for path in (root / "db").rglob("*.py"):
        for name in _frontdesk_imports(path):
            if not any(name == ok or name.startswith(ok + ".") for ok in DB_MAY_IMPORT):
                offenders.append(f"{path.relative_to(root)}: imports {name}")
    return offenders


def test_the_database_layer_imports_nothing_above_it() -> None:
    assert _upward_from_db(PACKAGE) == []


def test_only_the_entry_points_import_the_demo_clinic() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in DEMO_USERS:
            continue
        for name in _frontdesk_imports(path):
            if name == "frontdesk.demo" or name.startswith("frontdesk.demo."):
                offenders.append(f"{rel}: imports {name}")
    assert offenders == []


def test_the_check_sees_an_upward_import_from_db(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("tests.unit.test_layering.PACKAGE", tmp_path)
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "ok.py").write_text(
        "from frontdesk import paths\nfrom frontdesk.domain import NotFound\nfrom . import models\n"
    )
    (tmp_path / "db" / "bad.py").write_text(
        "from frontdesk import clinic\nimport frontdesk.patients.rows\n"
        "from ..plans import library\nfrom frontdesk.demo.builder import build_demo\n"
    )
    assert sorted(_upward_from_db(tmp_path)) == [
        "db/bad.py: imports frontdesk.clinic",
        "db/bad.py: imports frontdesk.demo.builder.build_demo",
        "db/bad.py: imports frontdesk.patients.rows",
        "db/bad.py: imports frontdesk.plans.library",
    ]
