"""Staff accounts: the first administrator, signing in, and what administrators manage.

Accounts are disabled, never deleted, so the audit trail keeps naming the person. Wrong
passwords in a row make the account wait before the next try (``retry_delay``), and the count
lives in the database, so closing Frontdesk does not reset it. Every sign-in, failed or not,
is an audit row.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from frontdesk.accounts import audit
from frontdesk.accounts.operation import operation
from frontdesk.accounts.passwords import (
    dummy_hash,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from frontdesk.accounts.scope import Call
from frontdesk.accounts.types import AccountInput, AccountView
from frontdesk.db.engine import Database
from frontdesk.db.models import ClinicSettings, Practitioner, StaffAccount
from frontdesk.domain import (
    Actor,
    NotFound,
    PermissionDenied,
    Role,
    SignInFailed,
    StaleRecord,
    ValidationError,
)

FREE_TRIES = 3  # wrong passwords in a row before the account has to wait
MAX_DELAY_S = 300
LOCK_MINUTES_MIN, LOCK_MINUTES_MAX = 1, 240
LOCK_MINUTES_DEFAULT = 5  # the schema's default too (clinic_settings.lock_after_minutes)
_WRONG = "Wrong user name or password."


def retry_delay(failed_attempts: int) -> int:
    """Seconds to wait after this many wrong passwords in a row: none for the first
    ``FREE_TRIES``, then 5 s doubling each time, at most five minutes."""
    if failed_attempts < FREE_TRIES:
        return 0
    return min(5 * 2 ** (failed_attempts - FREE_TRIES), MAX_DELAY_S)


def _actor(account: StaffAccount) -> Actor:
    return Actor(
        account.id,
        account.username,
        account.display_name,
        Role(account.role),
        account.practitioner_id,
    )


def _view(s: Session, account: StaffAccount) -> AccountView:
    practitioner = (
        s.get(Practitioner, account.practitioner_id)
        if account.practitioner_id is not None
        else None
    )
    return AccountView(
        id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=Role(account.role),
        practitioner_id=account.practitioner_id,
        practitioner_name=practitioner.display_name if practitioner else "",
        disabled=account.disabled,
        failed_attempts=account.failed_attempts,
        locked_until=account.locked_until,
        version=account.version,
    )


def _normal_username(username: str) -> str:
    return " ".join(username.split()).lower()


def _validate(s: Session, data: AccountInput, *, account_id: int | None) -> AccountInput:
    username = _normal_username(data.username)
    display = " ".join(data.display_name.split())
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "Enter the name this person signs in with."
    elif len(username) > 60:
        errors["username"] = "Keep the user name under 60 characters."
    elif (
        s.scalar(
            select(StaffAccount.id).where(
                func.lower(StaffAccount.username) == username, StaffAccount.id != (account_id or 0)
            )
        )
        is not None
    ):
        errors["username"] = f"There is already an account called {username}."
    if not display:
        errors["display_name"] = "Enter the person's name as colleagues know it."
    elif len(display) > 120:
        errors["display_name"] = "Keep the name under 120 characters."
    if not isinstance(data.role, Role):
        errors["role"] = "Choose administrator, reception or practitioner."
    if data.practitioner_id is not None:
        if s.get(Practitioner, data.practitioner_id) is None:
            errors["practitioner_id"] = "That practitioner no longer exists."
        elif (
            s.scalar(
                select(StaffAccount.id).where(
                    StaffAccount.practitioner_id == data.practitioner_id,
                    StaffAccount.id != (account_id or 0),
                )
            )
            is not None
        ):
            errors["practitioner_id"] = "That practitioner already has an account."
    elif data.role is Role.PRACTITIONER:
        errors["practitioner_id"] = (
            "Link a practitioner's account to their practitioner "
            "record, so their notes and patients are theirs."
        )
    if errors:
        raise ValidationError(errors)
    return AccountInput(username, display, data.role, data.practitioner_id)


def _check_password(password: str, field: str = "password") -> None:
    problem = password_problem(password)
    if problem:
        raise ValidationError({field: problem})


@operation("accounts_exist", record_changes=False)
def accounts_exist(db: Database) -> bool:
    """Whether this clinic has any staff account yet (else the first start asks for one)."""
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(StaffAccount)) != 0


@operation("create_first_administrator", record_changes=False)
def create_first_administrator(
    db: Database, data: AccountInput, password: str, *, now: datetime
) -> Actor:
    """The clinic's first account, an administrator; refused once any account exists."""
    _check_password(password)
    with db.write() as s:
        if s.scalar(select(func.count()).select_from(StaffAccount)):
            raise PermissionDenied(
                "This clinic already has accounts; an administrator adds "
                "new ones from the Accounts page."
            )
        data = _validate(
            s,
            AccountInput(
                data.username, data.display_name, Role.ADMINISTRATOR, data.practitioner_id
            ),
            account_id=None,
        )
        account = StaffAccount(
            username=data.username,
            display_name=data.display_name,
            role=Role.ADMINISTRATOR.value,
            practitioner_id=data.practitioner_id,
            password_hash=hash_password(password),
            created_at=now,
        )
        s.add(account)
        s.flush()
        actor = _actor(account)
        audit.append(
            s,
            Call("create_first_administrator", actor),
            [
                audit.Entry(
                    "create_first_administrator",
                    "create",
                    "staff_accounts",
                    account.id,
                    after={
                        "username": account.username,
                        "display_name": account.display_name,
                        "role": account.role,
                    },
                )
            ],
        )
        return actor


@operation("authenticate", record_changes=False)
def authenticate(db: Database, username: str, password: str, *, now: datetime) -> Actor:
    """The signed-in user, or ``SignInFailed`` (after counting the wrong password).

    While an account waits out its delay, no password is even tried, so guessing gains
    nothing; an unknown user name takes as long as a known one.
    """
    name = _normal_username(username)
    failure: SignInFailed | None = None
    with db.write() as s:
        account = s.scalar(select(StaffAccount).where(func.lower(StaffAccount.username) == name))
        if account is None:
            verify_password(dummy_hash(), password)
            audit.append(
                s,
                None,
                [audit.Entry("sign_in_failed", "sign in", "staff_accounts")],
                username=name[:60] or "(blank)",
            )
            failure = SignInFailed(_WRONG)
        elif account.locked_until is not None and account.locked_until > now:
            wait = math.ceil((account.locked_until - now).total_seconds())
            failure = SignInFailed(
                f"Too many wrong passwords for {account.username}: try again in {wait} "
                f"second{'s' if wait != 1 else ''}.",
                retry_after=wait,
            )
        elif not verify_password(account.password_hash, password):
            account.failed_attempts += 1
            delay = retry_delay(account.failed_attempts)
            account.locked_until = now + timedelta(seconds=delay) if delay else None
            audit.append(
                s,
                None,
                [
                    audit.Entry(
                        "sign_in_failed",
                        "sign in",
                        "staff_accounts",
                        account.id,
                        after={"failed_attempts": account.failed_attempts},
                    )
                ],
                username=account.username,
                account_id=account.id,
            )
            message = _WRONG + (f" Wait {delay} seconds before trying again." if delay else "")
            failure = SignInFailed(message, retry_after=delay)
        elif account.disabled:
            failure = SignInFailed(
                f"The account {account.username} is disabled; an administrator can enable it again."
            )
        else:
            account.failed_attempts = 0
            account.locked_until = None
            if needs_rehash(account.password_hash):
                account.password_hash = hash_password(password)
            actor = _actor(account)
            audit.append(
                s,
                Call("sign_in", actor),
                [audit.Entry("sign_in", "sign in", "staff_accounts", account.id)],
            )
    if failure is not None:
        raise failure
    return actor


@operation("list_accounts")
def list_accounts(db: Database) -> list[AccountView]:
    with db.read() as s:
        rows = s.scalars(
            select(StaffAccount).order_by(StaffAccount.disabled, StaffAccount.display_name)
        )
        return [_view(s, a) for a in rows]


@operation("add_account")
def add_account(db: Database, data: AccountInput, password: str, *, now: datetime) -> AccountView:
    """A new staff account with a first password the person changes later."""
    with db.write() as s:
        problem = password_problem(password)
        try:
            data = _validate(s, data, account_id=None)
        except ValidationError as exc:  # every wrong field at once, the password's too
            raise ValidationError(exc.errors | ({"password": problem} if problem else {})) from None
        _check_password(password)
        account = StaffAccount(
            username=data.username,
            display_name=data.display_name,
            role=data.role.value,
            practitioner_id=data.practitioner_id,
            password_hash=hash_password(password),
            created_at=now,
        )
        s.add(account)
        s.flush()
        return _view(s, account)


def _locked_account(s: Session, account_id: int) -> StaffAccount:
    account = s.scalar(select(StaffAccount).where(StaffAccount.id == account_id).with_for_update())
    if account is None:
        raise NotFound("This account no longer exists.")
    return account


def _other_active_admins(s: Session, account_id: int) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(StaffAccount)
            .where(
                StaffAccount.role == Role.ADMINISTRATOR.value,
                StaffAccount.disabled.is_(False),
                StaffAccount.id != account_id,
            )
        )
        or 0
    )


@operation("update_account")
def update_account(
    db: Database, account_id: int, data: AccountInput, *, expected_version: int | None = None
) -> AccountView:
    """Change name, user name, role or practitioner link; the last administrator stays one."""
    with db.write() as s:
        account = _locked_account(s, account_id)
        if expected_version is not None and account.version != expected_version:
            raise StaleRecord(
                "Another administrator changed this account after you opened "
                "it; reopen it to see their changes."
            )
        data = _validate(s, data, account_id=account_id)
        if (
            account.role == Role.ADMINISTRATOR.value
            and data.role is not Role.ADMINISTRATOR
            and not _other_active_admins(s, account_id)
        ):
            raise ValidationError.single(
                "role", "This is the only administrator; make someone else an administrator first."
            )
        account.username = data.username
        account.display_name = data.display_name
        account.role = data.role.value
        account.practitioner_id = data.practitioner_id
        s.flush()
        return _view(s, account)


@operation("set_account_disabled")
def set_account_disabled(db: Database, account_id: int, disabled: bool) -> AccountView:
    """Disable (or enable again) an account; never the signed-in one or the last admin."""
    with db.write() as s:
        account = _locked_account(s, account_id)
        if disabled and db.actor is not None and db.actor.account_id == account_id:
            raise ValidationError.single(
                "", "You cannot disable the account you are signed in with."
            )
        if (
            disabled
            and account.role == Role.ADMINISTRATOR.value
            and not _other_active_admins(s, account_id)
        ):
            raise ValidationError.single(
                "",
                "This is the only administrator; the clinic would have nobody to manage accounts.",
            )
        account.disabled = disabled
        s.flush()
        return _view(s, account)


@operation("reset_password")
def reset_password(db: Database, account_id: int, password: str) -> None:
    """An administrator sets a new password (the person forgot theirs); clears the delay."""
    _check_password(password)
    with db.write() as s:
        account = _locked_account(s, account_id)
        account.password_hash = hash_password(password)
        account.failed_attempts = 0
        account.locked_until = None


@operation("change_own_password")
def change_own_password(db: Database, current: str, new: str) -> None:
    """The signed-in user changes their own password, proving they know the current one."""
    assert db.actor is not None  # the decorator refuses a signed-out call
    _check_password(new, "new")
    with db.write() as s:
        account = _locked_account(s, db.actor.account_id)
        if not verify_password(account.password_hash, current):
            raise ValidationError.single("current", "That is not your current password.")
        account.password_hash = hash_password(new)


@operation("get_lock_minutes")
def get_lock_minutes(db: Database) -> int:
    """Idle minutes before a desk locks its screen."""
    with db.read() as s:
        return s.scalar(select(ClinicSettings.lock_after_minutes)) or LOCK_MINUTES_DEFAULT


def lock_minutes_problem(minutes: object) -> str | None:
    """Why ``minutes`` cannot be the idle minutes before a desk locks, or None."""
    if isinstance(minutes, int) and LOCK_MINUTES_MIN <= minutes <= LOCK_MINUTES_MAX:
        return None
    return f"Lock after {LOCK_MINUTES_MIN} to {LOCK_MINUTES_MAX} idle minutes."


@operation("set_lock_minutes")
def set_lock_minutes(db: Database, minutes: int) -> int:
    problem = lock_minutes_problem(minutes)
    if problem:
        raise ValidationError.single("lock_after_minutes", problem)
    with db.write() as s:
        settings = s.get(ClinicSettings, 1)
        if settings is None:
            raise NotFound("The clinic's settings are missing.")
        settings.lock_after_minutes = minutes
    return minutes
