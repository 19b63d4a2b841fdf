"""Where this computer puts its backups, how many it keeps, and the passphrase, if any.

These settings belong to the computer (a USB drive or network share mounted here), not to the
clinic's database: they must still be readable when the database is damaged and a backup is
the way out. They live in ``backup-settings.json`` in the private data folder (0600), beside
``backup-state.json``, which remembers the last successful backup of each database file.
The passphrase is kept there too so that the daily backup needs nobody at the keyboard; the
encryption protects the copies that leave the building, the data folder is this account's.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from frontdesk.domain import ValidationError
from frontdesk.private_files import open_private, private_dir

SETTINGS_FILE = "backup-settings.json"
STATE_FILE = "backup-state.json"
MIN_PASSPHRASE = 8
MAX_KEPT = 1000


@dataclass(frozen=True)
class BackupSettings:
    """``folder`` empty means the data folder's ``backups/``; ``passphrase`` empty: no encryption."""

    folder: str = ""
    daily: int = 7
    weekly: int = 4
    monthly: int = 12
    passphrase: str = ""

    def target(self, data_dir: Path) -> Path:
        return Path(self.folder).expanduser() if self.folder else data_dir / "backups"

    @property
    def encrypted(self) -> bool:
        return bool(self.passphrase)


def validate(settings: BackupSettings) -> BackupSettings:
    """The settings cleaned up, or ``ValidationError`` naming each wrong field."""
    errors: dict[str, str] = {}
    folder = settings.folder.strip()
    if folder:
        path = Path(folder).expanduser()
        if not path.is_absolute():
            errors["folder"] = "Choose the backup folder with its full path (Browse… does this)."
        elif not path.is_dir():
            errors["folder"] = (
                f"The folder {path} does not exist or is not connected. Plug in "
                "the drive or create the folder, then save again."
            )
        elif not os.access(path, os.W_OK | os.X_OK):
            errors["folder"] = f"Frontdesk may not write in {path}; choose another folder."
    for field, label in (("daily", "daily"), ("weekly", "weekly"), ("monthly", "monthly")):
        value = getattr(settings, field)
        if not 0 <= value <= MAX_KEPT:
            errors[field] = f"Keep between 0 and {MAX_KEPT} {label} backups."
    if settings.daily < 1 and "daily" not in errors:
        errors["daily"] = "Keep at least the latest daily backup."
    if settings.passphrase and len(settings.passphrase) < MIN_PASSPHRASE:
        errors["passphrase"] = (
            f"Use a passphrase of at least {MIN_PASSPHRASE} characters, or "
            "leave it empty to keep backups unencrypted."
        )
    if errors:
        raise ValidationError(errors)
    return replace(settings, folder=folder)


def load_settings(data_dir: Path) -> BackupSettings:
    """The saved settings; the defaults when nothing (or something unreadable) was saved."""
    raw = _read_json(data_dir / SETTINGS_FILE)
    known = {k: v for k, v in raw.items() if k in BackupSettings.__dataclass_fields__}
    try:
        return BackupSettings(**known)
    except TypeError:
        return BackupSettings()


def save_settings(data_dir: Path, settings: BackupSettings) -> BackupSettings:
    """Validate and store the settings (0600); what was stored."""
    clean = validate(settings)
    _write_json(data_dir / SETTINGS_FILE, asdict(clean))
    return clean


def last_backup(data_dir: Path, database: str) -> tuple[datetime, str] | None:
    """When the last verified backup of ``database`` was written, and the file's path."""
    entry = _read_json(data_dir / STATE_FILE).get(database)
    if not isinstance(entry, dict):
        return None
    try:
        return datetime.fromisoformat(entry["at"]), str(entry["file"])
    except (KeyError, TypeError, ValueError):
        return None


def record_backup(data_dir: Path, database: str, at: datetime, file: Path) -> None:
    state = _read_json(data_dir / STATE_FILE)
    state[database] = {"at": at.isoformat(), "file": str(file)}
    _write_json(data_dir / STATE_FILE, state)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _write_json(path: Path, value: dict[str, Any]) -> None:
    private_dir(path.parent)
    temp = path.with_name(path.name + ".tmp")
    with open_private(temp, "w", encoding="utf-8") as fh:
        json.dump(value, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temp, path)
