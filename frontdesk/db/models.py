"""The clinic's data model, designed for the whole product.

Rules that must hold whatever program writes the data are constraints here (foreign keys,
NOT NULL, CHECK, UNIQUE), so a script or a bug in a service cannot store an appointment that
ends before it starts or a pain score of 11. Rules that need the clock, the calendar or other
rows (availability, overlaps) live in the services.

Instants are UTC (``UTCDateTime``); clock times of a weekly pattern (opening hours, working
hours, a course's preferred time) are local wall-clock ``Time`` values in the clinic's zone.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from frontdesk.db.base import Base, UTCDateTime, utcnow
from frontdesk.folding import SORT_KEY_MAX, name_sort_key

WEEKDAY_CHECK = "weekday BETWEEN 0 AND 6"  # Monday = 0, as datetime.weekday()
COLOUR_CHECK = "length(colour) = 7 AND substr(colour, 1, 1) = '#'"


class ClinicSettings(Base):
    """The clinic's identity and policies; exactly one row, id 1."""

    __tablename__ = "clinic_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("page_size IN ('Letter', 'A4')", name="page_size"),
        CheckConstraint("length(province) = 2", name="province"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("lock_after_minutes BETWEEN 1 AND 240", name="lock_after_minutes"),
        CheckConstraint(
            "late_cancel_fee_cents >= 0 AND no_show_fee_cents >= 0", name="missed_visit_fees"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="America/Edmonton")
    province: Mapped[str] = mapped_column(String(2), default="AB")
    # Keys of the optional holidays on which the clinic closes, e.g. ["heritage_day",
    # "boxing_day"] (``scheduling.holiday_calendar.holiday_key``; never translated names).
    closed_optional_holidays: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Whether the clinic also closes on the weekday a weekend holiday is observed on.
    close_on_observed_days: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    page_size: Mapped[str] = mapped_column(String(10), default="Letter")
    # Idle minutes before a desk locks its screen (a shared reception desk).
    lock_after_minutes: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    # Printed on every receipt; empty for a clinic with no taxable supplies.
    gst_number: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # The clinic's policy for missed visits: a fee (integer cents) charged only when switched on.
    late_cancel_fee_on: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    late_cancel_fee_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    no_show_fee_on: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    no_show_fee_cents: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class OpeningHours(Base):
    """When the clinic's doors are open on one weekday; a missing weekday is closed."""

    __tablename__ = "opening_hours"
    __table_args__ = (
        CheckConstraint(WEEKDAY_CHECK, name="weekday"),
        CheckConstraint("opens_at < closes_at", name="opens_before_closes"),
    )

    weekday: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    opens_at: Mapped[time] = mapped_column(Time)
    closes_at: Mapped[time] = mapped_column(Time)


class Practitioner(Base):
    __tablename__ = "practitioners"
    __table_args__ = (
        CheckConstraint(
            "discipline IN ('acupuncture', 'physiotherapy', 'chiropractic')", name="discipline"
        ),
        CheckConstraint(COLOUR_CHECK, name="colour"),
        CheckConstraint("length(display_name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(120))
    credentials: Mapped[str] = mapped_column(String(60), default="")
    discipline: Mapped[str] = mapped_column(String(20))
    colour: Mapped[str] = mapped_column(String(7), default="#4a7ab5")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # For insurers' receipts: "Registered Acupuncturist", and the college's registration number.
    profession: Mapped[str] = mapped_column(String(80), default="", server_default="")
    registration_number: Mapped[str] = mapped_column(String(40), default="", server_default="")

    hours: Mapped[list[WorkingHours]] = relationship(
        back_populates="practitioner", cascade="all, delete-orphan"
    )
    breaks: Mapped[list[PractitionerBreak]] = relationship(
        back_populates="practitioner", cascade="all, delete-orphan"
    )


class WorkingHours(Base):
    """One stretch of a practitioner's weekly schedule (local wall-clock times)."""

    __tablename__ = "working_hours"
    __table_args__ = (
        CheckConstraint(WEEKDAY_CHECK, name="weekday"),
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        Index("ix_working_hours_practitioner_weekday", "practitioner_id", "weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)

    practitioner: Mapped[Practitioner] = relationship(back_populates="hours")


class PractitionerBreak(Base):
    """A recurring weekly break (lunch) inside working hours."""

    __tablename__ = "practitioner_breaks"
    __table_args__ = (
        CheckConstraint(WEEKDAY_CHECK, name="weekday"),
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        Index("ix_practitioner_breaks_practitioner_weekday", "practitioner_id", "weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    label: Mapped[str] = mapped_column(String(60), default="Break")

    practitioner: Mapped[Practitioner] = relationship(back_populates="breaks")


class Room(Base):
    __tablename__ = "rooms"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class AppointmentType(Base):
    __tablename__ = "appointment_types"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("duration_minutes > 0 AND duration_minutes <= 480", name="duration"),
        CheckConstraint(COLOUR_CHECK, name="colour"),
        CheckConstraint(
            "discipline IS NULL OR discipline IN ('acupuncture', 'physiotherapy', 'chiropractic')",
            name="discipline",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    colour: Mapped[str] = mapped_column(String(7), default="#7aa6d6")
    needs_room: Mapped[bool] = mapped_column(Boolean, default=True)
    # The discipline that gives this type, if only one does (acupuncture treatment).
    discipline: Mapped[str | None] = mapped_column(String(20), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # How the visit is taxed (``tax_codes``): acupuncture and physiotherapy are GST-exempt.
    tax_code: Mapped[str] = mapped_column(
        ForeignKey("tax_codes.code"), default="exempt", server_default="exempt"
    )


def _patient_sort_name(context: Any) -> str:
    """The list position of a patient being inserted, from the names in the same INSERT, so
    a row written by any code (the service, the demo builder, a test) sorts where it belongs."""
    values = context.get_current_parameters()
    return name_sort_key(values["family_name"], values["given_name"])


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (
        CheckConstraint("length(given_name) > 0", name="given_name_not_empty"),
        CheckConstraint("length(family_name) > 0", name="family_name_not_empty"),
        CheckConstraint(
            "health_number IS NULL OR length(health_number) = 9", name="health_number_length"
        ),
        UniqueConstraint("health_number"),
        Index("ix_patients_sort", "sort_name", "id"),
        Index("ix_patients_dob", "date_of_birth"),
        Index("ix_patients_phone", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    # The list's order (``folding.name_sort_key``): accents and case compared only after the
    # letters. Compared byte by byte, so the "C" collation on PostgreSQL, as SQLite does.
    # ``patients.service`` sets it again whenever a name changes.
    sort_name: Mapped[str] = mapped_column(
        String(SORT_KEY_MAX).with_variant(String(SORT_KEY_MAX, collation="C"), "postgresql"),
        default=_patient_sort_name,
    )
    date_of_birth: Mapped[date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20), default="")  # E.164
    phone_alt: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    health_number: Mapped[str | None] = mapped_column(String(9), nullable=True)
    emergency_contact: Mapped[str] = mapped_column(String(200), default="")
    referral_source: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: two workstations editing one patient cannot silently overwrite.
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Email (issue 19): the patient's contact preference (email yes/no) and their consent to
    # be emailed about visits. Nobody is emailed without both.
    contact_by_email: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    email_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    __mapper_args__: dict[str, Any] = {"version_id_col": version}


class PatientSearchToken(Base):
    """Normalised words (unaccented, lower-case names, phone digits, ISO birth date, health
    number) pointing at a patient, so search-as-you-type is an index range scan."""

    __tablename__ = "patient_search_tokens"

    # Prefix search compares tokens as byte strings; a linguistic collation on PostgreSQL
    # (en_US) would ignore apostrophes when ordering and make range scans miss matches.
    token: Mapped[str] = mapped_column(
        String(100).with_variant(String(100, collation="C"), "postgresql"), primary_key=True
    )
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class TreatmentCourse(Base):
    """A planned series of sessions (an acupuncture course) whose appointments link here."""

    __tablename__ = "treatment_courses"
    __table_args__ = (
        CheckConstraint("planned_sessions BETWEEN 1 AND 60", name="planned_sessions"),
        CheckConstraint(
            "frequency IN ('weekly', 'twice_weekly', 'every_k_days')", name="frequency"
        ),
        CheckConstraint(
            "interval_days IS NULL OR interval_days BETWEEN 1 AND 60", name="interval_days"
        ),
        CheckConstraint("status IN ('active', 'completed', 'cancelled')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    planned_sessions: Mapped[int] = mapped_column(Integer)
    frequency: Mapped[str] = mapped_column(String(20))
    interval_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    preferred_time: Mapped[time] = mapped_column(Time)
    start_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="active")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("end_at > start_at", name="end_after_start"),
        CheckConstraint(
            "status IN ('booked', 'checked_in', 'completed', 'cancelled', 'no_show')",
            name="status",
        ),
        CheckConstraint(
            "status <> 'cancelled' OR "
            "(cancellation_reason IS NOT NULL AND length(cancellation_reason) > 0)",
            name="cancel_has_reason",
        ),
        Index("ix_appointments_practitioner_start", "practitioner_id", "start_at"),
        Index("ix_appointments_room_start", "room_id", "start_at"),
        Index("ix_appointments_patient_start", "patient_id", "start_at"),
        Index("ix_appointments_start", "start_at"),
        Index("ix_appointments_course", "course_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    room_id: Mapped[int | None] = mapped_column(ForeignKey("rooms.id"), nullable=True)
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("treatment_courses.id"), nullable=True)
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(12), default="booked")
    cancellation_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    late_cancellation: Mapped[bool] = mapped_column(Boolean, default=False)
    back_entered: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: dict[str, Any] = {"version_id_col": version}


class TreatmentPlan(Base):
    """A patient's plan; its content lives in numbered revisions so printed ones stay intact."""

    __tablename__ = "treatment_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("treatment_courses.id"), nullable=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    revisions: Mapped[list[PlanRevision]] = relationship(
        back_populates="plan", order_by="PlanRevision.number", cascade="all, delete-orphan"
    )


class PlanRevision(Base):
    """One version of a plan's content. A revision that was printed is never edited again."""

    __tablename__ = "plan_revisions"
    __table_args__ = (
        UniqueConstraint("plan_id", "number", name="uq_plan_revisions_plan_number"),
        CheckConstraint("number >= 1", name="number"),
        CheckConstraint("pain_score IS NULL OR pain_score BETWEEN 0 AND 10", name="pain_score"),
        CheckConstraint(
            "planned_sessions IS NULL OR planned_sessions BETWEEN 1 AND 60",
            name="planned_sessions",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("treatment_plans.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    # [{"code": "pinched_nerve", "region": "lumbar", "level": "L4-L5", "side": "right"}, ...]
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    condition_notes: Mapped[str] = mapped_column(Text, default="")
    symptoms: Mapped[list[str]] = mapped_column(JSON, default=list)
    pain_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    worse_with: Mapped[str] = mapped_column(Text, default="")
    better_with: Mapped[str] = mapped_column(Text, default="")
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    techniques: Mapped[list[str]] = mapped_column(JSON, default=list)
    planned_sessions: Mapped[int | None] = mapped_column(Integer, nullable=True)
    frequency_text: Mapped[str] = mapped_column(String(120), default="")
    homecare: Mapped[list[str]] = mapped_column(JSON, default=list)
    patient_notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # An unprinted revision is edited in place; the version stops two editors (or a print
    # and an edit) from silently overwriting each other.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    plan: Mapped[TreatmentPlan] = relationship(back_populates="revisions")

    __mapper_args__: dict[str, Any] = {"version_id_col": version}


class SessionNote(Base):
    """What was done in one treatment and how the patient responded."""

    __tablename__ = "session_notes"
    __table_args__ = (
        UniqueConstraint("appointment_id"),
        CheckConstraint("pain_before IS NULL OR pain_before BETWEEN 0 AND 10", name="pain_before"),
        CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10", name="pain_after"),
        Index("ix_session_notes_patient", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)
    techniques: Mapped[list[str]] = mapped_column(JSON, default=list)
    points: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(Text, default="")
    pain_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pain_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Two editors of one note (two windows, two workstations) must not overwrite each other.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Signed by the account signed in at the time; from then on only amendments change it.
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    signed_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_accounts.id"), nullable=True
    )

    __mapper_args__: dict[str, Any] = {"version_id_col": version}


class Closure(Base):
    """Days the clinic is closed (renovation, staff training), inclusive of both ends."""

    __tablename__ = "closures"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_starts"),
        CheckConstraint("length(reason) > 0", name="reason_not_empty"),
        Index("ix_closures_range", "starts_on", "ends_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200))


class StaffAccount(Base):
    """A person who signs in; disabled, never deleted, so the audit trail keeps naming them."""

    __tablename__ = "staff_accounts"
    __table_args__ = (
        CheckConstraint("role IN ('administrator', 'reception', 'practitioner')", name="role"),
        CheckConstraint("length(username) > 0", name="username_not_empty"),
        UniqueConstraint("username"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60))
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id"), nullable=True
    )
    # Argon2id encoded hash (parameters and salt inside); the password itself is never stored.
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Wrong passwords in a row and when the next try is allowed: kept here, not in memory,
    # so closing and reopening Frontdesk does not reset the growing delay.
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    __mapper_args__: dict[str, Any] = {"version_id_col": version}


class SessionNoteVersion(Base):
    """A signed state of a session note: the signature, then each amendment, never changed."""

    __tablename__ = "session_note_versions"
    __table_args__ = (UniqueConstraint("note_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("session_notes.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))  # "signed" or "amendment"
    author_account_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id"))
    author_name: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    # The note's content as it stood (techniques, points, response, pains, body).
    content: Mapped[dict[str, Any]] = mapped_column(JSON)


class AuditEvent(Base):
    """One line of the append-only audit trail (triggers refuse UPDATE and DELETE).

    ``hash`` is SHA-256 over the row's canonical content and ``prev_hash``, the hash of the row
    with ``seq - 1``; ``frontdesk audit verify`` recomputes the chain.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("seq"),
        Index("ix_audit_events_patient", "patient_id"),
        Index("ix_audit_events_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    account_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    username: Mapped[str] = mapped_column(String(60))
    workstation: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))  # create, update, delete, open, export, ...
    entity: Mapped[str] = mapped_column(String(60), default="")
    record_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    patient_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# ----- money (issue 17): integer cents everywhere, never floats --------------------------------

PAYMENT_METHODS = ("cash", "debit", "credit_card", "e_transfer", "cheque", "gift_card")
PAYMENT_METHOD_CHECK = "method IN ({})".format(", ".join(f"'{m}'" for m in PAYMENT_METHODS))


class TaxCode(Base):
    """How a service or product is taxed ("gst", "exempt"); its rates are rows of ``tax_rates``."""

    __tablename__ = "tax_codes"
    __table_args__ = (CheckConstraint("length(code) > 0", name="code_not_empty"),)

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))


class TaxRate(Base):
    """A tax code's rate from a date on, in basis points (500 = 5%): rates are data, not code."""

    __tablename__ = "tax_rates"
    __table_args__ = (
        UniqueConstraint("tax_code", "effective_from"),
        CheckConstraint("basis_points BETWEEN 0 AND 10000", name="basis_points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tax_code: Mapped[str] = mapped_column(ForeignKey("tax_codes.code"))
    effective_from: Mapped[date] = mapped_column(Date)
    basis_points: Mapped[int] = mapped_column(Integer)


class Fee(Base):
    """The price of an appointment type from a date on, for one practitioner or (NULL) anyone.

    A price change is a new row with a later date, so invoices already issued never change.
    """

    __tablename__ = "fees"
    __table_args__ = (
        UniqueConstraint("appointment_type_id", "practitioner_id", "effective_from"),
        CheckConstraint("amount_cents >= 0", name="amount"),
        Index("ix_fees_type_from", "appointment_type_id", "effective_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id"), nullable=True
    )
    effective_from: Mapped[date] = mapped_column(Date)
    amount_cents: Mapped[int] = mapped_column(Integer)


class Product(Base):
    """Something sold at the desk (a wrist brace, heat packs)."""

    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
        CheckConstraint("price_cents >= 0", name="price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    price_cents: Mapped[int] = mapped_column(Integer)
    tax_code: Mapped[str] = mapped_column(ForeignKey("tax_codes.code"), default="gst")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class InvoiceCounter(Base):
    """The next invoice number; one row, locked by the transaction that issues an invoice, so
    numbers are sequential without gaps (a rolled-back invoice rolls its number back too)."""

    __tablename__ = "invoice_counter"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("next_number >= 1", name="next_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    next_number: Mapped[int] = mapped_column(Integer)


class Invoice(Base):
    """An issued invoice: never edited; voided with a reason and reissued, both kept."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("number"),
        CheckConstraint("status IN ('issued', 'void')", name="status"),
        CheckConstraint("kind IN ('visit', 'late_cancellation', 'no_show', 'sale')", name="kind"),
        CheckConstraint(
            "status <> 'void' OR (void_reason IS NOT NULL AND length(void_reason) > 0)",
            name="void_has_reason",
        ),
        Index("ix_invoices_patient", "patient_id", "issued_on"),
        Index("ix_invoices_appointment", "appointment_id"),
        Index("ix_invoices_issued_on", "issued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="visit")
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id"), nullable=True
    )
    service_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    subtotal_cents: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)
    total_cents: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="issued")
    void_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The voided invoice this one reissues.
    reissue_of_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), nullable=True)

    lines: Mapped[list[InvoiceLine]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.position"
    )


class InvoiceLine(Base):
    """One charge: tax is computed and rounded half-up on the line, as GST returns expect."""

    __tablename__ = "invoice_lines"
    __table_args__ = (
        UniqueConstraint("invoice_id", "position"),
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("length(description) > 0", name="description_not_empty"),
        CheckConstraint("amount_cents = quantity * unit_price_cents", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(200))
    duration_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_price_cents: Mapped[int] = mapped_column(Integer)
    amount_cents: Mapped[int] = mapped_column(Integer)
    tax_code: Mapped[str] = mapped_column(ForeignKey("tax_codes.code"))
    tax_basis_points: Mapped[int] = mapped_column(Integer)
    tax_cents: Mapped[int] = mapped_column(Integer)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


class Payment(Base):
    """Money received (positive) or refunded (negative, with a reason); never edited.

    What part of it pays which invoice is in ``payment_allocations``; the rest is credit on the
    patient's account, applied to a later invoice by a new allocation.
    """

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint(PAYMENT_METHOD_CHECK, name="method"),
        CheckConstraint("amount_cents <> 0", name="amount_not_zero"),
        CheckConstraint("amount_cents > 0 OR length(reason) > 0", name="refund_has_reason"),
        Index("ix_payments_patient", "patient_id", "received_on"),
        Index("ix_payments_received_on", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    received_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(20))
    amount_cents: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    # A refund names the payment it gives back, when it gives back one.
    refund_of_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), nullable=True)


class PaymentAllocation(Base):
    """Part of a payment applied to an invoice (negative: taken back, as when it is voided)."""

    __tablename__ = "payment_allocations"
    __table_args__ = (
        CheckConstraint("amount_cents <> 0", name="amount_not_zero"),
        # The day and amount too, so balances by age sum an invoice's payments up to a day
        # from the index alone (migration 0008).
        Index("ix_payment_allocations_invoice_paid", "invoice_id", "at", "amount_cents"),
        Index("ix_payment_allocations_payment", "payment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"))
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    amount_cents: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


# ----- wait list (issue 19) -------------------------------------------------------------------


class WaitlistEntry(Base):
    """A patient waiting for an earlier or any opening: what they want and when it suits them.

    ``weekdays`` is a bit set of the local days that suit (Monday = 1, Tuesday = 2, …,
    Sunday = 64); ``earliest_minute``/``latest_minute`` bound the visit in local minutes after
    midnight (the visit starts at or after the first and ends by the second). An entry is
    never deleted: booking or removing it closes it, and the list keeps it.
    """

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        CheckConstraint("weekdays BETWEEN 1 AND 127", name="some_weekday"),
        CheckConstraint(
            "earliest_minute >= 0 AND latest_minute <= 1440 AND earliest_minute < latest_minute",
            name="time_window",
        ),
        CheckConstraint("status IN ('waiting', 'booked', 'removed')", name="status"),
        Index("ix_waitlist_entries_status_until", "status", "until"),
        Index("ix_waitlist_entries_patient", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    # None: any practitioner who offers the appointment type.
    practitioner_id: Mapped[int | None] = mapped_column(
        ForeignKey("practitioners.id"), nullable=True
    )
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    weekdays: Mapped[int] = mapped_column(Integer)
    earliest_minute: Mapped[int] = mapped_column(Integer)
    latest_minute: Mapped[int] = mapped_column(Integer)
    until: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="waiting")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    close_reason: Mapped[str] = mapped_column(Text, default="")
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)


# ----- outcome measures (issue 18) ------------------------------------------------------------


class OutcomeResponse(Base):
    """One filled-in questionnaire (pain rating, functional scale, a clinic's own).

    The questionnaire's title, direction and scale are kept with the answers, so a chart drawn
    years later reads as it did, whatever the clinic's file says by then. ``answers`` is JSON:
    ``[{"item": key, "value": n, "name": "walking"}]``. The score is kept in hundredths.
    """

    __tablename__ = "outcome_responses"
    __table_args__ = (
        CheckConstraint("direction IN ('lower_better', 'higher_better')", name="direction"),
        CheckConstraint("scale_min < scale_max", name="scale"),
        Index("ix_outcome_responses_patient", "patient_id", "questionnaire", "taken_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    questionnaire: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(120))
    short: Mapped[str] = mapped_column(String(60))
    direction: Mapped[str] = mapped_column(String(16))
    scale_min: Mapped[int] = mapped_column(Integer)
    scale_max: Mapped[int] = mapped_column(Integer)
    taken_on: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)
    answers: Mapped[str] = mapped_column(Text)
    score_hundredths: Mapped[int] = mapped_column(Integer)


# ===== Course packages (issue 17, item 4) ========================================================
# A course sold as a package: one invoice for N sessions at a package price, each attended
# session drawn down at check-out, the unused ones credited back by the clinic's rule when the
# course is cancelled. The prices and the rule are data, not code.


class PackagePolicy(Base):
    """How packages are priced and refunded; exactly one row, id 1.

    A type with no price of its own in ``package_prices`` is offered at the sessions' regular
    fees less ``discount_basis_points`` (1000 = 10%). On cancellation the unused sessions are
    credited at the package's own rate per session (``package_rate``), or the used ones are
    charged at the regular fee (``regular_fee``: the discount is lost); ``cancel_fee_cents`` is
    kept by the clinic out of the credit.
    """

    __tablename__ = "package_policy"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("discount_basis_points BETWEEN 0 AND 10000", name="discount"),
        CheckConstraint("cancel_fee_cents >= 0", name="cancel_fee"),
        CheckConstraint("refund_rule IN ('package_rate', 'regular_fee')", name="refund_rule"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    discount_basis_points: Mapped[int] = mapped_column(Integer, default=1000)
    cancel_fee_cents: Mapped[int] = mapped_column(Integer, default=0)
    refund_rule: Mapped[str] = mapped_column(String(20), default="package_rate")


class PackagePrice(Base):
    """A package price for N sessions of a type, from a date on (a change is a new row)."""

    __tablename__ = "package_prices"
    __table_args__ = (
        UniqueConstraint("appointment_type_id", "sessions", "effective_from"),
        CheckConstraint("sessions BETWEEN 1 AND 60", name="sessions"),
        CheckConstraint("price_cents >= 0", name="price"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_type_id: Mapped[int] = mapped_column(ForeignKey("appointment_types.id"))
    sessions: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date)
    price_cents: Mapped[int] = mapped_column(Integer)


class CoursePackage(Base):
    """A course sold as a package: its sale invoice, and its state (active or cancelled)."""

    __tablename__ = "course_packages"
    __table_args__ = (
        UniqueConstraint("course_id"),
        CheckConstraint("sessions BETWEEN 1 AND 60", name="sessions"),
        CheckConstraint("price_cents >= 0", name="price"),
        CheckConstraint("status IN ('active', 'cancelled')", name="status"),
        CheckConstraint(
            "status <> 'cancelled' OR (cancel_reason IS NOT NULL AND length(cancel_reason) > 0)",
            name="cancel_has_reason",
        ),
        CheckConstraint("credit_cents IS NULL OR credit_cents >= 0", name="credit"),
        Index("ix_course_packages_patient", "patient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("treatment_courses.id"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    sessions: Mapped[int] = mapped_column(Integer)
    price_cents: Mapped[int] = mapped_column(Integer)  # before tax
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))  # the sale
    status: Mapped[str] = mapped_column(String(12), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancel_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # What cancelling gave back, tax included (the sale's total less its reissue's).
    credit_cents: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PackageDraw(Base):
    """One session of a package used: the attended visit it paid for (one draw per visit)."""

    __tablename__ = "package_draws"
    __table_args__ = (
        UniqueConstraint("appointment_id"),
        Index("ix_package_draws_package", "package_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("course_packages.id"))
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


# ===== end of course packages ====================================================================


# ----- intake and consent (issue 18, item 1) ---------------------------------------------------


class IntakeResponse(Base):
    """One filled-in intake form. Never updated: a new intake is a new row, and the chart reads
    the latest; the answers keep the wording the patient read (forms are data and change)."""

    __tablename__ = "intake_responses"
    __table_args__ = (
        CheckConstraint("length(form_code) > 0", name="form_code_not_empty"),
        Index("ix_intake_responses_patient", "patient_id", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    form_code: Mapped[str] = mapped_column(String(80))
    form_title: Mapped[str] = mapped_column(String(200))
    form_version: Mapped[int] = mapped_column(Integer)
    # [{"id", "label", "answer", "detail", "caution"}, ...] in the form's order; "caution" is
    # the wording of the caution this answer raised, "" when it raised none.
    answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_accounts.id"), nullable=True
    )
    recorded_by_name: Mapped[str] = mapped_column(String(120))


class ConsentRecord(Base):
    """A consent the patient signed on screen, with its wording as signed and the witness."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("length(signer_name) > 0", name="signer_name_not_empty"),
        Index("ix_consents_patient", "patient_id", "signed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    form_code: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    form_version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    signer_name: Mapped[str] = mapped_column(String(200))
    signature_png: Mapped[bytes] = mapped_column(LargeBinary)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    witness_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_accounts.id"), nullable=True
    )
    witness_name: Mapped[str] = mapped_column(String(120))


# ----- end of intake and consent ---------------------------------------------------------------


# ===== Acupuncture points, needles and adverse events (issue 18) ==============================

ADVERSE_KIND_CHECK = (
    "kind IN ('bruising', 'fainting', 'pain', 'stuck_needle', 'pneumothorax', "
    "'needle_unaccounted', 'other')"
)


class NoteNeedling(Base):
    """The points needled in one session and the needle count, part of its session note.

    Its content is in the note's signed versions (``SessionNoteVersion.content["needling"]``),
    so a signed note's points change only by an amendment, as its text does.
    """

    __tablename__ = "note_needling"
    __table_args__ = (
        UniqueConstraint("note_id"),
        CheckConstraint("needles_in IS NULL OR needles_in BETWEEN 0 AND 200", name="needles_in"),
        CheckConstraint("needles_out IS NULL OR needles_out BETWEEN 0 AND 200", name="needles_out"),
        CheckConstraint(
            "retention_minutes IS NULL OR retention_minutes BETWEEN 0 AND 240",
            name="retention_minutes",
        ),
        CheckConstraint(
            "electro_hz IS NULL OR (electro_hz > 0 AND electro_hz <= 200)", name="electro_hz"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("session_notes.id"))
    # [{"code": "LI4", "side": "both"}, ...] in the order chosen; side: left, right, both, midline
    points: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    needles_in: Mapped[int | None] = mapped_column(Integer, nullable=True)
    needles_out: Mapped[int | None] = mapped_column(Integer, nullable=True)
    retention_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    electro_hz: Mapped[int | None] = mapped_column(Integer, nullable=True)
    moxibustion: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    cupping: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class PointPrescription(Base):
    """A saved set of points for a condition, applied to a session note and adjusted there."""

    __tablename__ = "point_prescriptions"
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("length(name) > 0", name="name_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    condition: Mapped[str] = mapped_column(String(200), default="")
    points: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    retention_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    electro_hz: Mapped[int | None] = mapped_column(Integer, nullable=True)
    moxibustion: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    cupping: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AdverseEvent(Base):
    """Something that went wrong in a treatment, and what was done about it; never deleted.

    A ``needle_unaccounted`` event tied to a note resolves a needle count that does not add
    up, so the note can be signed (``frontdesk.needling.safety``).
    """

    __tablename__ = "adverse_events"
    __table_args__ = (
        CheckConstraint(ADVERSE_KIND_CHECK, name="kind"),
        CheckConstraint("length(action_taken) > 0", name="action_taken_not_empty"),
        Index("ix_adverse_events_patient", "patient_id", "occurred_at"),
        Index("ix_adverse_events_note", "note_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    note_id: Mapped[int | None] = mapped_column(ForeignKey("session_notes.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(30))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    description: Mapped[str] = mapped_column(Text, default="")
    action_taken: Mapped[str] = mapped_column(Text)
    recorded_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_accounts.id"), nullable=True
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# ===== end of issue 18 ==========================================================================


# ----- day-end (issue 17, item 6): a closed day's money never changes ---------------------------


class MoneyDayClose(Base):
    """A clinic day whose payments, refunds and voids are final: the day sheet was closed.

    Written once and never changed; a correction after it is a new entry dated the day it is
    made (``frontdesk.billing.closing`` refuses money dated on a closed day).
    """

    __tablename__ = "money_day_closes"
    __table_args__ = (
        UniqueConstraint("day"),
        CheckConstraint("length(closed_by) > 0", name="closed_by_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_by: Mapped[str] = mapped_column(String(120))  # the name of who closed it
    # The day sheet's figures when it was closed, so a later check can show they still hold.
    payment_count: Mapped[int] = mapped_column(Integer)
    net_cents: Mapped[int] = mapped_column(Integer)


# ===== Email reminders and the outbox (issue 19) ==============================================

OUTBOX_KINDS = ("confirmation", "course_confirmation", "reminder", "move", "cancellation")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "not_sent", "skipped")


class EmailSettings(Base):
    """How the clinic's mail server is reached; one row, id 1 (absent: nothing set up yet).

    The password is in the operating system's keyring when one is available
    (``password_in_keyring``), else here encrypted (``password_sealed``, a Fernet token whose
    key is in the user's data folder). Never in clear text.
    """

    __tablename__ = "email_settings"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("security IN ('starttls', 'tls', 'none')", name="security"),
        CheckConstraint("port BETWEEN 1 AND 65535", name="port"),
        CheckConstraint("reminder_hours BETWEEN 1 AND 336", name="reminder_hours"),
        CheckConstraint("give_up_hours BETWEEN 1 AND 168", name="give_up_hours"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    host: Mapped[str] = mapped_column(String(200), default="")
    port: Mapped[int] = mapped_column(Integer, default=587)
    security: Mapped[str] = mapped_column(String(10), default="starttls")
    username: Mapped[str] = mapped_column(String(200), default="")
    sender: Mapped[str] = mapped_column(String(200), default="")
    password_in_keyring: Mapped[bool] = mapped_column(Boolean, default=False)
    password_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    reminder_hours: Mapped[int] = mapped_column(Integer, default=48)
    give_up_hours: Mapped[int] = mapped_column(Integer, default=24)


class MessageTemplate(Base):
    """The clinic's own wording of one kind of message (absent: the built-in wording)."""

    __tablename__ = "message_templates"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('confirmation', 'course_confirmation', 'reminder', 'move', 'cancellation')",
            name="kind",
        ),
    )

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)


class OutboxMessage(Base):
    """One email to a patient, written in the transaction of the booking change causing it.

    The key (appointment, its version, kind) makes a second write of the same message
    impossible. ``visit_start`` is the visit's time when the message was written: a reminder
    whose visit has moved or been cancelled since is skipped, never sent.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        UniqueConstraint("appointment_id", "appointment_version", "kind"),
        CheckConstraint(
            "kind IN ('confirmation', 'course_confirmation', 'reminder', 'move', 'cancellation')",
            name="kind",
        ),
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'not_sent', 'skipped')",
            name="status",
        ),
        Index("ix_outbox_messages_status_next", "status", "next_attempt_at"),
        Index("ix_outbox_messages_patient", "patient_id", "created_at"),
        Index("ix_outbox_messages_appointment", "appointment_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointments.id"))
    appointment_version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    visit_start: Mapped[datetime] = mapped_column(UTCDateTime)
    to_address: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    ics: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # Why it was not sent, or the last failure, in words reception can act on.
    reason: Mapped[str] = mapped_column(Text, default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str] = mapped_column(String(80), default="")
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# ===== end of email reminders and the outbox ==================================================
