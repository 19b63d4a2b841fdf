"""How long signing in takes on the scaled demo clinic, beside a bare Argon2id verification.

``authenticate`` as the sign-in dialog calls it, as the demo's administrator: find the account,
verify the password (Argon2id, 19 MiB, two passes), reset the wrong-password count and append
the sign-in to the audit trail, all in one write transaction. Its median and p95 over repeated
sign-ins are printed beside ``bare_argon2.py`` verifying the same stored hash in its own
process (no Frontdesk, no database): the difference is what the account lookup and the audit
row cost. The first sign-in after opening the database (connection set-up, imports and the
hasher's first use included) is printed on its own. Target: under 0.5 s.

Usage: ``python benchmarks/bench_sign_in.py --scale small|full [--rebuild]``
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import SCALES, cached_demo_path, median, parse_args, percentile, report
from sqlalchemy import select

from frontdesk.db.models import AuditEvent, StaffAccount
from frontdesk.db.open import open_database

REPEAT = 30
BARE = Path(__file__).resolve().parent / "bare_argon2.py"
TARGET_MS = 500.0


def _bare(stored_hash: str, password: str) -> list[float]:
    job = json.dumps({"hash": stored_hash, "password": password, "repeat": REPEAT})
    out = subprocess.run(
        [sys.executable, str(BARE)], input=job, text=True, check=True, capture_output=True
    ).stdout
    return [float(line) for line in out.splitlines()]


def main() -> int:
    args = parse_args((__doc__ or "").splitlines()[0])
    scale = SCALES[args.scale]
    from frontdesk.accounts.service import authenticate
    from frontdesk.demo.staff import DEMO_PASSWORD

    source = cached_demo_path(scale, rebuild=args.rebuild)
    with tempfile.TemporaryDirectory(prefix="bench-sign-in-") as work:
        target = Path(work) / "bench.sqlite3"
        shutil.copyfile(source, target)
        db = open_database(f"sqlite:///{target}")
        try:
            started = time.perf_counter()
            authenticate(db, "admin", DEMO_PASSWORD, now=datetime.now(UTC))
            first = (time.perf_counter() - started) * 1000
            samples = []
            for _ in range(REPEAT):
                started = time.perf_counter()
                authenticate(db, "admin", DEMO_PASSWORD, now=datetime.now(UTC))
                samples.append((time.perf_counter() - started) * 1000)
            with db.read() as s:
                stored = s.scalar(
                    select(StaffAccount.password_hash).where(StaffAccount.username == "admin")
                )
                trail = s.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
        finally:
            db.dispose()
    assert stored is not None
    base = _bare(stored, DEMO_PASSWORD)
    print(f"# {REPEAT} sign-ins on the {scale.name} demo; audit trail now {trail} rows")
    report("sign_in_first", first, "ms")
    report(
        "sign_in_median",
        median(samples),
        "ms",
        baseline=("bare_argon2_verify_median", median(base)),
    )
    report(
        "sign_in_p95",
        percentile(samples, 95),
        "ms",
        baseline=("bare_argon2_verify_p95", percentile(base, 95)),
    )
    print(
        f"sign_in_p95_ratio = {percentile(samples, 95) / percentile(base, 95):.2f} x "
        f"(target: under {TARGET_MS:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
