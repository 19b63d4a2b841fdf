"""Outcome measures (issue 18): questionnaires as data, their scores, and when one is due."""
