"""The booking rules every client goes through: calendar, course wizard, scripts, tests.

Plain functions taking ``db`` first; queries run in ``db.read()``, changes in one ``db.write()``
transaction (check and insert together, so two workstations cannot double-book). Anything that
depends on the clock takes ``now`` (an aware UTC datetime) from the caller. Results are frozen
DTOs from :mod:`frontdesk.scheduling.dto`; refusals are the domain errors ``BookingError``,
``BookingConflict``, ``SlotTaken``, ``InvalidTransition``, ``ValidationError`` and ``NotFound``.
"""

from __future__ import annotations

from frontdesk.scheduling.booking import (
    book_appointment,
    check_booking,
    check_booking_in_rooms,
    check_reschedule,
    get_appointment,
    reschedule,
    restore_cancelled,
)
from frontdesk.scheduling.catalogue import (
    list_appointment_types,
    list_practitioners,
    list_rooms,
)
from frontdesk.scheduling.closures import add_closure, holidays_between, list_closures
from frontdesk.scheduling.course_changes import (
    cancel_remaining,
    extend_course,
    preview_extension,
    shift_following,
)
from frontdesk.scheduling.course_start import (
    SteadySlot,
    next_start,
    practitioners_for_type,
    steady_slots,
)
from frontdesk.scheduling.courses import active_courses, book_course, get_course, preview_course
from frontdesk.scheduling.dto import (
    AppointmentTypeView,
    AppointmentView,
    BookingRequest,
    ClosureView,
    CourseRequest,
    CourseView,
    DaySchedule,
    Interval,
    PractitionerDay,
    PractitionerView,
    RoomView,
    SessionPreview,
    Slot,
)
from frontdesk.scheduling.patient_overview import PatientOverview, patient_overview
from frontdesk.scheduling.schedule import day_schedule, patient_appointments, week_schedule
from frontdesk.scheduling.search import first_available
from frontdesk.scheduling.session_checks import check_course_sessions
from frontdesk.scheduling.status import (
    cancel,
    check_in,
    complete,
    mark_no_show,
    undo_status_change,
)

__all__ = [
    "AppointmentTypeView",
    "AppointmentView",
    "BookingRequest",
    "ClosureView",
    "CourseRequest",
    "CourseView",
    "DaySchedule",
    "Interval",
    "PatientOverview",
    "PractitionerDay",
    "PractitionerView",
    "RoomView",
    "SessionPreview",
    "Slot",
    "SteadySlot",
    "active_courses",
    "add_closure",
    "book_appointment",
    "book_course",
    "cancel",
    "cancel_remaining",
    "check_booking",
    "check_booking_in_rooms",
    "check_course_sessions",
    "check_in",
    "check_reschedule",
    "complete",
    "day_schedule",
    "extend_course",
    "first_available",
    "get_appointment",
    "get_course",
    "holidays_between",
    "list_appointment_types",
    "list_closures",
    "list_practitioners",
    "list_rooms",
    "mark_no_show",
    "next_start",
    "patient_appointments",
    "patient_overview",
    "practitioners_for_type",
    "preview_course",
    "preview_extension",
    "reschedule",
    "restore_cancelled",
    "shift_following",
    "steady_slots",
    "undo_status_change",
    "week_schedule",
]
