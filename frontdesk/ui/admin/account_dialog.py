"""Adding or editing a staff account: name, user name, role, practitioner record, and for a
new account its first password. The accounts service decides what is acceptable; its
messages appear under the fields."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QLineEdit, QWidget

from frontdesk.accounts.passwords import MIN_LENGTH
from frontdesk.accounts.service import add_account, update_account
from frontdesk.accounts.types import AccountInput, AccountView
from frontdesk.context import AppContext
from frontdesk.domain import Role
from frontdesk.scheduling import PractitionerView
from frontdesk.ui.admin.password_dialogs import CHANGE_LATER, WorkerFormDialog, password_field

ROLE_HELP = {
    Role.ADMINISTRATOR: "Settings, accounts, the audit trail and everything the others do.",
    Role.RECEPTION: (
        "Patients, calendar, courses, printing handouts and cards; never session notes "
        "or the plan editor."
    ),
    Role.PRACTITIONER: (
        "Reads the schedule; charts, plans and notes of their own patients. Link the "
        "account to their practitioner record."
    ),
}
NO_PRACTITIONER = "None (not a practitioner)"


class AccountDialog(WorkerFormDialog):
    """``account`` None adds a new account (with a first password); else edits that one."""

    def __init__(
        self,
        ctx: AppContext,
        account: AccountView | None,
        practitioners: Sequence[PractitionerView],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Add account" if account is None else "Edit account", parent)
        self.ctx = ctx
        self.account = account
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        self.display_name = QLineEdit(maxLength=120, placeholderText="Jo Reyes")
        self.username = QLineEdit(maxLength=60, placeholderText="jo")
        self.username.setToolTip("What this person types to sign in; not case-sensitive")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.practitioner = QComboBox()
        self.practitioner.addItem(NO_PRACTITIONER, None)
        for p in practitioners:
            linked = account is not None and account.practitioner_id == p.id
            if p.active or linked:
                self.practitioner.addItem(
                    p.display_name if p.active else f"{p.display_name} (inactive)", p.id
                )
        self.grid_row(grid, "&Name", "display_name", self.display_name)
        self.grid_row(grid, "&User name", "username", self.username)
        self.grid_row(grid, "&Role", "role", self.role)
        self.role_help = self.grid_note(grid, "")
        self.grid_row(grid, "&Practitioner record", "practitioner_id", self.practitioner)
        self.password: QLineEdit | None = None
        self.repeat: QLineEdit | None = None
        if account is None:
            self.password = password_field()
            self.password.setPlaceholderText(f"At least {MIN_LENGTH} characters")
            self.repeat = password_field()
            self.grid_row(grid, "First pass&word", "password", self.password)
            self.grid_row(grid, "&Again", "repeat", self.repeat)
            self.grid_note(
                grid, f"Tell the person this password and ask them to change it ({CHANGE_LATER})."
            )
        self.set_body(body)
        self.set_save_text("Add account" if account is None else "Save")
        self.role.currentIndexChanged.connect(self._show_role_help)
        self._fill()
        self.setMinimumWidth(520)
        self.display_name.setFocus()

    def _fill(self) -> None:
        a = self.account
        if a is not None:
            self.display_name.setText(a.display_name)
            self.username.setText(a.username)
            self.role.setCurrentIndex(self.role.findData(a.role.value))
            found = self.practitioner.findData(a.practitioner_id)
            self.practitioner.setCurrentIndex(max(found, 0))
        else:
            self.role.setCurrentIndex(self.role.findData(Role.RECEPTION.value))
        self._show_role_help()
        self.mark_clean()

    def _show_role_help(self) -> None:
        self.role_help.setText(ROLE_HELP[self.chosen_role()])
        if self.isVisible():
            self._grow_to_fit()  # a longer line wraps onto one more row

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())

    def data(self) -> AccountInput:
        return AccountInput(
            username=self.username.text(),
            display_name=self.display_name.text(),
            role=self.chosen_role(),
            practitioner_id=self.practitioner.currentData(),
        )

    def check(self) -> dict[str, str]:
        typed = (self.password, self.repeat)
        if typed[0] is not None and typed[1] is not None and typed[0].text() != typed[1].text():
            return {"repeat": "The two passwords differ; type the same password twice."}
        return {}

    def call(self) -> Callable[[], Any]:
        db, data = self.ctx.db, self.data()
        if self.account is None:
            password, now = self.password.text() if self.password else "", self.ctx.clock()
            return lambda: add_account(db, data, password, now=now)
        account_id, version = self.account.id, self.account.version
        return lambda: update_account(db, account_id, data, expected_version=version)
