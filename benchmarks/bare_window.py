"""The bare start-up baseline: a process that only shows an empty table in a main window.

Run by ``bench_startup.py`` as its own process, importing nothing of Frontdesk: create a
QApplication, a QMainWindow holding a QTableView, show it, paint the first frame, print when
(``first_paint_at = <epoch seconds> s``) and the process's peak memory, and exit.
"""

from __future__ import annotations

import resource
import sys
import time

from PySide6.QtWidgets import QApplication, QMainWindow, QTableView


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1200, 760)
    window.show()
    while window.windowHandle() is None or not window.windowHandle().isExposed():
        app.processEvents()
    window.repaint()
    app.processEvents()
    print(f"first_paint_at = {time.time():.6f} s", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"peak_rss = {peak / 2**20 if sys.platform == 'darwin' else peak / 2**10:.2f} MiB",
        flush=True,
    )
    window.close()


if __name__ == "__main__":
    main()
