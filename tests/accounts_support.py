"""Signed-in databases for tests: an administrator by default, or any role on demand.

Accounts are inserted directly with a placeholder hash (hashing with Argon2 in every test
would cost a tenth of a second each); tests of signing in create real accounts through the
service instead.
"""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.db.engine import Database
from frontdesk.db.models import StaffAccount
from frontdesk.domain import Actor, Role


def actor_for(db: Database, role: Role = Role.ADMINISTRATOR, *,
              practitioner_id: int | None = None, username: str | None = None) -> Actor:
    """An account of ``role`` (created once per user name) as a signed-in ``Actor``."""
    username = username or (role.value if practitioner_id is None
                            else f"{role.value}-{practitioner_id}")
    with db.write() as s:
        account = s.scalar(select(StaffAccount).where(StaffAccount.username == username))
        if account is None:
            account = StaffAccount(username=username, display_name=username.title(),
                                   role=role.value, practitioner_id=practitioner_id,
                                   password_hash="(test account: no password)")
            s.add(account)
            s.flush()
        return Actor(account.id, account.username, account.display_name, Role(account.role),
                     account.practitioner_id)


def as_role(db: Database, role: Role = Role.ADMINISTRATOR, *,
            practitioner_id: int | None = None, username: str | None = None) -> Database:
    return db.as_actor(actor_for(db, role, practitioner_id=practitioner_id, username=username))


def as_admin(db: Database) -> Database:
    return as_role(db, Role.ADMINISTRATOR)
