"""Printed documents: the treatment-plan handout, the appointment card and the day sheet.

``render_*`` functions are pure: a DTO in, PDF bytes out (also written to a path or binary
file when ``out`` is given). ``load_*`` functions read what a document needs from the database;
``*_pdf`` functions in ``printing`` do both in one call for the GUI and headless commands.
All documents embed Noto Sans (and a CJK font where a name needs it) from ``resources/fonts``.
"""

from frontdesk.reports.appointment_card import render_appointment_card
from frontdesk.reports.day_sheet import render_day_sheet
from frontdesk.reports.loaders import (
    AppointmentCardData,
    CardAppointment,
    DaySheetData,
    DaySheetRow,
    load_appointment_card,
    load_day_sheet,
    load_day_sheets,
)
from frontdesk.reports.plan_handout import render_plan_handout
from frontdesk.reports.printing import (
    appointment_card_pdf,
    day_sheet_pdf,
    plan_handout_pdf,
    receipt_pdf,
)

__all__ = [
    "AppointmentCardData",
    "CardAppointment",
    "DaySheetData",
    "DaySheetRow",
    "appointment_card_pdf",
    "day_sheet_pdf",
    "load_appointment_card",
    "load_day_sheet",
    "load_day_sheets",
    "plan_handout_pdf",
    "receipt_pdf",
    "render_appointment_card",
    "render_day_sheet",
    "render_plan_handout",
]
