"""Intake forms and informed consent (issue 18): forms as data, answers and signatures stored.

See ``forms`` (reading the form files), ``service`` (storing and reading, behind the permission
table) and ``types`` (the frozen values the screens and printouts use).
"""

from frontdesk.intake.forms import ConsentForm, Forms, IntakeForm, Question, load_forms
from frontdesk.intake.service import (
    cautions_of,
    intake_cautions,
    intake_record,
    list_consents,
    load_consent,
    read_intakes,
    record_consent,
    save_intake,
)
from frontdesk.intake.types import (
    Answer,
    Caution,
    ConsentInput,
    ConsentView,
    IntakeInput,
    IntakeRecord,
    IntakeSaved,
    IntakeView,
)

__all__ = [
    "Answer",
    "Caution",
    "ConsentForm",
    "ConsentInput",
    "ConsentView",
    "Forms",
    "IntakeForm",
    "IntakeInput",
    "IntakeRecord",
    "IntakeSaved",
    "IntakeView",
    "Question",
    "cautions_of",
    "intake_cautions",
    "intake_record",
    "list_consents",
    "load_consent",
    "load_forms",
    "read_intakes",
    "record_consent",
    "save_intake",
]
