"""Dialogs built in code, each with an ``ask()`` classmethod that tests can replace."""
