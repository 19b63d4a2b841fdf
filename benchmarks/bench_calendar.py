"""How fast the calendar shows a day, a week, and the next day, on the scaled demo clinic.

Each figure is the wall-clock time of what a click costs: reading the schedule through the
scheduling service, building the scene's items, and painting the view once (offscreen). It
is measured on the requested scale and on a database a tenth the size, so growth with the
data is visible. The tenth-size demo clinic has 3 practitioners where the full one has 10, so
the growth comparison shows the same three practitioners' day on both; the 10-practitioner
day is reported on its own.

    python benchmarks/bench_calendar.py --scale small|full|large
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import (
    BENCH_TODAY,
    SCALES,
    Scale,
    median,
    open_demo_copy,
    parse_args,
    percentile,
    report,
)
from PySide6.QtCore import QEvent, QEventLoop, QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QWidget

from frontdesk.clinic import get_clinic
from frontdesk.context import AppContext
from frontdesk.db.engine import Database
from frontdesk.heap import keep_for_life
from frontdesk.scheduling import list_practitioners
from frontdesk.ui.calendar import CalendarPage
from frontdesk.ui.calendar.toolbar import DAY, WEEK

REPEAT = 30
CORE_PRACTITIONERS = [1, 2, 3]  # the three every demo clinic has
TENTH = {
    "small": Scale("tenth-of-small", 1_000, 5_000),
    "full": SCALES["small"],
    "large": SCALES["full"],
}  # large: 2,000,000 appointments, 40 practitioners


def _weekdays(start: date, count: int) -> Iterator[date]:
    """Distinct working days moving away from ``start``, so every call reads a new date."""
    day = start
    produced = 0
    while produced < count:
        if day.weekday() < 5:
            yield day
            produced += 1
        day += timedelta(days=1)


class _Painted(QObject):
    """Notes when the page's grid and header have painted what its read brought: the event
    loop's own paint, as in the app (a paint while the read is still on its way is of the
    old day, and does not count)."""

    def __init__(self, page: CalendarPage) -> None:
        super().__init__()
        self.page = page
        self.widgets: list[QWidget] = [page.view.viewport(), page.view.header]
        self.waiting: set[QObject] = set()
        for widget in self.widgets:
            widget.installEventFilter(self)

    def expect(self) -> None:
        self.waiting = set(self.widgets)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.page.loading:
            self.waiting.discard(watched)
        return False


def _timed(page: CalendarPage, painted: _Painted, action: Callable[[], None]) -> float:
    """From the step to the painted day. The day is read on a worker; once its answer is
    built into the scene the window paints it the next time the event loop runs, as in the
    app. Nothing forces a paint here: a forced one would be followed by the app's own (the
    scene's queued update), painting every day twice, the second time against the next read."""
    painted.expect()
    started = time.perf_counter()
    action()
    give_up = started + 10
    while painted.waiting:
        if time.perf_counter() > give_up:
            raise RuntimeError("the calendar did not paint the day it read")
        # sleep until an event comes, as the event loop does: a busy loop here would take
        # the interpreter from the worker reading the day
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    return (time.perf_counter() - started) * 1000


def _page(db: Database) -> CalendarPage:
    tz = get_clinic(db).tz
    noon = datetime.combine(
        BENCH_TODAY, datetime.min.time().replace(hour=12), tzinfo=tz
    ).astimezone(UTC)
    page = CalendarPage(AppContext(db=db, clock=lambda: noon), QUndoStack())
    page.resize(1280, 800)
    page.show()
    QApplication.processEvents()
    return page


def measure(db: Database, practitioners: list[int] | None) -> dict[str, list[float]]:
    """Milliseconds per show-a-day, show-a-week and next-day, ``REPEAT`` samples each."""
    # The app's main window does this once, after its first page (Patients); the calendar
    # page is built later, so it is built here after it, unfrozen, as in the app.
    keep_for_life()
    page = _page(db)
    page.day_practitioner_ids = practitioners
    painted = _Painted(page)
    samples: dict[str, list[float]] = {"day": [], "week": [], "next_day": []}
    first = BENCH_TODAY - timedelta(days=60)
    page.set_mode(DAY)
    for day in _weekdays(first, REPEAT + 1):
        samples["day"].append(_timed(page, painted, lambda d=day: page.go_to(d)))
    page.go_to(first - timedelta(days=1))
    for _ in range(REPEAT + 1):
        samples["next_day"].append(_timed(page, painted, lambda: page.step_period(1)))
    page.set_mode(WEEK)
    for weeks in range(REPEAT + 1):
        samples["week"].append(
            _timed(page, painted, lambda w=weeks: page.go_to(first + timedelta(weeks=w)))
        )
    columns = len(page.columns)
    page.close()
    page.deleteLater()
    QApplication.processEvents()
    assert columns == 7
    return {name: values[1:] for name, values in samples.items()}  # first one warms up


def _report(
    prefix: str, figures: dict[str, list[float]], baseline: dict[str, list[float]] | None
) -> None:
    """``prefix_show_p50 = … ms`` lines, each followed by its tenth-size figure if given."""
    for name, values in figures.items():
        for stat, fn in (("p50", median), ("p95", lambda v: percentile(v, 95))):
            base = (
                (f"{prefix}_{name}_{stat}_tenth_size_db", fn(baseline[name])) if baseline else None
            )
            report(f"{prefix}_{name}_{stat}", fn(values), "ms", baseline=base)


def main() -> None:
    args = parse_args(__doc__ or "")
    QApplication.instance() or QApplication([])
    scale, tenth = SCALES[args.scale], TENTH[args.scale]
    with tempfile.TemporaryDirectory() as work:
        big = open_demo_copy(scale, Path(work), rebuild=args.rebuild)
        practitioners = len(list_practitioners(big))
        every = measure(big, None)
        core = measure(big, CORE_PRACTITIONERS)
        big.dispose()
        (Path(work) / "tenth").mkdir()
        small = open_demo_copy(tenth, Path(work) / "tenth")
        core_tenth = measure(small, CORE_PRACTITIONERS)
        small.dispose()
    print(
        f"# {scale.name} demo clinic: {scale.appointments} appointments, {practitioners} practitioners"
    )
    if practitioners != len(CORE_PRACTITIONERS):
        _report(
            f"calendar_day_{practitioners}_practitioners",
            {"show": every["day"], "next": every["next_day"]},
            None,
        )
    print(
        f"# beside the same views on a database a tenth the size ({tenth.appointments} appointments);"
    )
    print("# day views of the three practitioners both databases have")
    _report(
        "calendar_day_3_practitioners",
        {"show": core["day"], "next": core["next_day"]},
        {"show": core_tenth["day"], "next": core_tenth["next_day"]},
    )
    _report("calendar_week", {"show": core["week"]}, {"show": core_tenth["week"]})


if __name__ == "__main__":
    main()
