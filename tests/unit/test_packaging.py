"""A regular install (a wheel, as pip or pipx makes it) carries everything under resources/.

The app reads its fonts, icons, style sheet and home-care library at start-up; a wheel without
them installs cleanly and then cannot start. This builds the wheel from a copy of the source
(so the checkout gets no build/ folder), with no network, and looks inside it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "frontdesk", "resources")
JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    for name in SOURCES:
        here = ROOT / name
        if not here.exists():
            continue
        if here.is_dir():
            shutil.copytree(here, source / name, ignore=JUNK)
        else:
            shutil.copy2(here, source / name)
    out = work / "dist"
    env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(source),
            "--no-deps",
            "--no-build-isolation",
            "--no-cache-dir",
            "-q",
            "-w",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [built] = out.glob("frontdesk-*.whl")
    return built


def _resource_files() -> list[str]:
    base = ROOT / "resources"
    return sorted(
        p.relative_to(base).as_posix()
        for p in base.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    )


@pytest.mark.slow
def test_the_wheel_carries_every_resource(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for needed in (
        "homecare/library.toml",
        "style.qss",
        "fonts/NotoSans-Regular.ttf",
        "fonts/DroidSansFallbackFull.ttf",
        "fonts/OFL-NotoSans.txt",
        "icons/app.svg",
    ):
        assert f"frontdesk/resources/{needed}" in names
    missing = [f for f in _resource_files() if f"frontdesk/resources/{f}" not in names]
    assert missing == []
    # Nothing lands beside the package, where it would clash with other projects' files.
    tops = {n.split("/")[0] for n in names} - {"frontdesk"}
    assert [t for t in tops if not t.endswith(".dist-info")] == []


@pytest.mark.slow
def test_an_unpacked_wheel_finds_its_own_resources(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    probe = (
        "from frontdesk import paths\n"
        "from frontdesk.plans.library import load_library\n"
        "print(paths.resources_dir())\n"
        "print(len(load_library().conditions) > 0)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "FRONTDESK_RESOURCES"}
    env["PYTHONPATH"] = str(site)
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    where, loaded = done.stdout.split()
    assert Path(where) == site / "frontdesk" / "resources"
    assert loaded == "True"


def _apt_line_packages(readme: str) -> set[str]:
    start = readme.index("sudo apt-get install")
    line = readme[start : readme.index("```", start)].replace("\\\n", " ")
    return set(line.split()[3:])


def test_the_readme_installs_what_a_bare_debian_machine_lacks() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## System packages") : readme.index("## Using it in a clinic")]
    apt = _apt_line_packages(section)
    # The README's own `python3 -m venv`, GLib for QtCore/QtGui, Kerberos for QtNetwork (QtPdf).
    assert {"python3-venv", "libglib2.0-0", "libgssapi-krb5-2"} <= apt
    # Every package the table names, except the optional ones, is on the apt-get line.
    tabled = set()
    for row in section.splitlines():
        if (
            row.startswith("| ")
            and not row.startswith("| ---")
            and "optional" not in row
            and "packages |" not in row
        ):
            tabled |= set(row.rsplit("|", 2)[1].strip().strip("`").split())
    assert tabled and tabled <= apt
