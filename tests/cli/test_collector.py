"""The garbage collector during a command: off for start-up and one note, on otherwise."""

from __future__ import annotations

import gc
import subprocess
import sys

from pspn_core.cli import collector

_MAIN = """
import gc
from pspn_core.cli import collector

collector.starting()
assert not gc.isenabled()
collector.started()
assert gc.isenabled() and gc.get_freeze_count() > 0
frozen = gc.get_freeze_count()
with collector.paused():
    assert not gc.isenabled()
    kept = [[n] for n in range(10_000)]
assert gc.isenabled() and gc.get_freeze_count() >= frozen + 10_000
print("ok")
"""


def test_main_collects_after_start_up_and_freezes_what_a_note_built() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _MAIN], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_outside_main_the_collector_is_left_as_it_is() -> None:
    frozen = gc.get_freeze_count()
    collector.started()
    with collector.paused():
        assert gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
