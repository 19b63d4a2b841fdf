"""The Qt face of Frontdesk: main window, pages, dialogs and item models.

Only this package (and the composition root ``frontdesk.app``) imports PySide6. Widgets call the
services with ``ctx.db`` and show what comes back; the rules live in the services.
"""

from frontdesk.ui.qt_compat import guard_none_refcount

guard_none_refcount()  # PySide6 6.12.0 on Python 3.11 leaks None references: see qt_compat
