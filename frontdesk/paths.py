"""The one place that knows where resources and the user's data live.

Resources (fonts, icons, style sheet, home-care library) sit in ``resources/`` at the top of
the repository, which the build installs as the package ``frontdesk.resources``: found through
``importlib.resources`` the same way in a wheel and in an editable install. A checkout used
without installing falls back to the folder beside the package; ``FRONTDESK_RESOURCES``
overrides both for packagers.
User data goes in the platform's data folder so that real records never land in the
working directory by accident, and the demo clinic is kept in a file of its own.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources as importlib_resources
from pathlib import Path

import platformdirs

from frontdesk.private_files import private_dir

APP_NAME = "Frontdesk"
APP_AUTHOR = "Frontdesk"


def resources_dir() -> Path:
    """Folder holding fonts/, icons/ and homecare/."""
    override = os.environ.get("FRONTDESK_RESOURCES")
    if override:
        return Path(override)
    return _installed_resources()


@cache
def _installed_resources() -> Path:
    try:
        root = importlib_resources.files("frontdesk.resources")
    except ModuleNotFoundError:
        # A source checkout put on sys.path without installing (e.g. a benchmark script).
        return Path(__file__).resolve().parent.parent / "resources"
    if not isinstance(root, Path):
        # Qt and ReportLab open fonts and icons by file name, so the files must be on disk.
        raise RuntimeError(
            f"Frontdesk's resources are inside an archive ({root}); install Frontdesk as "
            "ordinary files (pip install) or set FRONTDESK_RESOURCES to a resources folder."
        )
    return root


def resource(*parts: str) -> Path:
    """Path of one resource file, e.g. ``resource("fonts", "NotoSans-Regular.ttf")``."""
    return resources_dir().joinpath(*parts)


def data_dir() -> Path:
    """The user's data folder; created on first use, readable by this account only (0700)."""
    override = os.environ.get("FRONTDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return private_dir(path)


def default_database_url() -> str:
    """SQLite file for the clinic's real data."""
    return f"sqlite:///{data_dir() / 'frontdesk.sqlite3'}"


def demo_database_path() -> Path:
    """SQLite file for the demo clinic, apart from real data."""
    return data_dir() / "demo-clinic.sqlite3"


def demo_database_url() -> str:
    return f"sqlite:///{demo_database_path()}"


def backups_dir() -> Path:
    """Where a database is copied before a schema upgrade, and the default backup folder."""
    return private_dir(data_dir() / "backups")


def logs_dir() -> Path:
    """Where the rotating log file lives (private: it may name patients in errors)."""
    return private_dir(data_dir() / "logs")
