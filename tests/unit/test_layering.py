"""Qt stays in the GUI: domain, db and services must run without a display."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
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
UI_FORBIDDEN = (
    "sqlalchemy",
    "alembic",
    "frontdesk.db.models",
    "frontdesk.db.base",
    "frontdesk.db.schema",
    "frontdesk.db.seed",
)


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
# the data-folder locator, the private-file helpers (modes for the files it writes) and the
# name folding (pure text, the patients' sort key), never a service, the demo clinic or the GUI
# above it.
DB_MAY_IMPORT = (
    "frontdesk.db",
    "frontdesk.domain",
    "frontdesk.folding",
    "frontdesk.paths",
    "frontdesk.private_files",
)
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


# ----- the whole import graph (grimp), function-level imports included -----------------------

# Above the services: the GUI, the entry points and the demo clinic. Everything else in the
# package is the services and the domain (patients, scheduling, plans, ... and db below them).
ABOVE_SERVICES = (
    "frontdesk.ui",
    "frontdesk.app",
    "frontdesk.cli",
    "frontdesk.commands",
    "frontdesk.__main__",
    "frontdesk.demo",
)


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("frontdesk", include_external_packages=True, cache_dir=None)


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def import_cycles(graph: grimp.ImportGraph, package: str = "frontdesk") -> list[list[str]]:
    """Every set of modules of ``package`` that import each other in a ring (Tarjan's SCCs)."""
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    inside = set(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    for root in modules:  # iterative, so a deep chain of imports cannot hit the recursion limit
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & inside)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    imported = graph.find_modules_directly_imported_by(child) & inside
                    work.append((child, iter(sorted(imported))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return sorted(cycles)


def _imports_into(
    graph: grimp.ImportGraph, importers: tuple[str, ...], forbidden: tuple[str, ...]
) -> list[str]:
    offenders = []
    for module in sorted(graph.modules):
        if not _within(module, importers):
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if _within(imported, forbidden):
                offenders.append(f"{module} imports {imported}")
    return offenders


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return _graph()


def test_no_module_of_frontdesk_is_part_of_an_import_cycle(graph: grimp.ImportGraph) -> None:
    assert import_cycles(graph) == []


def _services(graph: grimp.ImportGraph) -> tuple[str, ...]:
    """The top-level modules and packages of frontdesk below the GUI and the entry points."""
    tops = {".".join(m.split(".")[:2]) for m in graph.modules if m.startswith("frontdesk.")}
    return tuple(sorted(t for t in tops if not _within(t, ABOVE_SERVICES)))


def test_the_database_layer_imports_no_service_gui_or_entry_point(graph: grimp.ImportGraph) -> None:
    above = tuple(t for t in _services(graph) if t not in DB_MAY_IMPORT) + ABOVE_SERVICES
    assert _imports_into(graph, ("frontdesk.db",), above) == []


def test_services_import_neither_qt_nor_anything_above_them(graph: grimp.ImportGraph) -> None:
    services = _services(graph)
    assert "frontdesk.scheduling" in services and "frontdesk.db" in services
    forbidden = ("PySide6", "shiboken6", *ABOVE_SERVICES)
    assert _imports_into(graph, services, forbidden) == []


def test_the_cycle_check_finds_a_ring_of_function_level_imports(tmp_path: Path) -> None:
    """A cycle hidden in a function body (as cli ↔ commands once was) is still a cycle."""
    pkg = tmp_path / "ringpkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from ringpkg.sub import b\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("from ringpkg import c\n")
    (pkg / "c.py").write_text("import ringpkg.a\n")
    (pkg / "d.py").write_text("import ringpkg.a\n")  # imports into the ring, is not part of it
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        ring = grimp.build_graph("ringpkg", cache_dir=None)
    finally:
        sys.path.remove(str(tmp_path))
    assert import_cycles(ring, "ringpkg") == [["ringpkg.a", "ringpkg.c", "ringpkg.sub.b"]]
