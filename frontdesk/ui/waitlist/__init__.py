"""The wait list's page and dialogs."""

from frontdesk.ui.waitlist.page import WaitlistPage

__all__ = ["WaitlistPage"]
