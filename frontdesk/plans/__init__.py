"""Treatment plans: what the practitioner decides, kept in revisions, and the home-care library.

Import from here; the submodules are an implementation detail. Everything returned is a frozen
DTO, so the plan editor, the PDF handout and batch commands share one vocabulary.

Plan content conventions (what the plan editor stores):
- ``conditions``: ``ConditionChoice`` whose ``code`` is a library condition code.
- ``symptoms`` / ``techniques``: library codes (``"numbness"``, ``"acupuncture"``); any other
  string is free text and is printed as written.
- ``homecare``: ``HomecareEntry(text, item_id)``, the advice with the words it prints with;
  ``item_id`` names the library item it came from, ``None`` marks the practitioner's own advice.
  The words are stored with the revision, so rewording the library never changes a printed
  plan. ``HomecareLibrary.entries(HomecareLibrary.default_items(codes))`` gives the pre-ticked
  set for the chosen conditions.
- ``goals``: free text, one goal per entry.
"""

from frontdesk.plans.handout import draft_handout_data, handout_data
from frontdesk.plans.library import (
    Choice,
    ConditionDef,
    HomecareItem,
    HomecareLibrary,
    RegionDef,
    default_library_path,
    load_library,
)
from frontdesk.plans.service import (
    archive_plan,
    create_plan,
    current_plan_for_patient,
    get_plan,
    get_revision,
    link_course,
    list_plans,
    list_revisions,
    mark_printed,
    save_plan,
)
from frontdesk.plans.types import (
    PAIN_MAX,
    PAIN_MIN,
    SESSIONS_MAX,
    SESSIONS_MIN,
    ConditionChoice,
    HandoutAppointment,
    HandoutData,
    HomecareEntry,
    PlanInput,
    PlanRevisionView,
    PlanSummary,
    RevisionSummary,
)

__all__ = [
    "PAIN_MAX",
    "PAIN_MIN",
    "SESSIONS_MAX",
    "SESSIONS_MIN",
    "Choice",
    "ConditionChoice",
    "ConditionDef",
    "HandoutAppointment",
    "HandoutData",
    "HomecareEntry",
    "HomecareItem",
    "HomecareLibrary",
    "PlanInput",
    "PlanRevisionView",
    "PlanSummary",
    "RegionDef",
    "RevisionSummary",
    "archive_plan",
    "create_plan",
    "current_plan_for_patient",
    "default_library_path",
    "draft_handout_data",
    "get_plan",
    "get_revision",
    "handout_data",
    "link_course",
    "list_plans",
    "list_revisions",
    "load_library",
    "mark_printed",
    "save_plan",
]
