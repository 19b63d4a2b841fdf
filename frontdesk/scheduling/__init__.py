"""The booking rules every client goes through: calendar, course wizard, scripts, tests.

Plain functions taking ``db`` first; queries run in ``db.read()``, changes in one ``db.write()``
transaction (check and insert together, so two workstations cannot double-book). Anything that
depends on the clock takes ``now`` (an aware UTC datetime) from the caller. Results are frozen
DTOs from :mod:`frontdesk.scheduling.dto`; refusals are the domain errors ``BookingError``,
``BookingConflict``, ``SlotTaken``, ``InvalidTransition``, ``ValidationError`` and ``NotFound``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    from frontdesk.scheduling.closures import (
        add_closure,
        holidays_between,
        list_closures,
    )
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
    from frontdesk.scheduling.courses import (
        active_courses,
        book_course,
        get_course,
        preview_course,
    )
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
    from frontdesk.scheduling.schedule import (
        day_schedule,
        patient_appointments,
        week_schedule,
    )
    from frontdesk.scheduling.search import first_available
    from frontdesk.scheduling.session_checks import check_course_sessions
    from frontdesk.scheduling.status import (
        cancel,
        check_in,
        complete,
        mark_no_show,
        undo_status_change,
    )

# Where each public name lives. The package imports a module the first time one of its
# names is asked for (PEP 562), so that the patients screen, which reads appointment
# views, does not load booking, courses and plans before the first paint.
_HOMES: dict[str, str] = {
    "AppointmentTypeView": "frontdesk.scheduling.dto",
    "AppointmentView": "frontdesk.scheduling.dto",
    "BookingRequest": "frontdesk.scheduling.dto",
    "ClosureView": "frontdesk.scheduling.dto",
    "CourseRequest": "frontdesk.scheduling.dto",
    "CourseView": "frontdesk.scheduling.dto",
    "DaySchedule": "frontdesk.scheduling.dto",
    "Interval": "frontdesk.scheduling.dto",
    "PractitionerDay": "frontdesk.scheduling.dto",
    "PractitionerView": "frontdesk.scheduling.dto",
    "RoomView": "frontdesk.scheduling.dto",
    "SessionPreview": "frontdesk.scheduling.dto",
    "Slot": "frontdesk.scheduling.dto",
    "SteadySlot": "frontdesk.scheduling.course_start",
    "PatientOverview": "frontdesk.scheduling.patient_overview",
    "next_start": "frontdesk.scheduling.course_start",
    "patient_overview": "frontdesk.scheduling.patient_overview",
    "practitioners_for_type": "frontdesk.scheduling.course_start",
    "steady_slots": "frontdesk.scheduling.course_start",
    "active_courses": "frontdesk.scheduling.courses",
    "add_closure": "frontdesk.scheduling.closures",
    "book_appointment": "frontdesk.scheduling.booking",
    "book_course": "frontdesk.scheduling.courses",
    "cancel": "frontdesk.scheduling.status",
    "cancel_remaining": "frontdesk.scheduling.course_changes",
    "check_booking": "frontdesk.scheduling.booking",
    "check_booking_in_rooms": "frontdesk.scheduling.booking",
    "check_reschedule": "frontdesk.scheduling.booking",
    "check_course_sessions": "frontdesk.scheduling.session_checks",
    "check_in": "frontdesk.scheduling.status",
    "complete": "frontdesk.scheduling.status",
    "day_schedule": "frontdesk.scheduling.schedule",
    "extend_course": "frontdesk.scheduling.course_changes",
    "first_available": "frontdesk.scheduling.search",
    "get_appointment": "frontdesk.scheduling.booking",
    "get_course": "frontdesk.scheduling.courses",
    "holidays_between": "frontdesk.scheduling.closures",
    "list_appointment_types": "frontdesk.scheduling.catalogue",
    "list_closures": "frontdesk.scheduling.closures",
    "list_practitioners": "frontdesk.scheduling.catalogue",
    "list_rooms": "frontdesk.scheduling.catalogue",
    "mark_no_show": "frontdesk.scheduling.status",
    "patient_appointments": "frontdesk.scheduling.schedule",
    "preview_course": "frontdesk.scheduling.courses",
    "preview_extension": "frontdesk.scheduling.course_changes",
    "reschedule": "frontdesk.scheduling.booking",
    "restore_cancelled": "frontdesk.scheduling.booking",
    "shift_following": "frontdesk.scheduling.course_changes",
    "undo_status_change": "frontdesk.scheduling.status",
    "week_schedule": "frontdesk.scheduling.schedule",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


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
