"""Where the mail server's password is kept: the OS keyring, else the database, encrypted.

With a usable keyring backend (macOS Keychain, Windows Credential Locker, Secret Service) the
password goes there and the database only notes that it does. Without one it is sealed with
Fernet (AES-CBC + HMAC, from ``cryptography``) under a key kept in the user's data folder at
0600, so a copy of the database alone does not give the password away. The password never
reaches a log, an audit row or an exception message.
"""

from __future__ import annotations

from pathlib import Path

# cryptography is imported where a password is sealed or opened: not on the first screen.
from frontdesk import paths
from frontdesk.private_files import create_private_file, tighten

KEYRING_SERVICE = "Frontdesk mail server"
KEY_FILE = "mail-password.key"


def keyring_available() -> bool:
    """Whether a real keyring backend is there (not keyring's "fail" or "null" stand-ins)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - a dependency
        return False
    try:
        backend = keyring.get_keyring()
    except Exception:
        return False
    if isinstance(backend, fail.Keyring) or type(backend).__module__.endswith("null"):
        return False
    return float(getattr(backend, "priority", 0) or 0) > 0


def _account(host: str, username: str) -> str:
    return f"{username}@{host}"


def keyring_store(host: str, username: str, password: str) -> None:
    import keyring

    keyring.set_password(KEYRING_SERVICE, _account(host, username), password)


def keyring_load(host: str, username: str) -> str | None:
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, _account(host, username))
    except Exception:
        return None


def keyring_forget(host: str, username: str) -> None:
    import keyring

    try:
        keyring.delete_password(KEYRING_SERVICE, _account(host, username))
    except Exception:
        return


def _key(folder: Path | None = None) -> bytes:
    from cryptography.fernet import Fernet

    path = (folder or paths.data_dir()) / KEY_FILE
    if not path.exists() or path.stat().st_size == 0:
        create_private_file(path)
        path.write_bytes(Fernet.generate_key())
    tighten(path)
    return path.read_bytes().strip()


def seal(password: str, folder: Path | None = None) -> bytes:
    """``password`` encrypted under this computer account's key."""
    from cryptography.fernet import Fernet

    return Fernet(_key(folder)).encrypt(password.encode("utf-8"))


def unseal(token: bytes, folder: Path | None = None) -> str | None:
    """The password sealed in ``token``; None when this account's key cannot open it."""
    from cryptography.fernet import Fernet, InvalidToken

    try:
        return Fernet(_key(folder)).decrypt(token).decode("utf-8")
    except (InvalidToken, ValueError):
        return None
