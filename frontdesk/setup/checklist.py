"""The first-start checklist: what a new clinic still has to set up before it can book.

Four steps, in the order a clinic usually takes them (its details, its rooms, who works and
when, what can be booked). Each is ticked from what the database holds, never from what the
user clicked, so a step done on another workstation is ticked here too. The Settings page
shows the list until every step is done; each step names the Settings tab that does it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists, select

from frontdesk.accounts.operation import operation
from frontdesk.db.engine import Database
from frontdesk.db.models import AppointmentType, ClinicSettings, Practitioner, Room, WorkingHours
from frontdesk.db.seed import PLACEHOLDER_NAME
from frontdesk.scheduling.rules import gives_treatment


@dataclass(frozen=True)
class SetupStep:
    """One line of the checklist; ``tab`` is the Settings tab's key ("clinic", "rooms"...)."""

    tab: str
    title: str
    hint: str
    done: bool


@dataclass(frozen=True)
class SetupChecklist:
    steps: tuple[SetupStep, ...]

    @property
    def complete(self) -> bool:
        return all(step.done for step in self.steps)

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    def next_step(self) -> SetupStep | None:
        """The first step not done yet: where "Continue setup" goes."""
        return next((step for step in self.steps if not step.done), None)


@operation("setup_checklist")
def setup_checklist(db: Database) -> SetupChecklist:
    """The four steps and whether each is done, read in one transaction."""
    with db.read() as s:
        clinic = s.get(ClinicSettings, 1)
        named = clinic is not None and clinic.name.strip() not in ("", PLACEHOLDER_NAME)
        has_room = bool(s.scalar(select(exists().where(Room.active.is_(True)))))
        working = list(
            s.scalars(
                select(Practitioner.discipline).where(
                    Practitioner.active.is_(True),
                    exists().where(WorkingHours.practitioner_id == Practitioner.id),
                )
            )
        )
        kinds = list(
            s.scalars(select(AppointmentType.discipline).where(AppointmentType.active.is_(True)))
        )
    bookable = any(gives_treatment(kind, who) for kind in kinds for who in working)
    return SetupChecklist(
        (
            SetupStep(
                "clinic",
                "Clinic details",
                "Your clinic's name, address and phone, as patients see them on paper.",
                named,
            ),
            SetupStep(
                "rooms", "Rooms", "The treatment rooms appointments are booked into.", has_room
            ),
            SetupStep(
                "practitioners",
                "Practitioners and their hours",
                "Everyone who sees patients, with the hours they work.",
                bool(working),
            ),
            SetupStep(
                "types",
                "Appointment types",
                "What can be booked, how long it takes and who gives it.",
                bookable,
            ),
        )
    )
