"""Meetings: the rules, the plan, the chair rota, agendas and calendars, and their use cases.

The names below are the package's public API; each submodule is imported on
first use (see :mod:`pspn_core._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pspn_core._lazy import lazy_exports

if TYPE_CHECKING:
    from pspn_core.meetings.agenda import select_agenda
    from pspn_core.meetings.calendar import meetings_to_ics
    from pspn_core.meetings.collect import CollectOutcome, collect_due, collect_meeting
    from pspn_core.meetings.model import (
        Exclusions,
        Meeting,
        MeetingRules,
        MeetingStatus,
        OnlineConfig,
        Slot,
        Topic,
    )
    from pspn_core.meetings.online import SyncReport, sync_online_meetings
    from pspn_core.meetings.rota import ChairRecord, Volunteer, assign_chairs
    from pspn_core.meetings.scheduling import (
        Occurrence,
        bank_holidays,
        meeting_uid,
        occurrences,
        plan_meetings,
    )
    from pspn_core.meetings.service import (
        MeetingStorage,
        PlanResult,
        cancel_meeting,
        move_meeting,
        plan,
        publish_meetings,
        set_next_agenda,
    )

__all__ = [
    "ChairRecord",
    "CollectOutcome",
    "Exclusions",
    "Meeting",
    "MeetingRules",
    "MeetingStatus",
    "MeetingStorage",
    "Occurrence",
    "OnlineConfig",
    "PlanResult",
    "Slot",
    "SyncReport",
    "Topic",
    "Volunteer",
    "assign_chairs",
    "bank_holidays",
    "cancel_meeting",
    "collect_due",
    "collect_meeting",
    "meeting_uid",
    "meetings_to_ics",
    "move_meeting",
    "occurrences",
    "plan",
    "plan_meetings",
    "publish_meetings",
    "select_agenda",
    "set_next_agenda",
    "sync_online_meetings",
]

__getattr__ = lazy_exports(
    __name__,
    {
        "Exclusions": "model",
        "Meeting": "model",
        "MeetingRules": "model",
        "MeetingStatus": "model",
        "OnlineConfig": "model",
        "Slot": "model",
        "Topic": "model",
        "Occurrence": "scheduling",
        "bank_holidays": "scheduling",
        "meeting_uid": "scheduling",
        "occurrences": "scheduling",
        "plan_meetings": "scheduling",
        "ChairRecord": "rota",
        "Volunteer": "rota",
        "assign_chairs": "rota",
        "select_agenda": "agenda",
        "meetings_to_ics": "calendar",
        "MeetingStorage": "service",
        "PlanResult": "service",
        "cancel_meeting": "service",
        "move_meeting": "service",
        "plan": "service",
        "publish_meetings": "service",
        "set_next_agenda": "service",
        "CollectOutcome": "collect",
        "collect_due": "collect",
        "collect_meeting": "collect",
        "SyncReport": "online",
        "sync_online_meetings": "online",
    },
)
