"""Command-line options pick the database a clinic means, and never the real data by accident."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from frontdesk.cli import parse
from frontdesk.database_setting import database_url


def test_a_plain_path_is_a_sqlite_file(tmp_path: Path) -> None:
    args = parse(["--database", str(tmp_path / "clinic.db")])
    assert database_url(args) == f"sqlite:///{tmp_path / 'clinic.db'}"


def test_a_relative_path_is_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert database_url(parse(["--database", "c.db"])) == f"sqlite:///{tmp_path / 'c.db'}"


def test_a_psql_style_url_uses_the_shipped_driver() -> None:
    args = parse(["--database", "postgresql://desk@server/clinic"])
    assert database_url(args) == "postgresql+psycopg://desk@server/clinic"


def test_environment_variable_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDESK_DATABASE", "postgresql+psycopg://desk@server/clinic")
    assert database_url(parse([])) == "postgresql+psycopg://desk@server/clinic"


def test_demo_and_real_data_are_different_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRONTDESK_DATABASE", raising=False)
    demo = database_url(parse(["--demo"]))
    real = database_url(parse([]))
    assert demo != real
    assert demo.startswith("sqlite:///") and real.startswith("sqlite:///")
    assert os.path.dirname(demo) == os.path.dirname(real)  # both in the user data folder


def test_version_and_help_exit_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        parse(["--version"])
    assert exc.value.code == 0
    assert "frontdesk 0.1.0" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        parse(["--help"])
    out = capsys.readouterr().out
    for option in ("--database", "--demo", "--screenshots", "--version"):
        assert option in out


def test_the_window_refuses_an_unusable_setting_in_one_sentence_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from frontdesk.__main__ import main

    shots = tmp_path / "shots"
    assert main(["--database", "foo://bar", "--screenshots", str(shots)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        "frontdesk: --database foo://bar is neither a SQLite file nor a "
        "PostgreSQL database; give a file path or "
        "postgresql://user@host/database."
    )
    assert not shots.exists()
