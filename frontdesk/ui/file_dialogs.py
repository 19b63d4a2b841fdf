"""Choosing a file or a folder, in Qt's file dialog as Qt draws it.

The app's style sheet is made for the app's own screens. Reaching Qt's file dialog, it painted
the list of places dark on dark (Qt names that list "sidebar", as the app names its navigation)
and squeezed the column headers, so "Save as PDF…" was hard to read. Every file dialog is opened
here without a parent widget, so no styled window passes its sheet down, and with Qt's standard
palette; the window that asked stays its transient parent, so the dialog opens over it and
keeps it waiting. Where the platform has a native dialog, Qt still uses it.

Tests replace these functions (``monkeypatch.setattr(file_dialogs, "save_file_name", ...)``);
callers therefore go through the module, not a copy of the function.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

ALL_ROLES = 2**64 - 1  # a palette's resolve mask with every colour role and group set


def plain_dialog(
    parent: QWidget | None, caption: str, directory: str = "", name_filter: str = ""
) -> QFileDialog:
    """A file dialog with nothing of the app's style, kept above ``parent``'s window."""
    dialog = QFileDialog(None, caption, directory, name_filter)
    standard = dialog.style().standardPalette()
    standard.setResolveMask(ALL_ROLES)  # every colour Qt's, none taken from the app's palette
    dialog.setPalette(standard)
    owner = parent.window().windowHandle() if parent is not None else None
    if owner is not None:
        dialog.winId()  # creates the dialog's window so it can be told whose it is
        handle = dialog.windowHandle()
        if handle is not None:
            handle.setTransientParent(owner)
    return dialog


def _chosen(dialog: QFileDialog) -> str:
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    files = dialog.selectedFiles() if accepted else []
    dialog.deleteLater()
    return files[0] if files else ""


def save_file_name(parent: QWidget | None, caption: str, path: str, name_filter: str) -> str:
    """Where to save (``path`` suggested); "" if the user cancelled."""
    dialog = plain_dialog(parent, caption, path, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    return _chosen(dialog)


def open_file_name(parent: QWidget | None, caption: str, directory: str, name_filter: str) -> str:
    """An existing file to read; "" if the user cancelled."""
    dialog = plain_dialog(parent, caption, directory, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return _chosen(dialog)


def existing_directory(parent: QWidget | None, caption: str, directory: str = "") -> str:
    """An existing folder; "" if the user cancelled."""
    dialog = plain_dialog(parent, caption, directory)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    return _chosen(dialog)
