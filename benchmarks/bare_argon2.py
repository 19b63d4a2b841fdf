"""The bare sign-in baseline: Argon2id verifying one stored hash, and nothing else.

Run by ``bench_sign_in.py`` in its own process, importing nothing of Frontdesk: a JSON job on
stdin (the demo administrator's stored hash, the password, how many verifications) is run
with ``argon2-cffi``'s ``PasswordHasher`` (the parameters come from the hash itself); one line
per verification, its milliseconds, goes to stdout. This is the floor under signing in: the
hash is deliberately slow, so a guessed password costs an attacker as much as it costs us.
"""

from __future__ import annotations

import json
import sys
import time

from argon2 import PasswordHasher


def main() -> None:
    job = json.load(sys.stdin)
    hasher = PasswordHasher()
    hasher.verify(job["hash"], job["password"])  # warm: load the library, touch the memory
    for _ in range(job["repeat"]):
        started = time.perf_counter()
        hasher.verify(job["hash"], job["password"])
        print(f"{(time.perf_counter() - started) * 1000:.4f}", flush=True)


if __name__ == "__main__":
    main()
