"""The demo clinic: a deterministic, realistic clinic for trying Frontdesk, screenshots and
benchmarks.

It sits above the services (it uses the patient service's search tokens, the scheduling rules
for closed days, the home-care library and the clinic's settings) and below the entry points
that ask for it (``frontdesk --demo``, ``frontdesk build-demo``, benchmarks, tests). Nothing
in ``frontdesk.db`` or the services imports it.
"""

from __future__ import annotations

from frontdesk.demo.builder import DEMO_VERSION, DemoSummary, build_demo, check_demo_size

__all__ = ["DEMO_VERSION", "DemoSummary", "build_demo", "check_demo_size"]
