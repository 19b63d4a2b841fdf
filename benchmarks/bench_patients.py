"""Patients screen figures on the scaled demo clinic (10,000 or 100,000 patients).

Search-as-you-type latency: every prefix a receptionist produces while typing a name (folded
and with its accents), "given family", a phone number, a birth date and a health number of
sampled patients is searched as the patients screen does (first page of 50), beside the
baseline of the raw SQL returning the same sorted page (``bare_search_sql.py``, plain sqlite3 in
its own process, no Frontdesk, no ORM).
Memory: resident size after all the searching, to compare across the two scales.

Each figure is a function taking a ``BenchContext``; add one to ``MEASURES`` to report more
(the GUI's time to open on this database belongs here too).

    python benchmarks/bench_patients.py --scale small|full [--rebuild] [--explain]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _common import (
    SCALES,
    Scale,
    median,
    open_demo_copy,
    parse_args,
    percentile,
    report,
    rss_mib,
    time_calls,
)
from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import Patient
from frontdesk.patients import search_patients
from frontdesk.patients.search import NARROW_LIMIT, SET_LIMIT, _match_count, search_statement
from frontdesk.patients.tokens import fold, query_words

SAMPLED_PATIENTS = 40
PAGE = 50
BARE = Path(__file__).resolve().parent / "bare_search_sql.py"


@dataclass
class BenchContext:
    scale: Scale
    db: Database
    db_path: Path
    explain: bool


def _prefixes(text: str, shortest: int = 1) -> list[str]:
    return [text[:n] for n in range(shortest, len(text) + 1) if text[n - 1] != " "]


def typed_queries(db: Database, seed: int = 7) -> list[str]:
    """What reception types, keystroke by keystroke, to find a sample of real patients."""
    rng = random.Random(seed)
    with db.read() as s:
        highest = s.scalar(select(Patient.id).order_by(Patient.id.desc()).limit(1)) or 0
        ids = sorted(rng.sample(range(1, highest + 1), min(SAMPLED_PATIENTS, highest)))
        rows = s.execute(
            select(
                Patient.given_name,
                Patient.family_name,
                Patient.date_of_birth,
                Patient.phone,
                Patient.health_number,
            ).where(Patient.id.in_(ids))
        ).all()
    queries: list[str] = []
    for i, (given, family, born, phone, health) in enumerate(rows):
        kind = i % 5
        if kind == 0:
            queries += _prefixes(fold(family))  # typed without accents
        elif kind == 1:
            queries += _prefixes(family)  # typed with its accents
        elif kind == 2:
            queries += _prefixes(f"{given.split()[0]} {family[:4]}")
        elif kind == 3 and phone:
            queries += _prefixes(phone[2:], 3)
        elif kind == 4:
            queries += _prefixes(health or born.isoformat(), 3)
        else:
            queries += _prefixes(born.isoformat(), 4)
    return queries


def _page_sql(db: Database, query: str) -> str:
    """The one statement that returns the search's first page, sorted, values inlined: the
    plan the search picks for ``query`` (``search_patients`` also counts matches to pick it)."""
    words = query_words(query)
    with db.read() as session:
        counts = {word: _match_count(session, word) for word in words}
        plan = "probe"
        if words and min(counts.values()) <= SET_LIMIT:
            plan = "narrow" if min(counts.values()) <= NARROW_LIMIT else "set"
            words = sorted(words, key=lambda w: counts[w])  # the rarest word drives
        stmt = search_statement(" ".join(words), plan=plan, limit=PAGE)
        return str(stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))


def _raw_baseline(db: Database, path: Path, queries: list[str]) -> list[float]:
    """Latency of the same-page raw SQL, run by ``bare_search_sql.py`` in its own process."""
    job = json.dumps({"database": str(path), "queries": [_page_sql(db, q) for q in queries]})
    out = subprocess.run(
        [sys.executable, str(BARE)], input=job, text=True, check=True, capture_output=True
    ).stdout
    return [float(line.split()[0]) for line in out.splitlines()]


def measure_search(ctx: BenchContext) -> None:
    queries = typed_queries(ctx.db)
    for query in queries[:10]:  # warm the connection pool and statement caches once
        search_patients(ctx.db, query, limit=PAGE)
    samples: list[float] = []
    for query in queries:  # each prefix once, cold for its own words, as typing does
        samples += time_calls(
            lambda q=query: search_patients(ctx.db, q, limit=PAGE), repeat=1, warmup=0
        )
    base = _raw_baseline(ctx.db, ctx.db_path, queries)
    print(f"# {len(queries)} typed prefixes over {ctx.scale.patients} patients")
    report(
        "patient_search_median",
        median(samples),
        "ms",
        baseline=("patient_search_raw_sql_median", median(base)),
    )
    report(
        "patient_search_p95",
        percentile(samples, 95),
        "ms",
        baseline=("patient_search_raw_sql_p95", percentile(base, 95)),
    )
    print(
        f"patient_search_p95_ratio = {percentile(samples, 95) / percentile(base, 95):.2f} x "
        "(target <= 3)"
    )
    report("patient_search_max", max(samples), "ms")
    if ctx.explain:
        _explain(ctx.db)


def _explain(db: Database) -> None:
    with db.engine.connect() as conn:
        for plan in ("narrow", "set", "probe"):
            stmt = search_statement("lee ann", plan=plan)
            sql = str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
            print(f"# plan ({plan}):")
            for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql):
                print(f"#   {row[-1]}")


def measure_memory(ctx: BenchContext) -> None:
    report("patient_search_rss", rss_mib(), "MiB")


MEASURES: list[Callable[[BenchContext], None]] = [measure_search, measure_memory]


def _options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--explain", action="store_true", help="print both query plans")


def main(argv: list[str] | None = None) -> int:
    args = parse_args((__doc__ or "").splitlines()[0], argv, _options)
    scale = SCALES[args.scale]
    with tempfile.TemporaryDirectory() as tmp:
        db = open_demo_copy(scale, Path(tmp), rebuild=args.rebuild)
        try:
            ctx = BenchContext(scale, db, Path(tmp) / "bench.sqlite3", args.explain)
            for measure in MEASURES:
                measure(ctx)
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
