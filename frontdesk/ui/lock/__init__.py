"""The shared desk's lock screen and switch user (``DeskLock``; see ``desk``)."""

from frontdesk.ui.lock.desk import DeskLock

__all__ = ["DeskLock"]
