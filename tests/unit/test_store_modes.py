"""The data directory and the database are private to their owner (issue 15, item 5)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from pspn_core.errors import StoreError
from pspn_core.notes.keys import create_key_file
from pspn_core.store import SqliteStore

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> object:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("loose_umask")
def test_a_new_store_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "pspn-data"
    store = SqliteStore(data)
    try:
        store.ensure_network("pspn", "PSPN")
        files = sorted(p.name for p in data.iterdir())
        assert {"pspn.db", "pspn.db-wal", "pspn.db-shm"} <= set(files)
        assert mode(data) == 0o700
        assert {name: mode(data / name) for name in files} == dict.fromkeys(files, 0o600)
    finally:
        store.close()


@pytest.mark.usefixtures("loose_umask")
def test_the_key_file_made_first_makes_the_directory_private_too(tmp_path: Path) -> None:
    create_key_file(tmp_path / "pspn-data" / "pspn.key")
    assert mode(tmp_path / "pspn-data") == 0o700
    SqliteStore(tmp_path / "pspn-data").close()


def test_a_database_others_can_read_is_refused_and_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "pspn-data"
    SqliteStore(data).close()
    (data / "pspn.db").chmod(0o644)
    with pytest.raises(StoreError, match=r"can be read by other users; run `chmod 600 "):
        SqliteStore(data)
    assert mode(data / "pspn.db") == 0o644


def test_a_data_directory_others_can_read_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "pspn-data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    with pytest.raises(StoreError, match=r"run `chmod 700 "):
        SqliteStore(data)
    assert not (data / "pspn.db").exists()
