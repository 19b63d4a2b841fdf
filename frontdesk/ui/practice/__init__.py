"""The practitioner's side: My day, the patient chart, session notes and the plan editor.

Pages (``MyDayPage``, ``PlansPage``) are registered in ``main_window.PAGES``; charts and editors
are separate top-level windows so a practitioner can keep a chart open beside the calendar.
"""
