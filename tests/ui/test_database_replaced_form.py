"""A save refused because the database file vanished keeps the form as typed."""

from __future__ import annotations

from pathlib import Path

from frontdesk.db.engine import Database
from frontdesk.patients import search_patients
from tests.ui.answers import wait_for_answers


def test_the_patient_form_keeps_what_was_typed(db: Database, qtbot) -> None:  # type: ignore[no-untyped-def]
    from frontdesk.context import AppContext
    from frontdesk.ui.dialogs.patient_dialog import PatientDialog

    dialog = PatientDialog(AppContext(db=db), None)
    qtbot.addWidget(dialog)
    wait_for_answers()  # the clinic's today is read on a worker as the dialog opens
    dialog.given_name.setText("Zoe")
    dialog.family_name.setText("Keeper")
    dialog.date_of_birth.setText("1990-04-05")
    Path(db.sqlite_path or "").unlink()
    assert dialog.save() is False  # not saved now: the service answers on a worker
    wait_for_answers()
    assert dialog.given_name.text() == "Zoe"
    assert "is gone while Frontdesk was open" in dialog.form_error.text()
    assert search_patients(db, "Zoe") == []
