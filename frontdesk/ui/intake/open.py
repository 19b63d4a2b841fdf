"""Opening the intake form and the consent for a patient, from the hub or the chart.

One window per patient and form on a workstation (``WindowRegistry``), so a second click brings
the open one forward instead of starting the form again. The forms are read from their files
here (no database); a missing or broken form is explained in a message.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtWidgets import QMessageBox, QWidget

from frontdesk.context import AppContext
from frontdesk.intake import load_forms
from frontdesk.ui.intake.consent_window import ConsentWindow
from frontdesk.ui.intake.intake_form import IntakeFormWindow
from frontdesk.ui.practice.actions import root_window
from frontdesk.ui.practice.windows import WindowRegistry

INTAKE_FORM = "acupuncture_intake"
CONSENT_FORM = "acupuncture_consent"


def _missing(parent: QWidget, what: str, problems: tuple[str, ...]) -> None:
    detail = "\n".join(problems) or "No form file was found in the forms folder."
    QMessageBox.warning(parent, what, f"The {what.lower()} cannot be opened.\n\n{detail}")


def open_intake_form(
    parent: QWidget, ctx: AppContext, patient_id: int, patient_name: str
) -> IntakeFormWindow | None:
    forms = load_forms()
    form = forms.intake(INTAKE_FORM) or (forms.intakes[0] if forms.intakes else None)
    if form is None:
        _missing(parent, "Intake form", forms.problems)
        return None
    root = root_window(parent)
    return WindowRegistry.of(root).show(
        ("intake", patient_id, form.code),
        lambda: IntakeFormWindow(ctx, patient_id, patient_name, form, parent=root),
    )


def open_consent(
    parent: QWidget, ctx: AppContext, patient_id: int, patient_name: str, tz: tzinfo
) -> ConsentWindow | None:
    forms = load_forms()
    form = forms.consent(CONSENT_FORM) or (forms.consents[0] if forms.consents else None)
    if form is None:
        _missing(parent, "Consent form", forms.problems)
        return None
    root = root_window(parent)
    return WindowRegistry.of(root).show(
        ("consent", patient_id, form.code),
        lambda: ConsentWindow(ctx, patient_id, patient_name, form, tz, parent=root),
    )
