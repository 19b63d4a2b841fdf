"""Tests never touch the real home or user data folder, not even from shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frontdesk import paths


@pytest.fixture(scope="module")
def module_folders() -> tuple[Path, Path, Path]:
    """What a module-scoped fixture (such as test_demo's shared demo clinic) would use."""
    return paths.data_dir(), paths.backups_dir(), Path.home()


def test_module_fixtures_use_a_temporary_data_folder(
    module_folders: tuple[Path, Path, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    temporary = tmp_path_factory.getbasetemp()
    for folder in module_folders:
        assert folder.is_relative_to(temporary), folder


def test_each_test_gets_its_own_home_and_data_folder(tmp_path: Path) -> None:
    assert paths.data_dir().is_relative_to(tmp_path)
    assert paths.backups_dir().is_relative_to(tmp_path)
    for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        assert Path(os.environ[var]).is_relative_to(tmp_path), var
