"""The hub's encryption key, and encrypting raw notes at rest.

Raw notes are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from
``cryptography``); several keys are held at once with ``MultiFernet`` so a key
can be rotated: the newest key encrypts, every key decrypts.

Keys come from the environment variable the config names (``hub.key_env``,
comma-separated, newest first) or else from the key file (``hub.key_file``,
one key per line, newest first), which must be readable by its owner only.
``cryptography`` is imported only when a key is needed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pspn_core.errors import OperationError, Remedy

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

__all__ = [
    "KeyRing",
    "add_key_to_file",
    "create_key_file",
    "key_lock",
    "new_key",
    "replace_key_file",
]

#: How long a command waits for another to finish with the key (a rotation, a note being added).
LOCK_TIMEOUT_SECONDS = 60.0


def new_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode("ascii")


class KeyRing:
    """The keys in force: encrypts with the newest, decrypts with any."""

    def __init__(self, keys: Sequence[str], source: str, *, key_file: Path | None = None) -> None:
        from cryptography.fernet import Fernet, MultiFernet

        if not keys:
            raise OperationError(f"{source} holds no key", remedy=Remedy("create-key"))
        try:
            self._fernet: MultiFernet = MultiFernet([Fernet(key.encode()) for key in keys])
        except (ValueError, TypeError):
            raise OperationError(
                f"{source} holds something that is not a Fernet key (32 url-safe base64 "
                "bytes); restore the right key",
                remedy=Remedy("create-key"),
            ) from None
        self.count = len(keys)
        self.source = source
        self.key_file = key_file

    def __repr__(self) -> str:
        return f"KeyRing({self.count} key(s) from {self.source})"

    @classmethod
    def load(cls, key_file: Path, key_env: str, environ: Mapping[str, str]) -> KeyRing:
        """The hub's keys: from ``$key_env`` if set, else from ``key_file``."""
        if environ.get(key_env):
            keys = [k.strip() for k in environ[key_env].split(",") if k.strip()]
            return cls(keys, f"${key_env}")
        if not key_file.exists():
            raise OperationError(
                f"no encryption key: ${key_env} is not set and there is no key file at {key_file}",
                remedy=Remedy("create-key"),
            )
        mode = key_file.stat().st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise OperationError(
                f"the key file {key_file} can be read by other users; "
                f"run `chmod 600 {key_file}` and try again"
            )
        lines = key_file.read_text(encoding="ascii", errors="replace").splitlines()
        keys = [line.strip() for line in lines if line.strip()]
        return cls(keys, f"the key file {key_file}", key_file=key_file)

    @contextlib.contextmanager
    def writing(self) -> Iterator[KeyRing]:
        """The keys to encrypt with while no rotation can run.

        Held (a shared lock on the key file's lock) until the encrypted text is
        stored, and read afresh from the key file, so a rotation either waits
        for the write or has finished before it: nothing is stored under a key
        that rotation is about to drop. Keys from the environment need no lock.
        """
        if self.key_file is None:
            yield self
            return
        with key_lock(self.key_file, exclusive=False):
            yield KeyRing.load(self.key_file, "", {})

    def encrypt(self, data: bytes) -> bytes:
        return self._fernet.encrypt(data)

    def decrypt(self, token: bytes, what: str) -> bytes:
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise OperationError(
                f"cannot decrypt {what} with the key(s) in {self.source}: the key is wrong "
                "or the stored data is damaged. Nothing was changed; restore the right key."
            ) from None

    def rotate(self, token: bytes, what: str) -> bytes:
        """Re-encrypt ``token`` with the newest key."""
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.rotate(token)
        except InvalidToken:
            raise OperationError(
                f"cannot re-encrypt {what}: none of the keys in {self.source} opens it. "
                "Nothing was changed."
            ) from None


@contextlib.contextmanager
def key_lock(key_file: Path, *, exclusive: bool) -> Iterator[None]:
    """Exclude key rotation (``exclusive``) from writes of encrypted text (shared).

    An advisory lock on ``<key file>.lock``; POSIX only (elsewhere, nothing is locked).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover  (Windows)
        yield
        return
    lock = key_file.with_name(key_file.name + ".lock")
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as error:
        raise OperationError(
            f"cannot open {lock} ({error.strerror or error}): the key's directory must be "
            "writable by this user"
        ) from None
    try:
        mode = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(fd, mode)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OperationError(
                        "another pspn command is using the encryption key (a rotation, or a "
                        "note being added); wait for it to finish and try again"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def create_key_file(path: Path) -> None:
    """Write a new key to ``path``, readable by its owner only; never overwrite."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise OperationError(
            f"{path} already exists; pspn never overwrites a key (that would make "
            "stored notes unreadable)",
            remedy=Remedy("rotate-keys"),
        ) from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(new_key() + "\n")


def replace_key_file(path: Path, keys: Sequence[str]) -> None:
    """Atomically replace the key file with ``keys`` (newest first), mode 600."""
    temporary = path.with_name(path.name + ".new")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write("".join(f"{key}\n" for key in keys))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise OperationError(
            f"cannot write the key file {path} ({error.strerror or error}): make its "
            "directory writable and free some space, then run the command again; "
            "the key file was not changed"
        ) from None


def add_key_to_file(path: Path) -> list[str]:
    """Put a new key first in the key file, keeping the old ones; returns all keys."""
    old = [line.strip() for line in path.read_text(encoding="ascii").splitlines() if line.strip()]
    keys = [new_key(), *old]
    replace_key_file(path, keys)
    return keys
