"""The demo clinic's acupuncture courses, treatment plans and session notes.

Courses (6-10 sessions, weekly or twice weekly at a fixed time) are reserved on the appointment
grid before anything else, some finished, most in progress, a few about to start and a few
stopped early. Each has a plan for one of the conditions the clinic sees most (pinched nerve
in the neck at C5-C6 or C6-C7, in the lower back at L4-L5, sciatica, carpal tunnel) with its
library home-care items, and every attended session has a note whose pain scores fall over the
course, so the pain trend chart has a story to tell.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from frontdesk.demo.appointments import STEP, CourseSession, Grid, Reserved
from frontdesk.domain import AppointmentStatus, CourseStatus, Discipline, Frequency
from frontdesk.plans.homecare import entries_to_json
from frontdesk.plans.library import HomecareLibrary
from frontdesk.plans.types import ConditionChoice

SESSION_MINUTES = 45
UTC = UTC


@dataclass(frozen=True)
class Condition:
    """A plan template: what a practitioner would write for a typical case."""

    code: str
    region: str | None
    levels: tuple[str, ...]
    sides: tuple[str, ...]
    notes: str
    symptoms: tuple[str, ...]
    worse_with: str
    better_with: str
    goals: tuple[str, ...]
    techniques: tuple[str, ...]
    points: str


CONDITIONS = (
    Condition(
        "pinched_nerve",
        "cervical",
        ("C5-C6", "C6-C7"),
        ("left", "right"),
        "Pain from the neck into the {side} shoulder and upper arm, with tingling on the thumb "
        "side of the hand since a long drive three weeks ago.",
        ("pain", "tingling", "numbness", "stiffness"),
        "Hours at the computer, looking down at the phone, sleeping on that side.",
        "Heat across the shoulders, slow neck turns, resting the arm on a pillow.",
        (
            "Shoulder-check while driving without a jolt of pain",
            "Get through a workday at the desk without tingling in the hand",
            "Sleep through the night",
        ),
        ("acupuncture", "trigger_point", "stretching"),
        "GB20, GB21, SI3, LI4, Jiaji C5-C7",
    ),
    Condition(
        "pinched_nerve",
        "lumbar",
        ("L4-L5",),
        ("left", "right"),
        "Low back pain with numbness down the outside of the {side} leg toward the big toe; "
        "began after helping a friend move house.",
        ("pain", "numbness", "tingling"),
        "Standing in one place, bending to lift, long drives.",
        "Sitting for a short while, an easy walk, a warm shower.",
        (
            "Stand at the kitchen counter for 20 minutes without leg numbness",
            "Lift a bag of groceries out of the car",
            "Walk the dog for half an hour",
        ),
        ("acupuncture", "trigger_point", "stretching"),
        "BL23, BL25, GB30, BL40, Jiaji L4-L5",
    ),
    Condition(
        "sciatica",
        None,
        (),
        ("left", "right"),
        "Sharp pain from the {side} buttock down the back of the thigh, worst first thing in the "
        "morning.",
        ("pain", "burning", "numbness"),
        "Sitting for more than half an hour, coughing or sneezing, getting out of the car.",
        "Lying on the back with the knees bent, gentle walking.",
        (
            "Sit through a one-hour meeting",
            "Get in and out of the car without pain",
            "Return to the weekly swim",
        ),
        ("acupuncture", "stretching"),
        "GB30, BL36, BL37, BL40, GB34",
    ),
    Condition(
        "carpal_tunnel",
        None,
        (),
        ("right", "both", "left"),
        "Numb, tingling fingers on the {side} hand that wake the patient at night; long days "
        "of typing at work.",
        ("numbness", "tingling", "weakness"),
        "Typing, gripping tools, sleeping with the wrist curled.",
        "Shaking the hand out, a wrist brace at night, short breaks from the keyboard.",
        (
            "Sleep without waking from hand numbness",
            "Hold a full coffee mug with confidence",
            "Type for an hour without tingling",
        ),
        ("acupuncture", "stretching"),
        "PC7, PC6, LI4, SJ5, LU5",
    ),
)
PLAN_NOTE = (
    "We will look at how you are doing after the third session and adjust the plan with you. "
    "Feeling a little tired or sore for a day after a treatment is common and passes quickly."
)
RESPONSES = (
    "Felt warmth spreading along the arm during the treatment.",
    "Slept better for two nights after the last visit.",
    "Mild soreness at two needle sites the next day; settled by itself.",
    "Less tingling this week, still stiff in the mornings.",
    "Walking further before the numbness starts.",
    "Relaxed well on the table; tension in the upper back eased.",
)
_WEEKLY_PAIRS = ((0, 3), (1, 4), (0, 2), (2, 4), (1, 3))


@dataclass
class CourseDraft:
    """A course as planned on the grid; becomes a course, a plan and its notes."""

    id: int
    patient_id: int
    staff_id: int
    planned: int
    frequency: Frequency
    weekdays: tuple[int, ...]
    minute: int
    start: date
    dates: list[date]
    status: CourseStatus
    condition: ConditionChoice
    template: Condition
    pain: int


@dataclass(frozen=True)
class _Timing:
    """When a course's sessions fall: weekdays, a start time, and a first day to look from."""

    weekdays: tuple[int, ...]
    minute: int  # from local midnight
    planned: int
    start: date
    stopped: bool  # stopped early at the patient's request: sessions after today are cancelled


def _times(grid: Grid, staff_id: int, weekdays: tuple[int, ...]) -> list[int]:
    periods = grid.staff[staff_id - 1].periods
    return [
        t
        for t in range(0, 24 * 60, STEP)
        if all(
            any(a <= t and t + SESSION_MINUTES <= b for a, b in periods.get(w, ()))
            for w in weekdays
        )
    ]


def _pick_patient(grid: Grid, rng: random.Random, today: date, used: set[int]) -> int | None:
    """An adult, current patient without a course yet (up to 50 tries), or None."""
    pool = grid.pool
    for _ in range(50):
        patient = rng.randrange(len(pool)) + 1
        adult = (today - pool.born[patient - 1]).days > 18 * 365
        if patient not in used and not pool.archived[patient - 1] and adult:
            return patient
    return None


def _pick_weekdays(grid: Grid, rng: random.Random, staff_id: int) -> tuple[int, ...]:
    """Twice a week (a pair of days the practitioner can share a time on) or once a week."""
    twice = rng.random() < 0.6
    options = [w for w in _WEEKLY_PAIRS if _times(grid, staff_id, w)] if twice else []
    if options:
        return rng.choice(options)
    return (rng.choice(list(grid.staff[staff_id - 1].periods)),)


def _start(rng: random.Random, today: date) -> tuple[date, bool]:
    """(first day, stopped early): some finished, a few about to start, most under way."""
    phase = rng.random()
    if phase < 0.15:
        return today - timedelta(days=rng.randint(80, 100)), False
    if phase < 0.30:
        return today + timedelta(days=rng.randint(1, 10)), False
    start = today - timedelta(days=rng.randint(3, 35))
    return start, rng.random() < 0.1


def _timing(grid: Grid, rng: random.Random, today: date, staff_id: int) -> _Timing | None:
    """A weekly pattern the practitioner works, a time that fits it, and a start."""
    weekdays = _pick_weekdays(grid, rng, staff_id)
    times = _times(grid, staff_id, weekdays)
    if not times:
        return None
    minute, planned = rng.choice(times), rng.randint(6, 10)
    start, stopped = _start(rng, today)
    return _Timing(weekdays, minute, planned, start, stopped)


def _reserve(
    grid: Grid, course_id: int, staff_id: int, patient: int, timing: _Timing, today: date
) -> list[date]:
    """Hold the course's sessions on the grid (within 120 days of its start); their days."""
    dates: list[date] = []
    end = timing.minute + SESSION_MINUTES
    day, last = timing.start, timing.start + timedelta(days=120)
    while len(dates) < timing.planned and day < last:
        fits = day.weekday() in timing.weekdays
        if fits and grid.free(staff_id, day, timing.minute, end, patient):
            cancelled = timing.stopped and day > today
            grid.reserve(staff_id, day, Reserved(timing.minute, end, course_id, patient, cancelled))
            dates.append(day)
        day += timedelta(days=1)
    return dates


def _condition(template: Condition, rng: random.Random) -> ConditionChoice:
    level = rng.choice(template.levels) if template.levels else None
    return ConditionChoice(template.code, template.region, level, rng.choice(template.sides))


def _course_status(dates: list[date], stopped: bool, today: date) -> CourseStatus:
    if stopped:
        return CourseStatus.CANCELLED
    return CourseStatus.COMPLETED if dates[-1] < today else CourseStatus.ACTIVE


def _draft(
    grid: Grid, rng: random.Random, today: date, course_id: int, staff_id: int, used: set[int]
) -> CourseDraft | None:
    """One course with ``staff_id`` for a patient not in ``used``, or None when none fits."""
    patient = _pick_patient(grid, rng, today, used)
    if patient is None:
        return None
    timing = _timing(grid, rng, today, staff_id)
    if timing is None:
        return None
    dates = _reserve(grid, course_id, staff_id, patient, timing, today)
    if not dates:
        return None
    used.add(patient)
    template = CONDITIONS[course_id % len(CONDITIONS)]
    frequency = Frequency.TWICE_WEEKLY if len(timing.weekdays) == 2 else Frequency.WEEKLY
    return CourseDraft(
        course_id,
        patient,
        staff_id,
        timing.planned,
        frequency,
        timing.weekdays,
        timing.minute,
        dates[0],
        dates,
        _course_status(dates, timing.stopped, today),
        _condition(template, rng),
        template,
        rng.randint(5, 8),
    )


def draft_courses(grid: Grid, rng: random.Random, today: date, count: int) -> list[CourseDraft]:
    """Up to ``count`` courses with acupuncturists, their sessions reserved on ``grid``."""
    acupuncturists = [m.id for m in grid.staff if m.discipline is Discipline.ACUPUNCTURE]
    used: set[int] = set()
    drafts = (
        _draft(grid, rng, today, course_id, acupuncturists[course_id % len(acupuncturists)], used)
        for course_id in range(1, count + 1)
    )
    return [d for d in drafts if d is not None]


def _stamp(day: date, now: datetime, hour: int = 18) -> datetime:
    return min(datetime.combine(day, time(hour), UTC), now)


def course_row(d: CourseDraft, type_id: int, now: datetime) -> dict[str, Any]:
    return {
        "id": d.id,
        "patient_id": d.patient_id,
        "practitioner_id": d.staff_id,
        "appointment_type_id": type_id,
        "planned_sessions": d.planned,
        "frequency": d.frequency.value,
        "interval_days": None,
        "weekdays": list(d.weekdays),
        "preferred_time": time(d.minute // 60, d.minute % 60),
        "start_date": d.start,
        "status": d.status.value,
        "notes": "",
        "created_at": _stamp(d.start - timedelta(days=2), now),
    }


def plan_rows(
    d: CourseDraft, library: HomecareLibrary, now: datetime, today: date, rng: random.Random
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A plan for the course and its revisions (a second one after a few weeks for some)."""
    t = d.template
    created = _stamp(d.start - timedelta(days=2), now)
    side = {"both": "left and right", None: ""}.get(d.condition.side, d.condition.side)
    weekly = d.frequency is Frequency.WEEKLY
    weeks, per_week = (d.planned, "Once") if weekly else ((d.planned + 1) // 2, "Twice")
    first: dict[str, Any] = {
        "plan_id": d.id,
        "number": 1,
        "conditions": [{k: v for k, v in vars(d.condition).items() if v is not None}],
        "condition_notes": t.notes.format(side=side),
        "symptoms": list(t.symptoms),
        "pain_score": d.pain,
        "worse_with": t.worse_with,
        "better_with": t.better_with,
        "goals": list(t.goals),
        "techniques": list(t.techniques),
        "planned_sessions": d.planned,
        "frequency_text": f"{per_week} a week for {weeks} weeks",
        "homecare": entries_to_json(library.entries(library.default_items([d.condition]))),
        "patient_notes": PLAN_NOTE,
        "created_at": created,
        "updated_at": created,
        "printed_at": created + timedelta(minutes=40),
    }
    revisions = [first]
    under_way = d.status is CourseStatus.ACTIVE and d.start < today - timedelta(days=14)
    if under_way and rng.random() < 0.4:
        revised = _stamp(d.start + timedelta(days=14), now)
        revisions.append(
            first
            | {
                "number": 2,
                "pain_score": max(0, d.pain - 2),
                "created_at": revised,
                "updated_at": revised,
                "printed_at": None,
                "patient_notes": PLAN_NOTE + " After three sessions your pain is easing, so we "
                "are adding more stretching at home.",
            }
        )
    plan = {
        "id": d.id,
        "patient_id": d.patient_id,
        "practitioner_id": d.staff_id,
        "course_id": d.id,
        "archived": False,
        "created_at": created,
    }
    return plan, revisions


def note_rows(
    drafts: list[CourseDraft], sessions: list[CourseSession], rng: random.Random, now: datetime
) -> list[dict[str, Any]]:
    """A note with pain before and after for every attended (completed) course session."""
    by_course = {d.id: d for d in drafts}
    rows: list[dict[str, Any]] = []
    attended: dict[int, int] = {}
    for s in sorted(sessions, key=lambda s: (s.course_id, s.day)):
        if s.status is not AppointmentStatus.COMPLETED:
            continue
        d = by_course[s.course_id]
        k = attended.get(d.id, 0)
        attended[d.id] = k + 1
        before = max(1, min(10, round(d.pain - 0.6 * k + rng.uniform(-0.8, 0.8))))
        written = _stamp(s.day, now, 23)
        rows.append(
            {
                "patient_id": d.patient_id,
                "practitioner_id": d.staff_id,
                "appointment_id": s.appointment_id,
                "techniques": list(d.template.techniques),
                "points": d.template.points,
                "response": rng.choice(RESPONSES),
                "pain_before": before,
                "pain_after": max(0, before - rng.randint(1, 3)),
                "body": "",
                "created_at": written,
                "updated_at": written,
            }
        )
    return rows
