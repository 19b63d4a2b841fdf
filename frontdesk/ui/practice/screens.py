"""Screenshots of the practitioner's windows for ``frontdesk --screenshots`` and the README.

My day is photographed with the other pages; this adds a chart whose pain chart has a story
(a course patient with several scored sessions) and that patient's plan in the editor beside
its handout preview, and one of its session notes with the point picker searching "hegu".
Nothing is saved: the windows are opened, photographed and closed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QWidget

from frontdesk.context import AppContext
from frontdesk.notes import list_notes, pain_trend
from frontdesk.plans import current_plan_for_patient
from frontdesk.scheduling import AppointmentView
from frontdesk.ui.practice.chart import PatientChartWindow
from frontdesk.ui.practice.my_day import MyDayPage
from frontdesk.ui.practice.note_editor import SessionNoteEditor
from frontdesk.ui.practice.plan_editor import PlanEditorWindow
from frontdesk.ui.worker import settle

if TYPE_CHECKING:
    from frontdesk.ui.main_window import MainWindow

MY_DAY = "myday"  # the page key in main_window.PAGES
Saver = Callable[[QWidget, Path], Path]
MIN_SCORED_SESSIONS = 3
SIZE = (1280, 800)


def _wait_for_rendering(ms: int = 800) -> None:
    """QPdfView draws pages in the background; give it a moment before the picture is taken."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _course_patient(ctx: AppContext, page: MyDayPage) -> AppointmentView | None:
    """The course appointment of the coming fortnight whose patient has the longest pain
    trend, so the chart has a story to tell."""
    start = page.day()
    best: tuple[int, AppointmentView | None] = (MIN_SCORED_SESSIONS - 1, None)
    seen: set[int] = set()
    for offset in range(14):
        page.set_day(start + timedelta(days=offset))
        settle()  # unattended: the day is read on a worker
        for row in range(page.model.rowCount()):
            appt = page.model.appointment_at(row)
            if appt is None or appt.course_id is None or appt.patient_id in seen:
                continue
            seen.add(appt.patient_id)
            scored = len(pain_trend(ctx.db, appt.patient_id))
            if scored > best[0]:
                best = (scored, appt)
    return best[1]


def practice_screenshots(window: MainWindow, out_dir: Path, number: int, save: Saver) -> list[Path]:
    """Write ``NN-chart.png``, ``NN-point-picker.png`` and ``NN-plan-editor.png``; the files
    written (none if the database has no course patient with scored sessions)."""
    ctx, parent = window.ctx, window
    my_day = window.page(MY_DAY)
    assert isinstance(my_day, MyDayPage)
    settle()  # unattended: the practitioners are listed on a worker
    day = my_day.day()
    appt = _course_patient(ctx, my_day)
    my_day.set_day(day)
    if appt is None:
        return []
    written: list[Path] = []
    chart = PatientChartWindow(
        ctx,
        appt.patient_id,
        practitioner_id=appt.practitioner_id,
        appointment_id=appt.id,
        parent=parent,
    )
    chart.resize(*SIZE)
    chart.show()
    settle()  # unattended: the chart is read on a worker
    written.append(save(chart, out_dir / f"{number:02d}-chart.png"))
    chart.close()
    chart.deleteLater()
    notes = [n for n in list_notes(ctx.db, appt.patient_id) if not n.needling.is_blank]
    if notes:
        note = notes[0]
        editor_window = SessionNoteEditor(
            ctx,
            note.as_input(),
            note=note,
            heading=chart.name_label.text(),
            tz=chart.time.tz,
            parent=parent,
        )
        editor_window.resize(*SIZE)
        editor_window.show()
        editor_window.picker.search.setText("hegu")  # a search, not an edit: nothing saved
        written.append(
            save(editor_window, out_dir / f"{number + len(written):02d}-point-picker.png")
        )
        editor_window.close()
        editor_window.deleteLater()
    plan = current_plan_for_patient(ctx.db, appt.patient_id)
    if plan is not None:
        editor = PlanEditorWindow(ctx, appt.patient_id, plan_id=plan.plan_id, parent=parent)
        editor.resize(*SIZE)
        editor.show()
        settle()  # unattended: the plan and then its preview are made on a worker
        _wait_for_rendering()
        written.append(save(editor, out_dir / f"{number + len(written):02d}-plan-editor.png"))
        editor.close()
        editor.deleteLater()
    return written
