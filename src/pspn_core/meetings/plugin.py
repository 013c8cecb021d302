"""The meetings feature's built-in behaviour, registered as a plugin like any other.

Bank holidays in England are skipped through the same hook a third party uses
to add its own dates (``pspn_meeting_exclusions``), when a network's rules ask.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from pspn_core import hookimpl

if TYPE_CHECKING:
    from pspn_core.networks.model import Network

__all__ = ["pspn_meeting_exclusions"]


@hookimpl(tryfirst=True)
def pspn_meeting_exclusions(network: Network, start: date, end: date) -> Iterable[date]:
    from pspn_core.meetings.scheduling import bank_holiday_exclusions

    if network.meetings is None:
        return ()
    return bank_holiday_exclusions(network.meetings, start, end)
