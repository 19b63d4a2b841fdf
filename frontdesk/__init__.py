"""Frontdesk: the front desk of a small physiotherapy, chiropractic and acupuncture clinic."""

__version__ = "0.1.0"
