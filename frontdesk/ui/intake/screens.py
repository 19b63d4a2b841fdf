"""Screenshots of the intake form and the consent for ``frontdesk --screenshots`` and the
README: the form as the desk sees it, the same form handed over (full screen, large text), and
the consent with a signature drawn. Nothing is saved: the windows are filled, photographed
and closed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.intake import load_forms
from frontdesk.patients import get_patient
from frontdesk.ui.intake.consent_window import ConsentWindow
from frontdesk.ui.intake.intake_form import IntakeFormWindow
from frontdesk.ui.practice.timefmt import spoken_name

Saver = Callable[[QWidget, Path], Path]
SAMPLE = {
    "reason": ("Pain in the neck and right shoulder, with headaches", ""),
    "complaint_history": ("Since a fall on the ice in November; worse at the computer.", ""),
    "previous_acupuncture": ("No, this is my first time", ""),
    "pregnant": ("Does not apply to me", ""),
    "bleeding": ("yes", "warfarin"),
    "implant": ("no", ""),
}
SIGNATURE = (
    [(40, 120), (55, 70), (72, 42), (88, 60), (92, 118), (104, 84), (128, 64), (146, 104)],
    [(150, 98), (168, 72), (186, 108), (206, 66), (226, 112), (248, 80), (300, 92)],
    [(320, 60), (326, 118)],
)


def intake_screenshots(
    parent: QWidget, ctx: AppContext, patient_id: int, out_dir: Path, number: int, save: Saver
) -> list[Path]:
    """``NN-intake-form.png``, ``NN-intake-handover.png`` and ``NN-consent.png``."""
    forms = load_forms()
    intake, consent = forms.intake("acupuncture_intake"), forms.consent("acupuncture_consent")
    if intake is None or consent is None:
        return []
    name = spoken_name(get_patient(ctx.db, patient_id))
    written: list[Path] = []
    form = IntakeFormWindow(ctx, patient_id, name, intake, parent=parent)
    for question, (answer, detail) in SAMPLE.items():
        if question in form.fields:
            form.fields[question].set_answer(answer, detail)
    form.resize(860, 900)
    form.show()
    bar = form.scroller.verticalScrollBar()
    target = form.fields.get("pregnant")
    if target is not None:
        form.scroller.ensureWidgetVisible(target, 0, 200)
    written.append(save(form, out_dir / f"{number:02d}-intake-form.png"))
    bar.setValue(0)
    form.set_handover(True)
    written.append(save(form, out_dir / f"{number + 1:02d}-intake-handover.png"))
    form.set_handover(False)
    form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    for field in form.fields.values():  # nothing to ask about on closing: it was a picture
        field.clear()
    form.close()
    window = ConsentWindow(ctx, patient_id, name, consent, get_clinic(ctx.db).tz, parent=parent)
    window.resize(860, 900)
    window.show()
    for stroke in SIGNATURE:
        window.pad.add_stroke([(float(x), float(y)) for x, y in stroke])
    written.append(save(window, out_dir / f"{number + 2:02d}-consent.png"))
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.close()
    return written
