"""`keys rotate` while `notes add` is running never strands a note (issue 15, item 3).

A note being added holds off a rotation until it is stored, and a rotation
holds off the note's encryption until the new key is the only one: either
way every stored note opens with the key file that is left.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from pspn_core.cli import App
from pspn_core.plugins import Plugins
from pspn_core.store.notes import NoteStore
from tests.cli.test_notes import RAW, hub  # noqa: F401  (a fixture)
from tests.conftest import Cli


def _fork(action: object) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child)
        code = 1
        try:
            code = int(bool(action()))  # type: ignore[operator]
        finally:
            os._exit(code)
    return pid


def _wait_for(path: Path, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def _exited(pid: int) -> bool:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status
    return done != 0


def test_a_rotation_waits_for_a_note_being_added(
    hub: Cli,  # noqa: F811
    hub_dir: Path,
    plugins: Plugins,
) -> None:
    ready, go = hub_dir / "ready", hub_dir / "go"
    run = Cli(plugins, hub_dir / "pspn.toml")

    def add_slowly() -> int:
        real = NoteStore.add_note

        def paused(self: NoteStore, **kwargs: object) -> object:
            ready.touch()  # the raw text is encrypted; now hold on before storing it
            _wait_for(go)
            return real(self, **kwargs)  # type: ignore[arg-type]

        NoteStore.add_note = paused  # type: ignore[method-assign]
        return run("notes", "add", str(hub_dir / "raw.txt"), "--by", "note-taker").exit_code

    adding = _fork(add_slowly)
    _wait_for(ready)
    rotating = _fork(lambda: run("keys", "rotate").exit_code)
    time.sleep(1.0)  # time enough for a rotation that does not wait to finish
    go.touch()
    deadline = time.monotonic() + 30
    pending = {adding, rotating}
    while pending:
        pending = {pid for pid in pending if not _exited(pid)}
        assert time.monotonic() < deadline
        time.sleep(0.05)

    app = App(hub_dir / "pspn.toml", plugins=plugins, environ={})
    try:
        notes = app.store.notes()
        assert len(notes) == 1
        assert app.keys.count == 1
        for note in notes:
            token = app.store.raw_ciphertext(note.id) or b""
            assert app.keys.decrypt(token, f"note {note.id}").decode() == RAW
    finally:
        app.store.close()
