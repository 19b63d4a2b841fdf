"""Build glue for what pyproject.toml cannot say: the package list.

Every package under ``frontdesk/`` is found as before, and ``frontdesk.resources`` is added: it
is the top-level ``resources/`` folder (mapped in pyproject.toml's ``package-dir``), shipped in
the wheel so that an installed app finds its fonts, icons, style sheet and home-care library.
Everything else about the build is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

setup(packages=[*find_namespace_packages(include=["frontdesk*"]), "frontdesk.resources"])
