"""The bare search baseline: the raw indexed SQL that returns the search's sorted first page.

Run by ``bench_patients.py`` in its own process, importing nothing of Frontdesk: a JSON job on
stdin (the database file and, per typed prefix, the one SELECT that yields exactly the page the
patients screen shows, sorted, with its values inlined) is run once each through the standard
``sqlite3`` module on one connection; one line per query, ``ms rows``, goes to stdout.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time


def main() -> None:
    job = json.load(sys.stdin)
    conn = sqlite3.connect(job["database"])
    for sql in job["queries"][:10]:  # warm the page cache as the app's warm-up does
        conn.execute(sql).fetchall()
    for sql in job["queries"]:
        started = time.perf_counter()
        rows = conn.execute(sql).fetchall()
        print(f"{(time.perf_counter() - started) * 1000:.4f} {len(rows)}")
    conn.close()


if __name__ == "__main__":
    main()
