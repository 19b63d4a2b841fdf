"""Booking from the GUI: one appointment, a whole course, and the patient search they share.

The calendar opens these with ``BookingDialog.ask`` and ``CourseWizard.ask``; both go through
``frontdesk.scheduling`` for every check and write and return the service's DTOs.
"""

from frontdesk.ui.booking.booking_dialog import BookingDialog
from frontdesk.ui.booking.course_wizard import CourseWizard
from frontdesk.ui.booking.first_available import FirstAvailableDialog
from frontdesk.ui.booking.patient_picker import PatientPicker

__all__ = ["BookingDialog", "CourseWizard", "FirstAvailableDialog", "PatientPicker"]
