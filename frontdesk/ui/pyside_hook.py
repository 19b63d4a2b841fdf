"""Load PySide6 without its import hook keeping the source of every module in memory.

PySide6 replaces ``__import__`` with ``__feature_import__``: after each import it calls
``inspect.getsource`` on the new module to see whether the text mentions "PySide6" (so that
module may later ``from __feature__ import snake_case``). ``linecache`` then keeps every module's
source for the life of the process: about 9 million characters (tens of MiB) by the first
screen, and the time to read them. Frontdesk never uses ``__feature__``, so the check is
answered "no" without reading anything. PySide6 treats such a module as one that needs no
feature switching, which is what every Frontdesk module is.
"""

from __future__ import annotations

import sys
from types import ModuleType


def _uses_no_feature(module: ModuleType) -> bool:
    return False


def import_pyside_quietly() -> bool:
    """Import PySide6 and switch its source check off; False when this PySide6 has none."""
    import PySide6  # noqa: F401  (installs the hook and loads the module holding the check)

    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False  # another PySide6 layout: nothing to switch off
    feature._mod_uses_pyside = _uses_no_feature  # type: ignore[attr-defined]
    return True
