"""Setting the clinic up: its details, hours, practitioners, rooms, closures and types.

A new install starts with a placeholder name and nobody to book; these functions are what the
Settings page (and any script) calls to make it usable. Like every service they take ``db``
first, write each action in one transaction, return frozen DTOs and refuse bad input with a
``ValidationError`` whose keys are the input's field names (weekday rows are ``"monday"``...).
"""

from __future__ import annotations

from frontdesk.setup.appointment_types import (
    add_appointment_type,
    type_errors,
    update_appointment_type,
)
from frontdesk.setup.bookings import StillBooked
from frontdesk.setup.clinic_details import (
    MAX_LOGO_BYTES,
    PROVINCES,
    get_clinic_details,
    time_zones,
    update_clinic_details,
)
from frontdesk.setup.closures import add_closure, list_closures, remove_closure
from frontdesk.setup.holidays import (
    OptionalHoliday,
    coming_holidays,
    optional_holidays,
    set_close_on_observed_days,
    set_closed_optional_holidays,
)
from frontdesk.setup.hours import get_opening_hours, outside_opening, set_opening_hours
from frontdesk.setup.rooms import (
    add_room,
    deactivate_room,
    list_all_rooms,
    reactivate_room,
    rename_room,
)
from frontdesk.setup.staff import (
    add_practitioner,
    deactivate_practitioner,
    get_practitioner_setup,
    list_practitioner_setups,
    reactivate_practitioner,
    update_practitioner,
)
from frontdesk.setup.stranded import (
    closure_strands,
    opening_hours_strands,
    practitioner_hours_strands,
)
from frontdesk.setup.types import (
    WEEKDAYS,
    AppointmentTypeInput,
    Break,
    ClinicDetails,
    DayHours,
    HolidayDay,
    PractitionerInput,
    PractitionerSetup,
    WeeklyHours,
    weekday_key,
    weekday_name,
)

__all__ = [
    "MAX_LOGO_BYTES",
    "PROVINCES",
    "WEEKDAYS",
    "AppointmentTypeInput",
    "Break",
    "ClinicDetails",
    "DayHours",
    "HolidayDay",
    "OptionalHoliday",
    "PractitionerInput",
    "PractitionerSetup",
    "StillBooked",
    "WeeklyHours",
    "add_appointment_type",
    "add_closure",
    "add_practitioner",
    "add_room",
    "closure_strands",
    "coming_holidays",
    "deactivate_practitioner",
    "deactivate_room",
    "get_clinic_details",
    "get_opening_hours",
    "get_practitioner_setup",
    "list_all_rooms",
    "list_closures",
    "list_practitioner_setups",
    "opening_hours_strands",
    "optional_holidays",
    "outside_opening",
    "practitioner_hours_strands",
    "reactivate_practitioner",
    "reactivate_room",
    "remove_closure",
    "rename_room",
    "set_close_on_observed_days",
    "set_closed_optional_holidays",
    "set_opening_hours",
    "time_zones",
    "type_errors",
    "update_appointment_type",
    "update_clinic_details",
    "update_practitioner",
    "weekday_key",
    "weekday_name",
]
