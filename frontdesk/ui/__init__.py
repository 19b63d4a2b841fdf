"""The Qt face of Frontdesk: main window, pages, dialogs and item models.

Only this package (and the composition root ``frontdesk.app``) imports PySide6. Widgets call the
services with ``ctx.db`` and show what comes back; the rules live in the services.
"""
