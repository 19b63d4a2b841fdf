"""One look and behaviour for read-only lists of records (patients, My day, search results).

Whole-row selection, no in-place editing, no grid, fixed row height (so a long list scrolls
without measuring every row); pages call ``list_table()`` instead of repeating the set-up.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView, QWidget


def list_table(
    model: QAbstractItemModel, *, row_height: int = 32, parent: QWidget | None = None
) -> QTableView:
    """A table view for picking one record from ``model``; Enter or double-click activates."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    vertical = view.verticalHeader()
    vertical.hide()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(row_height)
    view.horizontalHeader().setHighlightSections(False)
    return view


def fit_columns(view: QTreeView | QTableView, *, elide: int) -> None:
    """Every column as wide as its contents except ``elide``, which takes the room left and
    ends its text with "…" when short of it: dates, times and states are never cut at the
    view's edge (a chart at 1024 pixels cut "printed 10 Nov 2026" to "printed 10 Nov 20")."""
    header = view.header() if isinstance(view, QTreeView) else view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(elide, QHeaderView.ResizeMode.Stretch)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
