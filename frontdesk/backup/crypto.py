"""Encrypted backups: a passphrase-derived key and authenticated encryption.

Backups leave the building on USB drives and network shares. A backup encrypted here can be
read only with the passphrase, and any change to the file (a flipped bit, a truncated copy,
another passphrase) is detected rather than restored as garbage: AES-256-GCM from the
``cryptography`` library authenticates as it decrypts, and the key comes from the passphrase
through scrypt with a random salt, so guessing passphrases against a stolen file is slow.

File layout: ``MAGIC`` (8 bytes) | scrypt salt (16) | GCM nonce (12) | ciphertext + tag.
The header is authenticated too (it is the GCM associated data).
"""

from __future__ import annotations

import os
from pathlib import Path

from frontdesk.private_files import open_private

MAGIC = b"FDBKAES1"
SALT_BYTES = 16
NONCE_BYTES = 12
HEADER_BYTES = len(MAGIC) + SALT_BYTES + NONCE_BYTES
TAG_BYTES = 16
SCRYPT_N = 2**15  # about 32 MB and a tenth of a second per try on a desk computer


class DecryptionFailed(Exception):
    """The passphrase is wrong or the file was changed or cut short."""


# cryptography is imported where it is used: every start checks whether a backup is due,
# and the check must not load a cipher library (about 20 ms) before the first paint.


def _key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=8, p=1).derive(passphrase.encode("utf-8"))


def is_encrypted(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(MAGIC)) == MAGIC


def encrypt_file(source: Path, target: Path, passphrase: str) -> None:
    """Write ``source`` encrypted with ``passphrase`` to the new private file ``target``."""
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    header = MAGIC + salt + nonce
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    sealed = AESGCM(_key(passphrase, salt)).encrypt(nonce, source.read_bytes(), header)
    with open_private(target, "xb") as fh:
        fh.write(header + sealed)
        fh.flush()
        os.fsync(fh.fileno())


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    """Write the plain contents of the encrypted ``source`` to the new private file ``target``."""
    data = source.read_bytes()
    if not data.startswith(MAGIC):
        raise DecryptionFailed("it is not an encrypted Frontdesk backup")
    if len(data) < HEADER_BYTES + TAG_BYTES:
        raise DecryptionFailed("the file is cut short")
    header = data[:HEADER_BYTES]
    salt = header[len(MAGIC) : len(MAGIC) + SALT_BYTES]
    nonce = header[len(MAGIC) + SALT_BYTES :]
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        plain = AESGCM(_key(passphrase, salt)).decrypt(nonce, data[HEADER_BYTES:], header)
    except InvalidTag as exc:
        raise DecryptionFailed(
            "the passphrase does not open it, or the file was changed or cut short"
        ) from exc
    with open_private(target, "xb") as fh:
        fh.write(plain)
        fh.flush()
        os.fsync(fh.fileno())
