"""The patients table model: lazy keyset paging, display, and Qt's model contract."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from frontdesk.folding import name_sort_key
from frontdesk.patients import PatientSummary, SortKey
from frontdesk.ui.models.patient_table import AGE, BIRTH, HEALTH, NAME, PHONE, PatientTableModel
from tests.ui.answers import wait_for_answers

TODAY = date(2026, 3, 2)


def _summary(i: int, archived: bool = False) -> PatientSummary:
    family = f"Family{i:05d}"
    return PatientSummary(
        id=i,
        given_name="Ann",
        family_name=family,
        preferred_name="",
        display_name=f"{family}, Ann",
        date_of_birth=date(1984, 3, 21),
        phone_display="(780) 555-0123",
        health_number="123456789",
        archived=archived,
        sort_key=(name_sort_key(family, "Ann"), i),
    )


class FakeDirectory:
    """Stands in for ``search_patients`` and records every page asked for."""

    def __init__(self, count: int) -> None:
        self.rows = [_summary(i) for i in range(count)]
        self.calls: list[tuple[int, SortKey | None]] = []

    def __call__(self, query: str, include_archived: bool, limit: int, after: SortKey | None):
        self.calls.append((limit, after))
        rows = [r for r in self.rows if query.lower() in r.display_name.lower()]
        if after is not None:
            rows = [r for r in rows if r.sort_key > after]
        return rows[: min(limit, 500)]


@pytest.fixture
def directory() -> FakeDirectory:
    return FakeDirectory(1_050)


def test_loads_only_the_first_page_then_pages_in_on_demand(directory, qtbot):
    model = PatientTableModel(directory, TODAY)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.search("")
    assert model.rowCount() == PatientTableModel.PAGE_SIZE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # read on a worker: the rows come a moment later
    assert not model.canFetchMore(QModelIndex())  # one page at a time
    qtbot.waitUntil(lambda: model.rowCount() == 2 * PatientTableModel.PAGE_SIZE)
    # The second page started after the last row already shown (keyset, not offset).
    assert directory.calls[-1][1] == directory.rows[PatientTableModel.PAGE_SIZE - 1].sort_key
    while not model.complete:
        model.fetchMore(QModelIndex())
        wait_for_answers()
    assert model.rowCount() == 1_050
    assert model.complete


def test_view_pulls_pages_only_as_it_scrolls(directory, qtbot):
    from PySide6.QtWidgets import QTableView

    model = PatientTableModel(directory, TODAY)
    model.search("")
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    assert model.rowCount() < 1_050
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > PatientTableModel.PAGE_SIZE)
    assert model.rowCount() < 1_050


def test_reload_keeps_the_rows_already_scrolled_to(directory, qtbot):
    model = PatientTableModel(directory, TODAY)
    model.search("")
    for _ in range(6):
        model.fetchMore(QModelIndex())
        wait_for_answers()
    assert model.rowCount() == 700
    model.reload()
    assert model.rowCount() == 700  # more than one service call may return (500)
    assert model.canFetchMore(QModelIndex())


def test_columns_show_name_birth_age_phone_and_health_number(qtbot):
    rows = [_summary(1), _summary(2, archived=True)]
    model = PatientTableModel(lambda q, a, limit, after: rows if after is None else [], TODAY)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.search("", include_archived=True)
    shown = [model.index(0, c).data() for c in (NAME, BIRTH, AGE, PHONE, HEALTH)]
    assert shown == ["Family00001, Ann", "1984-03-21", "41", "(780) 555-0123", "12345-6789"]
    assert "archived" in model.index(1, NAME).data()
    assert model.index(1, NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(AGE, Qt.Orientation.Horizontal) == "Age"
    assert model.row_of(2) == 1 and model.row_of(99) is None
    assert not model.canFetchMore(QModelIndex())


def test_new_search_replaces_the_rows(directory, qtbot):
    model = PatientTableModel(directory, TODAY)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.search("")
    with qtbot.waitSignal(model.searched):
        model.search("Family0100")
    assert model.rowCount() == 10
    assert model.complete
