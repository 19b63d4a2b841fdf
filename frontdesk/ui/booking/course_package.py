"""The course wizard's package offer: "Sell as a package: 8 sessions for $612.00 (save $68.00)".

The price comes from the billing service (a package price of the type's own, or the regular
fees less the clinic's discount), read on a worker whenever the course's type, practitioner or
number of sessions changes. Ticked, the wizard books the course and sells the package in one
step, at exactly the price shown.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from frontdesk.billing import PackageOffer, package_offer
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.ui.worker import run_query


class PackageChoice(QWidget):
    """A check box offering the course as a package, with its price.

    Signals:
        offerShown(object): the ``PackageOffer`` now offered, or None when there is none.
    """

    offerShown = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._asked: tuple[int, int | None, int, date] | None = None
        self.offer: PackageOffer | None = None
        self.check = QCheckBox("Sell as a &package")
        self.check.setEnabled(False)
        self.price = QLabel("")
        self.price.setObjectName("muted")
        self.price.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.price, 1)

    def chosen(self) -> PackageOffer | None:
        """The offer to sell with the course: ticked, and priced."""
        return self.offer if self.check.isChecked() and self.offer is not None else None

    def update_for(
        self, type_id: int | None, practitioner_id: int | None, sessions: int, on: date
    ) -> None:
        """Ask for the package price of this course (once per change of what prices it)."""
        if type_id is None or sessions < 1:
            self._show(None, "")
            return
        asked = (type_id, practitioner_id, sessions, on)
        if asked == self._asked:
            return
        self._asked = asked
        db = self._ctx.db

        def fetch() -> PackageOffer | None:
            return package_offer(db, type_id, practitioner_id, sessions, on=on)

        def failed(exc: Exception) -> None:
            if not isinstance(exc, FrontdeskError):
                raise exc
            self._show(None, "No package price: " + str(exc))

        def done(offer: PackageOffer | None) -> None:
            if asked == self._asked:  # an older answer never overwrites a newer question
                self._show(offer, "" if offer else "No package price or fee is set for this.")

        run_query(self, fetch, done, failed, busy=False)

    def _show(self, offer: PackageOffer | None, note: str) -> None:
        self.offer = offer
        self.check.setEnabled(offer is not None)
        if offer is None:
            self.check.setChecked(False)
        self.price.setText(offer.text() if offer is not None else note)
        self.offerShown.emit(offer)
