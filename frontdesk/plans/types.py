"""The plan service's vocabulary: frozen DTOs shared by the editor, the PDFs and the tests.

A plan is stored as numbered revisions; callers only ever see these values, never ORM rows, so
the GUI, the headless printer and the report code can all hold them after the session closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from frontdesk.clinic import ClinicInfo

PAIN_MIN, PAIN_MAX = 0, 10
SESSIONS_MIN, SESSIONS_MAX = 1, 60


@dataclass(frozen=True)
class ConditionChoice:
    """One condition picked from the library, with the details that condition asks for.

    ``code`` names a library condition (``"pinched_nerve"``); ``region`` (``"lumbar"``),
    ``level`` (``"L4-L5"``) and ``side`` (``"left"``, ``"right"``, ``"both"``) are only
    meaningful where the library says the condition has them.
    """

    code: str
    region: str | None = None
    level: str | None = None
    side: str | None = None


@dataclass(frozen=True)
class HomecareEntry:
    """One piece of home-care advice on a plan, with the words it is printed with.

    The wording is kept with the revision, not looked up again, so a printed revision reads the
    same after the clinic rewords or removes the library item. ``item_id`` names the library
    item it came from (so the editor ticks that item again); ``None`` is advice written for
    this patient alone.
    """

    text: str
    item_id: str | None = None


@dataclass(frozen=True)
class PlanInput:
    """Everything the practitioner decides; what ``create_plan`` and ``save_plan`` accept."""

    patient_id: int
    practitioner_id: int
    course_id: int | None
    conditions: tuple[ConditionChoice, ...]
    condition_notes: str = ""
    symptoms: tuple[str, ...] = ()
    pain_score: int | None = None
    worse_with: str = ""
    better_with: str = ""
    goals: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()
    planned_sessions: int | None = None
    frequency_text: str = ""
    homecare: tuple[HomecareEntry, ...] = ()
    patient_notes: str = ""


@dataclass(frozen=True)
class PlanRevisionView:
    """One revision of a plan with its content; printed revisions are read-only history.

    ``number`` and ``version`` go back to ``save_plan`` (``expected_revision``,
    ``expected_version``) and ``mark_printed`` so a change made elsewhere is never overwritten.
    """

    plan_id: int
    revision_id: int
    number: int
    created_at: datetime
    updated_at: datetime
    printed_at: datetime | None
    patient_id: int
    practitioner_id: int
    course_id: int | None
    conditions: tuple[ConditionChoice, ...]
    condition_notes: str
    symptoms: tuple[str, ...]
    pain_score: int | None
    worse_with: str
    better_with: str
    goals: tuple[str, ...]
    techniques: tuple[str, ...]
    planned_sessions: int | None
    frequency_text: str
    homecare: tuple[HomecareEntry, ...]
    patient_notes: str
    version: int = 1

    @property
    def is_printed(self) -> bool:
        return self.printed_at is not None

    def as_input(self) -> PlanInput:
        """The content as an editable input, e.g. to pre-fill the editor."""
        return PlanInput(
            patient_id=self.patient_id,
            practitioner_id=self.practitioner_id,
            course_id=self.course_id,
            conditions=self.conditions,
            condition_notes=self.condition_notes,
            symptoms=self.symptoms,
            pain_score=self.pain_score,
            worse_with=self.worse_with,
            better_with=self.better_with,
            goals=self.goals,
            techniques=self.techniques,
            planned_sessions=self.planned_sessions,
            frequency_text=self.frequency_text,
            homecare=self.homecare,
            patient_notes=self.patient_notes,
        )


@dataclass(frozen=True)
class PlanSummary:
    """A row of a patient's plan list."""

    plan_id: int
    patient_id: int
    practitioner_id: int
    practitioner_name: str
    condition_title: str
    latest_number: int
    updated_at: datetime
    archived: bool = False


@dataclass(frozen=True)
class RevisionSummary:
    """A row of a plan's history."""

    revision_id: int
    number: int
    created_at: datetime
    updated_at: datetime
    printed_at: datetime | None


@dataclass(frozen=True)
class HandoutAppointment:
    """A booked session as the patient reads it: local date and time, who, and if it happened."""

    starts_local: datetime
    ends_local: datetime
    practitioner_name: str
    type_name: str
    status: str
    attended: bool

    @property
    def date(self) -> date:
        return self.starts_local.date()

    @property
    def weekday(self) -> str:
        return self.starts_local.strftime("%A")


@dataclass(frozen=True)
class HandoutData:
    """Everything a treatment-plan handout shows, resolved to display text where it can be.

    Condition titles and technique labels are already looked up in the library and home-care
    texts are the revision's own, so the PDF code only lays text out and never needs the
    database or the library.
    """

    clinic: ClinicInfo
    patient_name: str
    patient_dob: date
    practitioner_name: str
    practitioner_credentials: str
    plan: PlanRevisionView
    condition_lines: tuple[str, ...]
    symptom_labels: tuple[str, ...]
    technique_labels: tuple[str, ...]
    homecare_items: tuple[str, ...]
    red_flags: tuple[str, ...]
    appointments: tuple[HandoutAppointment, ...]
    printed_on: date
    course_planned_sessions: int | None = None
    # The linked course's frequency ("weekly, 8 sessions", ``domain.course_rhythm``), printed
    # instead of the plan's own words so the handout never contradicts the booked course.
    course_rhythm: str = ""
    # The linked course's package, "3 of 8 sessions used, 5 left" (``course_packages``), or "".
    package_summary: str = ""
    # Printed only when the practitioner ticks them (``plans.extras``): the progress so far, as
    # (legend, ((day, score on a 0-10 axis), ...)) lines, and the intake's precautions for home.
    progress: tuple[tuple[str, tuple[tuple[date, float], ...]], ...] = ()
    precautions: tuple[str, ...] = ()
    # Plain-language explanations from the library, aligned with condition_lines and
    # technique_labels ("" where the library has none, e.g. free text).
    condition_details: tuple[str, ...] = ()
    technique_details: tuple[str, ...] = ()
