"""Signed-in databases for tests: an administrator by default, or any role on demand.

Accounts are inserted directly, all with one password hashed once per run (hashing with
Argon2 in every test would cost a tenth of a second each). Headless commands in tests sign in
as the administrator through ``FRONTDESK_USER`` and ``FRONTDESK_PASSWORD_FILE`` (conftest).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import StaffAccount
from frontdesk.domain import Actor, Role

TEST_PASSWORD = "test password 1"  # every test account's; commands sign in with it


@cache
def _test_hash() -> str:
    from frontdesk.accounts.passwords import hash_password

    return hash_password(TEST_PASSWORD)


def write_password_file(folder: Path) -> Path:
    """A 0600 file holding ``TEST_PASSWORD``, as ``--password-file`` wants it."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "frontdesk-password"
    path.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def actor_for(
    db: Database,
    role: Role = Role.ADMINISTRATOR,
    *,
    practitioner_id: int | None = None,
    username: str | None = None,
) -> Actor:
    """An account of ``role`` (created once per user name) as a signed-in ``Actor``."""
    username = username or (
        role.value if practitioner_id is None else f"{role.value}-{practitioner_id}"
    )
    with db.write() as s:
        account = s.scalar(select(StaffAccount).where(StaffAccount.username == username))
        if account is None:
            account = StaffAccount(
                username=username,
                display_name=username.title(),
                role=role.value,
                practitioner_id=practitioner_id,
                password_hash=_test_hash(),
            )
            s.add(account)
            s.flush()
        return Actor(
            account.id,
            account.username,
            account.display_name,
            Role(account.role),
            account.practitioner_id,
        )


def as_role(
    db: Database,
    role: Role = Role.ADMINISTRATOR,
    *,
    practitioner_id: int | None = None,
    username: str | None = None,
) -> Database:
    return db.as_actor(actor_for(db, role, practitioner_id=practitioner_id, username=username))


def as_admin(db: Database) -> Database:
    return as_role(db, Role.ADMINISTRATOR)
