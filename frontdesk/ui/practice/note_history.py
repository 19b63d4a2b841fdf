"""A session note's signature and amendments, in words and as a readable list of versions.

Once signed, a note changes only by amendment (``frontdesk.notes.amend_note``); every signed
state stays in the database. The note editor and the chart describe that state with the same
words (``signed_state``, ``state_column``), and the History window lists each version (who,
when, signed or amended, and why) with its full text, read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from frontdesk.context import AppContext
from frontdesk.domain import FrontdeskError
from frontdesk.notes import NoteVersionView, SessionNoteView, note_history
from frontdesk.timefmt import fmt_when
from frontdesk.ui import qtbits
from frontdesk.ui.worker import Latest

KIND_WORDS = {"signed": "Signed", "amendment": "Amended"}


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def signed_state(note: SessionNoteView | None, tz: tzinfo) -> str:
    """One sentence: not signed yet, or who signed when and how often it was amended since."""
    if note is None or note.signed_at is None:
        return "Not signed yet."
    text = f"Signed by {note.signed_by or 'a former account'}, {fmt_when(note.signed_at, tz)}."
    if note.amendments and note.amended_at is not None:
        text += (
            f" Amended {_times(note.amendments)} since, last by {note.amended_by}, "
            f"{fmt_when(note.amended_at, tz)}."
        )
    return text


def state_column(note: SessionNoteView) -> str:
    """The chart's short form ("Not signed", "Signed", "Amended twice"); ``signed_state`` is its
    tool tip."""
    if note.signed_at is None:
        return "Not signed"
    if note.amendments:
        return f"Amended {_times(note.amendments)}"
    return "Signed"


def _score(value: int | None) -> str:
    return "not recorded" if value is None else str(value)


def version_heading(version: NoteVersionView, tz: tzinfo) -> str:
    """ "2 · Amended by Mei Lin · Tue 10 Mar 2026, 09:12" """
    return (
        f"{version.number} \u00b7 {KIND_WORDS.get(version.kind, version.kind.title())} by "
        f"{version.author} \u00b7 {fmt_when(version.at, tz)}"
    )


def version_text(version: NoteVersionView, tz: tzinfo, labels: Mapping[str, str]) -> str:
    """The whole version as plain text: who, when, why, then every field of the note
    (``labels``: technique code -> label, from the home-care library)."""
    lines = [f"Version {version_heading(version, tz)}"]
    if version.reason:
        lines.append(f"Reason: {version.reason}")
    lines += [
        "",
        "Techniques: " + (", ".join(labels.get(t, t) for t in version.techniques) or "none"),
        f"Points and needles: {version.needling.summary() or '(none)'}",
        f"Point notes: {version.points or '(none)'}",
        f"Response: {version.response or '(none)'}",
        f"Pain before: {_score(version.pain_before)}; after: {_score(version.pain_after)}",
        "",
        "Notes:",
        version.body or "(none)",
    ]
    return "\n".join(lines)


class NoteHistoryDialog(QDialog):
    """Every signed version of one note, oldest first; the selected one shown in full."""

    def __init__(
        self,
        ctx: AppContext,
        note_id: int,
        tz: tzinfo,
        *,
        labels: Mapping[str, str],
        heading: str,
        parent: QWidget | None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.note_id = note_id
        self._tz = tz
        self._labels = labels
        self._versions: list[NoteVersionView] = []
        self._loading = Latest()
        self.setWindowTitle(f"Note history \u2013 {heading}" if heading else "Note history")
        self.resize(860, 540)
        self.status = qtbits.label("Reading the note's versions\u2026", name="muted", wrap=True)
        self.versions = QListWidget()
        self.versions.setMinimumWidth(320)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.versions)
        split.addWidget(self.text)
        split.setSizes([350, 470])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(qtbits.label("Versions of this note", name="sectionTitle"))
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.versions.currentRowChanged.connect(self._show_version)
        self.reload()

    def reload(self) -> None:
        """Read the versions on a worker; the list fills when they come."""
        db, note_id = self.ctx.db, self.note_id
        self._loading.run(self, lambda: note_history(db, note_id), self._show, self._failed)

    def _show(self, versions: list[NoteVersionView]) -> None:
        self._versions = versions
        self.versions.clear()
        for version in versions:
            item = QListWidgetItem(version_heading(version, self._tz))
            if version.reason:
                item.setToolTip(f"Reason: {version.reason}")
            self.versions.addItem(item)
        if not versions:
            self.status.setText("This note is not signed yet, so it has no versions.")
            return
        amended = len(versions) - 1
        self.status.setText(
            "Signed, never amended."
            if not amended
            else f"Signed, then amended {_times(amended)}. The last version is the note as it "
            "stands; each earlier one stays readable here."
        )
        self.versions.setCurrentRow(len(versions) - 1)

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, FrontdeskError):
            raise exc
        self.status.setText(str(exc))

    @Slot(int)
    def _show_version(self, row: int) -> None:
        if 0 <= row < len(self._versions):
            self.text.setPlainText(version_text(self._versions[row], self._tz, self._labels))
        else:
            self.text.clear()

    def shown_text(self) -> str:
        """The text of the version selected now (what tests and screen readers read)."""
        return self.text.toPlainText()
