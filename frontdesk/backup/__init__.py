"""Backups and restore of the clinic's SQLite database (no Qt; the GUI and CLI use these)."""

from frontdesk.backup.service import (
    BackupFailed,
    BackupResult,
    BackupStatus,
    RestoreRefused,
    RestoreResult,
    back_up,
    back_up_if_due,
    backup_status,
    restore_backup,
    rotate,
)
from frontdesk.backup.settings import BackupSettings, load_settings, save_settings

__all__ = [
    "BackupFailed",
    "BackupResult",
    "BackupSettings",
    "BackupStatus",
    "RestoreRefused",
    "RestoreResult",
    "back_up",
    "back_up_if_due",
    "backup_status",
    "load_settings",
    "restore_backup",
    "rotate",
    "save_settings",
]
