"""The Accounts page (administrators): who may sign in at this clinic, and as what.

Add, edit (name, user name, role, practitioner record), disable or enable again, and reset a
forgotten password. Accounts are never deleted, so the audit trail keeps naming the person.
Every read and save runs on a worker (``ui/worker.py``); the services decide what is allowed
(the last administrator stays one, nobody disables themself) and their words are shown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from frontdesk.accounts.service import list_accounts, set_account_disabled
from frontdesk.accounts.types import AccountView
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.scheduling import PractitionerView, list_practitioners
from frontdesk.ui import qtbits, theme
from frontdesk.ui.admin.account_dialog import ROLE_HELP, AccountDialog
from frontdesk.ui.admin.password_dialogs import ResetPasswordDialog, WorkerFormDialog
from frontdesk.ui.models.rows import RowsTableModel
from frontdesk.ui.widgets.page import Page
from frontdesk.ui.widgets.tables import list_table
from frontdesk.ui.worker import Latest

NAME, USERNAME, ROLE, PRACTITIONER, STATUS = range(5)
Index = QModelIndex | QPersistentModelIndex


def status_text(account: AccountView, now: datetime) -> str:
    """ "Active", "Disabled", or why the account has to wait before the next sign-in."""
    if account.disabled:
        return "Disabled"
    if account.locked_until is not None and account.locked_until > now:
        return f"Waiting after {account.failed_attempts} wrong passwords"
    return "Active"


class AccountsModel(RowsTableModel[AccountView]):
    """Accounts as ``list_accounts`` returns them: active ones first, by name."""

    headers = ("Name", "User name", "Role", "Practitioner record", "Status")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.now: datetime | None = None
        self.me: int | None = None
        self._grey = QColor("#8a979f")

    def set_rows(self, rows: list[AccountView], now: datetime, me: int | None) -> None:
        self.beginResetModel()
        self._rows, self.now, self.me = list(rows), now, me
        self.endResetModel()

    def row_of(self, account_id: int) -> int | None:
        return next((r for r, a in enumerate(self._rows) if a.id == account_id), None)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        account = self.row_at(index.row()) if index.isValid() else None
        if account is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            text = self._text(account, index.column())
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{self.headers[index.column()]}: {text}"
            return text
        if role == Qt.ItemDataRole.ForegroundRole and account.disabled:
            return self._grey
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == ROLE:
            return ROLE_HELP[account.role]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == STATUS:
            if account.disabled:
                return "Cannot sign in; Enable lets them again."
            if self._text(account, STATUS) != "Active":
                return "Reset password ends the wait at once."
        return None

    def _text(self, account: AccountView, column: int) -> str:
        if column == NAME:
            return account.display_name + ("  (you)" if account.id == self.me else "")
        if column == USERNAME:
            return account.username
        if column == ROLE:
            return account.role.label
        if column == PRACTITIONER:
            return account.practitioner_name
        if column == STATUS:
            return status_text(account, self.now) if self.now else ""
        return ""


class AccountsPage(Page):
    """The accounts table and its buttons; ``dialog`` is the add/edit/reset dialog open now."""

    def __init__(self, ctx: AppContext, undo_stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(ctx, undo_stack, parent)
        self.model = AccountsModel(self)
        self.practitioners: list[PractitionerView] = []
        self.dialog: WorkerFormDialog | None = None
        self.loaded = False  # the first answer arrived (tests wait for it)
        self._loading = Latest()
        self._changing = Latest()
        self._build()
        self._connect_signals()
        self.update_buttons()

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(28, 22, 28, 22)
        outer.setSpacing(10)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(qtbits.label("Accounts", name="pageTitle"))
        titles.addWidget(
            qtbits.label(
                "Everyone who signs in at this clinic's desks, and what each role may do. "
                "Accounts are disabled, never deleted, so the audit trail keeps naming "
                "the person.",
                name="pageSubtitle",
                wrap=True,
            )
        )
        header.addLayout(titles, 1)
        self.add_button = qtbits.button("&Add account…", icon=theme.icon("add"), name="primary")
        self.add_button.setToolTip("A new staff account with a first password")
        header.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignBottom)
        outer.addLayout(header)

        self.table = list_table(self.model)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Staff accounts")
        self.empty = qtbits.label("Reading the accounts…", name="emptyState", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area = QStackedWidget()
        self.area.addWidget(self.table)
        self.area.addWidget(self.empty)
        self.area.setCurrentWidget(self.empty)
        outer.addWidget(self.area, 1)

        row = QHBoxLayout()
        self.edit_button = qtbits.button("Ed&it…", tip="Name, user name, role, practitioner")
        self.reset_button = qtbits.button(
            "&Reset password…", tip="Give someone who forgot theirs a temporary password"
        )
        self.disable_button = qtbits.button("&Disable")
        for b in (self.edit_button, self.reset_button, self.disable_button):
            row.addWidget(b)
        row.addStretch(1)
        outer.addLayout(row)
        roles = "<br>".join(f"<b>{role.label}</b>: {text}" for role, text in ROLE_HELP.items())
        help_line = qtbits.label(roles, name="muted", wrap=True)
        help_line.setTextFormat(Qt.TextFormat.RichText)
        outer.addWidget(help_line)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.reset_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(self.toggle_disabled)
        self.table.activated.connect(self.edit)
        self.table.selectionModel().selectionChanged.connect(self.update_buttons)
        self.model.modelReset.connect(self.update_buttons)

    # -- reading -----------------------------------------------------------------------------
    def activated(self) -> None:
        self.reload()

    def database_changed(self) -> None:
        """Another desk changed something: list the accounts again if they are on screen."""
        if self.isVisible():
            self.reload()

    def reload(self, select_id: int | None = None) -> None:
        """Read the accounts (and the practitioners to link) on a worker, keeping the row."""
        keep = select_id if select_id is not None else self.selected_id()
        db, clock = self.ctx.db, self.ctx.clock

        def read() -> tuple[list[AccountView], list[PractitionerView], datetime]:
            return list_accounts(db), list_practitioners(db, active_only=False), clock()

        self._loading.run(
            self, read, lambda found: self._show(found, keep), self._on_read_failed, busy=False
        )

    def _show(
        self, found: tuple[list[AccountView], list[PractitionerView], datetime], keep: int | None
    ) -> None:
        accounts, self.practitioners, now = found
        me = self.ctx.db.actor.account_id if self.ctx.db.actor else None
        self.model.set_rows(accounts, now, me)
        self.area.setCurrentWidget(self.table)
        self.loaded = True
        if keep is not None:
            self.select_account(keep)

    def wait_loaded(self) -> None:
        """Take the reading under way now (screenshots show the accounts, not "Reading…")."""
        if self._loading.job is not None:
            self._loading.job.wait()

    def _on_read_failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.empty.setText(f"The accounts could not be read. {exc}")
        self.area.setCurrentWidget(self.empty)

    # -- selection -----------------------------------------------------------------------------
    def selected(self) -> AccountView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def selected_id(self) -> int | None:
        chosen = self.selected()
        return chosen.id if chosen else None

    def select_account(self, account_id: int) -> bool:
        row = self.model.row_of(account_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, NAME))
        return True

    @Slot()
    def update_buttons(self) -> None:
        chosen = self.selected()
        for b in (self.edit_button, self.reset_button, self.disable_button):
            b.setEnabled(chosen is not None and not self._changing.running)
        enable = chosen is not None and chosen.disabled
        self.disable_button.setText("E&nable" if enable else "&Disable")
        self.disable_button.setToolTip(
            "Let this person sign in again"
            if enable
            else "Stop this account signing in (nothing is deleted)"
        )

    # -- actions -------------------------------------------------------------------------------
    @Slot()
    def add(self) -> None:
        self._open(AccountDialog(self.ctx, None, self.practitioners, self))

    @Slot()
    def edit(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._open(AccountDialog(self.ctx, chosen, self.practitioners, self))

    @Slot()
    def reset_password(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._open(ResetPasswordDialog(self.ctx, chosen, self))

    def _open(self, dialog: WorkerFormDialog) -> None:
        """Show the dialog window-modal without blocking; its save lists the account again."""
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._saved(dialog))
        dialog.finished.connect(lambda _code: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: WorkerFormDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _saved(self, dialog: WorkerFormDialog) -> None:
        saved: AccountView | None = dialog.saved
        if saved is None:
            return
        if isinstance(dialog, ResetPasswordDialog):
            message = (
                f"{saved.display_name}'s password was reset; tell them the new one and ask "
                "them to change it."
            )
        elif isinstance(dialog, AccountDialog) and dialog.account is None:
            message = f"Added {saved.display_name}; they sign in as {saved.username}."
        else:
            message = f"Saved {saved.display_name}."
        self.reload(saved.id)
        self.status_message.emit(message)

    @Slot()
    def toggle_disabled(self) -> None:
        """Disable the selected account, or enable it again if it is disabled."""
        chosen = self.selected()
        if chosen is None or self._changing.running:
            return
        db, account_id, disable = self.ctx.db, chosen.id, not chosen.disabled
        self._changing.run(
            self,
            lambda: set_account_disabled(db, account_id, disable),
            self._on_toggled,
            self._on_toggle_failed,
        )
        self.update_buttons()

    def _on_toggled(self, account: AccountView) -> None:
        self.reload(account.id)
        self.status_message.emit(
            f"{account.display_name} can no longer sign in; Enable lets them again."
            if account.disabled
            else f"{account.display_name} can sign in again."
        )

    def _on_toggle_failed(self, exc: Exception) -> None:
        self.update_buttons()
        if not isinstance(exc, FrontdeskError):
            raise exc
        message = " ".join(exc.errors.values()) if isinstance(exc, ValidationError) else str(exc)
        self.tell("Not changed", message)
        self.reload()

    def tell(self, title: str, message: str) -> None:
        """Explain a refusal (the last administrator, one's own account); tests replace this."""
        QMessageBox.information(self, title, message)

    # -- Page ----------------------------------------------------------------------------------
    def focus_primary(self) -> None:
        self.table.setFocus()

    def shortcuts(self) -> list[tuple[str, str]]:
        return [
            ("↑ / ↓", "Move through the accounts"),
            ("Enter, double-click or Alt+I", "Edit the selected account"),
            ("Alt+A", "Add an account"),
            ("Alt+R", "Reset the selected account's password"),
            ("Alt+D / Alt+N", "Disable the selected account / enable it again"),
        ]

    def prepare_screenshot(self) -> None:
        """The accounts listed, a practitioner's selected (its link to their record shows)."""
        self.wait_loaded()
        rows = [a for a in self.model._rows if a.practitioner_id is not None] or self.model._rows
        if rows:
            self.select_account(rows[0].id)
