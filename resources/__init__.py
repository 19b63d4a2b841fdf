"""Fonts, icons, the style sheet and the home-care library; no code.

This file makes the folder the package ``frontdesk.resources`` when installed (pyproject.toml
maps it there), so ``frontdesk/paths.py`` finds it with ``importlib.resources`` in a wheel and
in an editable install alike.
"""
