"""The compiled roster, kept between commands in the data directory.

Compiling a hub's roster (every form of every member's name) takes a good part
of a second, so ``pspn notes add`` and ``pspn notes anonymise`` keep the
compiled form and reuse it while the roster is the same. It is keyed by a
hash of the roster entries, pspn's version and the anonymiser's code and word
data, and rebuilt when any of them changes. There is one file, overwritten:
a member who leaves drops out of it at the next compile, and
:meth:`RosterCache.clear` removes it at once (after an erasure).

It holds names, so it is kept as raw notes are: encrypted with the hub's key
(Fernet: AES with an HMAC, so only a holder of the key can have written it)
when the command has one, written mode 0600 in a 0700 folder, and never read
if anyone but its owner could have changed it. Inside is plain JSON
(:meth:`CompiledRoster.to_bytes`), not a pickle: reading a file cannot run
code, whoever wrote it. Anything wrong with the file is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import threading
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from pspn_core import __version__
from pspn_core.errors import OperationError
from pspn_core.notes.anonymiser.model import RosterEntry
from pspn_core.notes.anonymiser.roster import CompiledRoster, compile_roster

if TYPE_CHECKING:
    from pspn_core.notes.keys import KeyRing

__all__ = ["RosterCache", "roster_digest"]

FOLDER = "cache"
FILE = "roster.compiled"
_MAGIC = b"pspn-compiled-roster"


@cache
def _code_fingerprint() -> bytes:
    """pspn's version and the bytes of everything a compiled roster depends on."""
    digest = hashlib.sha256(__version__.encode())
    package = resources.files("pspn_core.notes.anonymiser")
    for name in ("roster.py", "lexicon.py"):
        digest.update(package.joinpath(name).read_bytes())
    data = package.joinpath("data")
    for item in sorted(data.iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".gz"):
            digest.update(item.name.encode() + item.read_bytes())
    return digest.digest()


def roster_digest(entries: Sequence[RosterEntry]) -> str:
    """A hash of the roster, in order, and of the code that compiles it."""
    digest = hashlib.sha256(_code_fingerprint())
    # repr of a tuple of strings is unambiguous (quotes and escapes) and quick
    rows = [repr((e.name, e.username, e.organisation, tuple(e.aliases))) for e in entries]
    digest.update("\n".join(rows).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class RosterCache:
    """Compiles rosters through a file in ``<data_dir>/cache/``.

    :param keys: the hub's keys; with them the file is encrypted, without them
        it is plain (still 0600 in a 0700 folder). A file written one way is
        not read the other way.
    """

    def __init__(self, data_dir: Path, keys: KeyRing | None = None) -> None:
        self.folder = data_dir / FOLDER
        self.path = self.folder / FILE
        self.keys = keys
        # A long-running process (``pspn serve``) keeps the last roster it compiled
        # or read, so that each note it anonymises does not read the file again.
        self._held: tuple[str, CompiledRoster] | None = None
        self._lock = threading.Lock()

    def compile(self, entries: Sequence[RosterEntry]) -> CompiledRoster:
        """The compiled roster of ``entries``: held, from the file if it matches, else built.

        What is built is saved. One thread at a time compiles or reads, so that a
        server's threads share the work and never write the file at once.
        """
        entries = list(entries)
        digest = roster_digest(entries)
        with self._lock:
            if self._held is not None and self._held[0] == digest:
                return self._held[1]
            compiled = self._read(digest)
            if compiled is None:
                compiled = compile_roster(entries)
                self._write(digest, compiled)
            self._held = (digest, compiled)
            return compiled

    def clear(self) -> None:
        """Delete the file and forget the roster held, e.g. after a member's data is erased."""
        with self._lock:
            self._held = None
            self.path.unlink(missing_ok=True)

    @property
    def _kind(self) -> bytes:
        return b"fernet" if self.keys is not None else b"plain"

    def _read(self, digest: str) -> CompiledRoster | None:
        try:
            with self.path.open("rb") as handle:
                info = os.fstat(handle.fileno())
                if not _private(info):
                    return None
                header = handle.readline()
                if header != b" ".join([_MAGIC, self._kind, digest.encode()]) + b"\n":
                    return None
                body = handle.read()
        except OSError:
            return None
        try:
            if self.keys is not None:
                body = self.keys.decrypt(body, "the compiled roster")
            return CompiledRoster.from_bytes(body)
        except (OperationError, ValueError):
            return None

    def _write(self, digest: str, compiled: CompiledRoster) -> None:
        body = compiled.to_bytes()
        if self.keys is not None:
            body = self.keys.encrypt(body)
        temporary = self.folder / f".{FILE}.{os.getpid()}"
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if os.name == "posix" and self.folder.stat().st_mode & 0o077:
                self.folder.chmod(0o700)  # pspn's own folder: never readable by others
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(temporary, flags, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(b" ".join([_MAGIC, self._kind, digest.encode()]) + b"\n")
                handle.write(body)
            os.replace(temporary, self.path)
        except OSError:  # e.g. a read-only data directory: compile every time
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _private(info: os.stat_result) -> bool:
    """Whether only the file's owner, who is us, can have written or read it."""
    if os.name != "posix":
        return stat.S_ISREG(info.st_mode)
    return (
        stat.S_ISREG(info.st_mode)
        and info.st_uid == os.geteuid()
        and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
    )
