"""Which role may do what: the one table every service call is checked against.

Keys are operation names (``@operation("book_appointment")`` in the services). A role missing
from an operation's set is refused with ``PermissionDenied`` before anything is read or
written. For operations in ``OWN_PATIENTS_ONLY`` a practitioner is further limited to the
patients they see: someone booked with them (now or before), on a course with them, or whose
plan or note they wrote ("their patients and every patient they are asked to see").

Roles, in the clinic's words:
- administrator: settings, accounts, the audit trail, and everything the others do;
- reception: patients, calendar, courses, printing handouts and cards; reads a plan's
  handout, never session notes or the plan editor;
- practitioner: reads the schedule; charts, notes and plans of their own patients.

Intake and consent (issue 18): reception hands the intake form to the patient and saves it,
witnesses and prints a signed consent, but never reads the intake's answers (nor the cautions
they raise), which are the practitioner's.

Money (issue 17): reception and administrators take payments, check visits out, void and
reissue invoices and give refunds; administrators alone set fees, products, tax codes and the
missed-visit policy. A practitioner reads the balance of their own patients (whether a patient
owes before a session starts) but not invoices, payments or history, which stay at the desk.
Course packages are sold and cancelled (with their refund) at the desk; anyone reads how many
of a patient's package sessions are used and left. Reports (revenue, balances by age, missed
visits, utilisation, new patients) are the administrators' alone: they set every
practitioner's figures side by side.
"""

from __future__ import annotations

from frontdesk.domain import Role

A, R, P = Role.ADMINISTRATOR, Role.RECEPTION, Role.PRACTITIONER
ADMIN: frozenset[Role] = frozenset({A})
DESK: frozenset[Role] = frozenset({A, R})
CLINICAL: frozenset[Role] = frozenset({A, P})
EVERYONE: frozenset[Role] = frozenset({A, R, P})

PERMISSIONS: dict[str, frozenset[Role]] = {
    # --- patients
    "search_patients": EVERYONE,
    "find_patient": EVERYONE,
    "find_duplicates": DESK,
    "create_patient": DESK,
    "update_patient": DESK,
    "get_patient": EVERYONE,
    "archive_patient": DESK,
    "cancel_visits_and_archive": DESK,
    "restore_patient": DESK,
    "upcoming_appointments": EVERYONE,
    # --- calendar and bookings
    "check_booking": DESK,
    "check_booking_in_rooms": DESK,
    "book_appointment": DESK,
    # --- outcome measures: anyone records a filled-in form; clinicians read them
    "record_outcome": EVERYONE,
    "outcome_history": CLINICAL,
    "outcomes_due": CLINICAL,
    "handout_extras": CLINICAL,
    "export_schedule_ics": EVERYONE,
    # --- the wait list (reception fills freed times; practitioners see their schedule only)
    "add_to_waitlist": DESK,
    "list_waitlist": DESK,
    "remove_from_waitlist": DESK,
    "waitlist_matches": DESK,
    "book_from_waitlist": DESK,
    "get_appointment": EVERYONE,
    "reschedule": DESK,
    "check_reschedule": DESK,
    # what a new clinic still has to set up: read by every desk, to offer the next step
    "setup_checklist": EVERYONE,  # the calendar's drag feedback: what a move would be refused for
    "restore_cancelled": DESK,
    "first_available": DESK,
    "day_schedule": EVERYONE,
    "week_schedule": EVERYONE,
    "patient_appointments": EVERYONE,
    "list_practitioners": EVERYONE,
    "list_rooms": EVERYONE,
    "list_appointment_types": EVERYONE,
    "list_closures": EVERYONE,
    "holidays_between": EVERYONE,
    "check_in": DESK,
    "complete": EVERYONE,
    "mark_no_show": DESK,
    "cancel": DESK,
    "undo_status_change": EVERYONE,
    # --- courses
    "preview_course": DESK,
    "practitioners_for_type": EVERYONE,
    "next_start": DESK,
    "steady_slots": DESK,
    # the patient hub beside the patients list: visits, open courses, plans (not their text)
    "patient_overview": DESK,
    "check_course_sessions": DESK,
    "book_course": DESK,
    "get_course": EVERYONE,
    "active_courses": EVERYONE,
    "shift_following": DESK,
    "cancel_remaining": DESK,
    "preview_extension": DESK,
    "extend_course": DESK,
    # --- plans and handouts
    "create_plan": CLINICAL,
    "save_plan": CLINICAL,
    "archive_plan": CLINICAL,
    "get_plan": CLINICAL,
    "get_revision": CLINICAL,
    "list_revisions": CLINICAL,
    "current_plan_for_patient": EVERYONE,  # which plan a handout prints: reception prints it
    "draft_handout_data": CLINICAL,
    "list_plans": EVERYONE,
    "handout_data": EVERYONE,
    "mark_printed": EVERYONE,
    "plan_handout_pdf": EVERYONE,
    "seed_sample_plan": ADMIN,
    # --- session notes
    "save_note": CLINICAL,
    "sign_note": CLINICAL,
    "amend_note": CLINICAL,
    "sign_due_notes": CLINICAL,
    "get_note": CLINICAL,
    "note_for_appointment": CLINICAL,
    "note_history": CLINICAL,
    "noted_appointments": CLINICAL,
    "list_notes": CLINICAL,
    "pain_trend": CLINICAL,
    # --- intake and consent (issue 18): reception hands the form over and saves it, and
    # witnesses and prints a consent, but never reads the intake's answers afterwards
    "save_intake": EVERYONE,
    "read_intakes": CLINICAL,
    "intake_cautions": CLINICAL,
    "intake_record": CLINICAL,
    "record_consent": EVERYONE,
    "list_consents": EVERYONE,
    "load_consent": EVERYONE,
    "consent_pdf": EVERYONE,
    # --- acupuncture points, needles and adverse events (issue 18): never the desk's
    "list_point_prescriptions": CLINICAL,
    "save_point_prescription": CLINICAL,
    "apply_point_prescription": CLINICAL,
    "record_adverse_event": CLINICAL,
    "list_adverse_events": CLINICAL,
    "adverse_event_report": CLINICAL,
    # --- printing and exports
    "load_appointment_card": EVERYONE,
    "appointment_card_pdf": EVERYONE,
    "load_day_sheet": EVERYONE,
    "load_day_sheets": EVERYONE,
    "day_sheet_pdf": EVERYONE,
    "load_patient_record": CLINICAL,
    "patient_record_pdf": CLINICAL,
    "export_clinic_csv": ADMIN,
    # --- backups
    "back_up": ADMIN,
    "back_up_if_due": EVERYONE,
    "backup_status": EVERYONE,
    "restore_backup": ADMIN,
    # --- clinic settings (reading them is everyone's: hours, rooms, holidays drive the calendar)
    "get_clinic": EVERYONE,
    "get_clinic_facts": EVERYONE,
    "get_clinic_details": EVERYONE,
    "update_clinic_details": ADMIN,
    "get_opening_hours": EVERYONE,
    "set_opening_hours": ADMIN,
    "opening_hours_strands": ADMIN,
    "coming_holidays": EVERYONE,
    "set_closed_optional_holidays": ADMIN,
    "set_close_on_observed_days": ADMIN,
    "add_closure": ADMIN,
    "remove_closure": ADMIN,
    "closure_strands": ADMIN,
    "list_all_rooms": EVERYONE,
    "add_room": ADMIN,
    "rename_room": ADMIN,
    "deactivate_room": ADMIN,
    "reactivate_room": ADMIN,
    "list_practitioner_setups": EVERYONE,
    "get_practitioner_setup": EVERYONE,
    "add_practitioner": ADMIN,
    "update_practitioner": ADMIN,
    "deactivate_practitioner": ADMIN,
    "reactivate_practitioner": ADMIN,
    "practitioner_hours_strands": ADMIN,
    "add_appointment_type": ADMIN,
    "update_appointment_type": ADMIN,
    "get_lock_minutes": EVERYONE,
    "set_lock_minutes": ADMIN,
    # --- money: fees and prices (anyone reads them), invoices and payments (the desk)
    "set_fee": ADMIN,
    "list_fees": EVERYONE,
    "fee_for_visit": EVERYONE,
    "set_appointment_type_tax_code": ADMIN,
    "add_product": ADMIN,
    "list_products": EVERYONE,
    "set_missed_visit_fees": ADMIN,
    "get_missed_visit_fees": EVERYONE,
    "set_gst_number": ADMIN,
    "set_practitioner_registration": ADMIN,
    "get_practitioner_registration": EVERYONE,
    "billing_setup": EVERYONE,
    "update_product": ADMIN,
    "set_gst_and_missed_visit_fees": ADMIN,
    "check_out": DESK,
    "quote_check_out": DESK,
    "charge_missed_visit": DESK,
    "get_invoice": DESK,
    "void_invoice": DESK,
    "reissue_invoice": DESK,
    "take_payment": DESK,
    "apply_credit": DESK,
    "refund_payment": DESK,
    "patient_balance": EVERYONE,
    "patient_billing_history": DESK,
    "quote_invoice_sale": DESK,  # products sold without a visit
    "invoice_sale": DESK,
    "unpaid_visit_balances": DESK,  # the calendar's "$" marks on completed visits not yet paid
    "load_receipt": DESK,
    "receipt_pdf": DESK,
    # course packages: the desk sells and cancels them; anyone reads what is used and left
    "get_package_policy": EVERYONE,
    "set_package_policy": ADMIN,
    "set_package_price": ADMIN,
    "list_package_prices": EVERYONE,
    "package_offer": DESK,
    "book_packaged_course": DESK,
    "sell_package": DESK,
    "cancel_packaged_course": DESK,
    "preview_course_cancellation": DESK,
    "patient_packages": EVERYONE,
    # day-end and statements (issue 17, items 5 and 6)
    "money_day_sheet": DESK,
    "money_day_sheet_pdf": DESK,
    "money_day_sheet_csv": DESK,
    "close_money_day": DESK,
    "day_receipts": DESK,
    "load_statement": DESK,
    "statement_pdf": DESK,
    # --- reports (issue 17): the clinic's figures, every practitioner's beside the others'
    # and the money, are the owner's and manager's; administrators alone read and export them
    "revenue_by_month_report": ADMIN,
    "revenue_by_practitioner_report": ADMIN,
    "revenue_by_type_report": ADMIN,
    "outstanding_by_age_report": ADMIN,
    "missed_visits_report": ADMIN,
    "utilisation_report": ADMIN,
    "new_patients_report": ADMIN,
    "adverse_events_report": ADMIN,
    "export_report_csv": ADMIN,
    # --- accounts and the audit trail
    "list_accounts": ADMIN,
    "add_account": ADMIN,
    "update_account": ADMIN,
    "set_account_disabled": ADMIN,
    "reset_password": ADMIN,
    "change_own_password": EVERYONE,
    "list_audit": ADMIN,
    "audit_choices": ADMIN,
    "verify_audit": ADMIN,
    "export_audit_csv": ADMIN,
    "access_report_pdf": ADMIN,
    # --- patient emails (issue 19): the mail server and wording are the administrator's; the
    # desk reads and retries the outbox; every desk's timer runs the sender
    "get_email_settings": EVERYONE,
    "save_email_settings": ADMIN,
    "send_test_email": ADMIN,
    "list_message_templates": EVERYONE,
    "save_message_template": ADMIN,
    "send_due_messages": EVERYONE,
    "list_outbox": DESK,
    "retry_message": DESK,
    "appointment_messages": EVERYONE,
    "patient_messages": EVERYONE,
    # Before anyone is signed in (see SIGNED_OUT).
    "accounts_exist": EVERYONE,
    "create_first_administrator": EVERYONE,
    "authenticate": EVERYONE,
}

# Operations that need nobody signed in: they are how one signs in.
SIGNED_OUT: frozenset[str] = frozenset(
    {"accounts_exist", "create_first_administrator", "authenticate"}
)

# A practitioner may do these only for patients they see (see the module docstring).
OWN_PATIENTS_ONLY: frozenset[str] = frozenset(
    {
        "handout_extras",
        "record_outcome",
        "outcome_history",
        "outcomes_due",
        "get_patient",
        "upcoming_appointments",
        "patient_appointments",
        "get_course",
        "active_courses",
        "complete",
        "undo_status_change",
        "create_plan",
        "save_plan",
        "archive_plan",
        "get_plan",
        "get_revision",
        "list_revisions",
        "current_plan_for_patient",
        "draft_handout_data",
        "list_plans",
        "handout_data",
        "mark_printed",
        "plan_handout_pdf",
        "save_note",
        "sign_note",
        "amend_note",
        "get_note",
        "note_for_appointment",
        "note_history",
        "list_notes",
        "pain_trend",
        "record_adverse_event",
        "list_adverse_events",
        "load_appointment_card",
        "appointment_card_pdf",
        "load_patient_record",
        "patient_record_pdf",
        "patient_balance",
        "patient_packages",
        "save_intake",
        "read_intakes",
        "intake_cautions",
        "intake_record",
        "record_consent",
        "list_consents",
        "load_consent",
        "consent_pdf",
        "appointment_messages",
        "patient_messages",
    }
)

_WHAT = {
    Role.RECEPTION: "Reception accounts",
    Role.PRACTITIONER: "Practitioner accounts",
    Role.ADMINISTRATOR: "Administrator accounts",
}


def is_allowed(operation: str, role: Role) -> bool:
    return role in PERMISSIONS.get(operation, frozenset())


# What a refused operation is part of, in the words of the people using it, by the first
# marker found in the operation's name (a refusal reads "… may not read or write session
# notes", never the code's own name for the call).
_DOING: tuple[tuple[str, str], ...] = (
    ("outcome", "read patients' outcome questionnaires"),
    ("handout_extras", "print a patient's progress and precautions"),
    ("waitlist", "keep the wait list"),
    ("intake", "read a patient's intake answers"),
    ("consent", "record or print consent forms"),
    ("point_prescription", "work on acupuncture point prescriptions"),
    ("adverse_event", "record or read adverse events"),
    ("money_day", "close or print the day's money"),
    ("statement", "handle invoices and payments"),
    ("fee", "set the clinic's fees and prices"),
    ("product", "set the clinic's fees and prices"),
    ("tax_code", "set the clinic's fees and prices"),
    ("gst", "set the clinic's fees and prices"),
    ("registration", "change the clinic's settings"),
    ("package_policy", "set the clinic's fees and prices"),
    ("package_price", "set the clinic's fees and prices"),
    ("package", "sell or refund course packages"),
    ("invoice", "handle invoices and payments"),
    ("payment", "handle invoices and payments"),
    ("credit", "handle invoices and payments"),
    ("check_out", "handle invoices and payments"),
    ("balance", "handle invoices and payments"),
    ("billing", "handle invoices and payments"),
    ("receipt", "handle invoices and payments"),
    ("email_settings", "change the clinic's settings"),
    ("test_email", "change the clinic's settings"),
    ("message_template", "change the clinic's settings"),
    ("outbox", "read or resend patients' emails"),
    ("message", "read or resend patients' emails"),
    ("note", "read or write session notes"),
    ("pain_trend", "read a patient's chart"),
    ("patient_record", "export a patient's full record"),
    ("access_report", "read who accessed a record"),
    ("_report", "read the clinic's reports"),
    ("audit", "read the audit trail"),
    ("account", "manage staff accounts"),
    ("password", "manage staff accounts"),
    ("first_administrator", "manage staff accounts"),
    ("restore_backup", "restore the clinic's data"),
    ("back_up", "back up the clinic's data"),
    ("backup", "back up the clinic's data"),
    ("export", "export the clinic's data"),
    ("plan", "work on treatment plans"),
    ("revision", "work on treatment plans"),
    ("handout", "work on treatment plans"),
    ("mark_printed", "work on treatment plans"),
    ("clinic", "change the clinic's settings"),
    ("opening_hours", "change the clinic's settings"),
    ("holidays", "change the clinic's settings"),
    ("observed", "change the clinic's settings"),
    ("closure", "change the clinic's settings"),
    ("room", "change the clinic's settings"),
    ("practitioner", "change the clinic's settings"),
    ("appointment_type", "change the clinic's settings"),
    ("lock_minutes", "change the clinic's settings"),
    ("course", "book or change courses"),
    ("appointment_card", "print appointment cards"),
    ("day_sheet", "print the day sheet"),
    ("schedule", "read the schedule"),
    ("authenticate", "sign in"),
    ("duplicates", "change patients' records"),
    ("patient", "change patients' records"),
    ("appointment", "book or change appointments"),
    ("booking", "book or change appointments"),
)
# Every other operation is a step of booking or changing a visit.
_BOOKING_STEP = "book or change appointments"


def doing(operation: str) -> str:
    """What ``operation`` is part of, as a refusal says it ("read or write session notes")."""
    return next((words for marker, words in _DOING if marker in operation), _BOOKING_STEP)


def refusal(operation: str, role: Role) -> str:
    """The message a refused user reads: who may, in plain words."""
    who = sorted(r.label.lower() for r in PERMISSIONS.get(operation, frozenset()))
    doing_it = doing(operation)
    if not who:
        return f"Nobody may {doing_it}."
    return f"{_WHAT[role]} may not {doing_it}; ask someone signed in as {' or '.join(who)}."


def not_their_patient(operation: str) -> str:
    return (
        f"You may {doing(operation)} only for your own patients (booked with "
        "you, on a course with you, or with a plan or note of yours)."
    )
