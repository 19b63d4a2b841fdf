"""Cancel the rest of a course, with its package refund: what will happen, then the reason.

Opened from a course session's menu in the calendar. The dialog first reads the service's
preview (``preview_course_cancellation``, nothing changed): the booked sessions still ahead
and, for a course sold as a package, the sessions used and left, what the clinic keeps by its
rule, the credit and how it is paid back. Only once a reason is given does "Cancel the course"
call ``cancel_packaged_course`` (or ``cancel_remaining`` for a course without a package), on a
worker like every other database call.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from frontdesk.billing import (
    CourseCancellationPreview,
    PackageCancellation,
    PaymentMethod,
    cancel_packaged_course,
    fmt_money,
    preview_course_cancellation,
)
from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError, ValidationError
from frontdesk.scheduling import CourseView, cancel_remaining
from frontdesk.ui.dialogs.base import FORM_KEY, FormDialog
from frontdesk.ui.worker import run_query

PAY_BACK, ON_ACCOUNT = "Give it back the way it was paid", "Keep it as credit on the account"
RULE_WORDS = {
    "package_rate": "the used sessions at the package's own rate",
    "regular_fee": "the used sessions at the regular fee",
}


def _method(value: str) -> str:
    try:
        return PaymentMethod(value).label.lower()
    except ValueError:
        return value


def _sessions_ahead(count: int) -> str:
    if count == 0:
        return "No booked session is still ahead."
    if count == 1:
        return "The 1 booked session still ahead will be cancelled."
    return f"The {count} booked sessions still ahead will be cancelled."


def preview_text(preview: CourseCancellationPreview) -> str:
    """The preview in words, as the dialog shows it (rich text)."""
    rows = [("Sessions", escape(_sessions_ahead(preview.sessions_ahead)))]
    done = preview.package
    if done is None:
        rows.append(("Money", "This course was not sold as a package: nothing to refund."))
    else:
        rule = RULE_WORDS.get(preview.rules.refund_rule, preview.rules.refund_rule)
        kept = done.reissue.total_cents if done.reissue is not None else 0
        usage = done.package
        rows.append(
            ("Package", f"{usage.used} of {usage.sessions} sessions used, {done.unused} left")
        )
        keeps = f"{fmt_money(kept)} for {rule}"
        if done.fee_cents:
            keeps += f", including the {fmt_money(done.fee_cents)} cancellation fee"
        # Nothing to credit (every session used, or the fee takes it all): the sale stands.
        rows.append(("The clinic keeps", keeps if done.void_invoice is not None else "all of it"))
        rows.append(("Credit", f"<b>{fmt_money(done.credit_cents)}</b> (tax included)"))
        back = [f"{fmt_money(cents)} to {_method(method)}" for method, cents in done.refunds]
        if back:
            rows.append(("Given back", "; ".join(back)))
        if done.on_account_cents:
            rows.append(("Left on the account", fmt_money(done.on_account_cents)))
    cells = "".join(f"<tr><td><b>{title}</b></td><td>{text}</td></tr>" for title, text in rows)
    return f"<table cellspacing='4'>{cells}</table>"


class CourseCancelDialog(FormDialog):
    """The preview, how the credit is paid back, the reason; then the cancellation."""

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, course_id: int, patient_name: str
    ) -> None:
        super().__init__("Cancel the rest of the course", parent)
        self.ctx = ctx
        self.course_id = course_id
        self.preview: CourseCancellationPreview | None = None
        self.result_value: PackageCancellation | CourseView | None = None
        body = QWidget()
        form = QFormLayout(body)
        form.addRow(QLabel(f"Course of <b>{escape(patient_name)}</b>"))
        self.summary = QLabel("Reading the course…")
        self.summary.setObjectName("cancelPreview")
        self.summary.setMinimumWidth(420)
        self.summary.setWordWrap(True)
        form.addRow(self.summary)
        self.pay_back = QComboBox()
        self.pay_back.addItems([PAY_BACK, ON_ACCOUNT])
        self.add_row(form, "The &credit:", "pay_back", self.pay_back)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. Moving away")
        self.add_row(form, "&Reason:", "reason", self.reason)
        self.set_body(body)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Cancel the course")
        self.save_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Keep the course")
        self.pay_back.currentIndexChanged.connect(self._read_preview)
        self._read_preview()

    @Slot()
    def _read_preview(self) -> None:
        self.save_button.setEnabled(False)
        db, course_id, now = self.ctx.db, self.course_id, self.ctx.clock()
        pay_back = self.pay_back.currentText() == PAY_BACK
        run_query(
            self,
            lambda: preview_course_cancellation(db, course_id, now=now, pay_back=pay_back),
            self._show_preview,
            self._failed,
        )

    def _show_preview(self, preview: CourseCancellationPreview) -> None:
        self.preview = preview
        self.summary.setText(preview_text(preview))
        self.pay_back.setEnabled(preview.package is not None)
        self.save_button.setEnabled(True)
        self._grow_to_fit()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            self.show_errors({k if k == "reason" else FORM_KEY: v for k, v in exc.errors.items()})
        elif isinstance(exc, FrontdeskError):
            self.show_errors({FORM_KEY: str(exc)})
        else:
            raise exc
        self.save_button.setEnabled(self.preview is not None)

    def save(self) -> bool:
        if self.preview is None:
            return False
        reason = self.reason.text().strip()
        if not reason:
            self.show_errors({"reason": "Give a reason for cancelling the course."})
            return False
        self.clear_errors()
        self.save_button.setEnabled(False)
        db, course_id, now = self.ctx.db, self.course_id, self.ctx.clock()
        if self.preview.package is not None:
            pay_back = self.pay_back.currentText() == PAY_BACK
            run_query(
                self,
                lambda: cancel_packaged_course(db, course_id, reason, now=now, pay_back=pay_back),
                self._done,
                self._failed,
            )
        else:
            run_query(
                self,
                lambda: cancel_remaining(db, course_id, reason, now=now),
                self._done,
                self._failed,
            )
        return False  # closed by ``_done`` once the course is cancelled

    def _done(self, result: PackageCancellation | CourseView) -> None:
        self.result_value = result
        QDialog.accept(self)

    def outcome_text(self) -> str:
        """What the status bar says once the course is cancelled."""
        done = self.result_value
        if isinstance(done, PackageCancellation):
            text = f"Course cancelled; {fmt_money(done.credit_cents)} credited"
            if done.refunded_cents:
                text += f", {fmt_money(done.refunded_cents)} given back"
            return text + "."
        return "Course cancelled: its remaining sessions are cancelled."
