"""Plan 100 networks for ten years each, with chairs, and write their calendars.

Run with ``python benchmarks/bench_planning.py [OUTDIR]``. Half the networks meet
monthly (the PSPN rules), half weekly (a Friday drop-in), each with five
volunteers, one of them daytime only. Prints the planning time and the planning
plus ICS time; the targets are under 1 s and under 3 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from pspn_core.meetings import scheduling
from pspn_core.meetings.calendar import meetings_to_ics
from pspn_core.meetings.model import Meeting, MeetingRules
from pspn_core.meetings.rota import Volunteer
from pspn_core.meetings.scheduling import bank_holiday_exclusions


def plan_meetings(
    slug: str, rules: MeetingRules, existing: Any, start: date, end: date, **options: Any
) -> list[Meeting]:
    """The planner with the bank holidays pspn's meetings plugin excludes, as planning does."""
    extra = set(options.pop("extra_exclusions", ()))
    extra |= bank_holiday_exclusions(rules, min(rules.starts_on, start), end)
    return scheduling.plan_meetings(
        slug, rules, existing, start, end, extra_exclusions=extra, **options
    )


NETWORKS = 100
START, END = date(2026, 1, 1), date(2035, 12, 31)

PSPN = {
    "frequency": "monthly",
    "week_of_month": 2,
    "weekday": "tuesday",
    "slots": [{"name": "daytime", "start": "12:30"}, {"name": "evening", "start": "18:30"}],
    "starts_on": "2026-01-01",
    "duration_minutes": 60,
    "exclude": {"bank_holidays": True, "months": ["august"]},
    "url": "https://meet.example.org/pspn",
}
DROP_IN = {
    "frequency": "weekly",
    "weekday": "friday",
    "slots": [{"name": "daytime", "start": "13:00"}],
    "starts_on": "2026-01-01",
    "duration_minutes": 45,
    "exclude": {"bank_holidays": True},
}


def networks() -> list[tuple[str, MeetingRules, list[Volunteer]]]:
    both = frozenset({"daytime", "evening"})
    result = []
    for number in range(NETWORKS):
        rules = MeetingRules.model_validate(PSPN if number % 2 else DROP_IN)
        volunteers = [Volunteer(f"Volunteer {number}-{i}", both) for i in range(4)]
        volunteers.append(Volunteer(f"Daytime {number}", frozenset({"daytime"})))
        result.append((f"network-{number}", rules, volunteers))
    return result


def main(out: Path) -> None:
    setup = networks()
    began = time.perf_counter()
    planned: list[tuple[str, MeetingRules, list[Meeting]]] = [
        (slug, rules, plan_meetings(slug, rules, [], START, END, volunteers=people, history=[]))
        for slug, rules, people in setup
    ]
    planning = time.perf_counter() - began
    for slug, rules, meetings in planned:
        ics = meetings_to_ics(meetings, calendar_name=slug, location=rules.location, url=rules.url)
        (out / f"{slug}.ics").write_bytes(ics)
    total = time.perf_counter() - began
    count = sum(len(meetings) for _, _, meetings in planned)
    print(f"{NETWORKS} networks, {count} meetings over ten years")
    print(f"planning:        {planning:.3f} s (target < 1 s)")
    print(f"planning + ICS:  {total:.3f} s (target < 3 s)")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as directory:
            main(Path(directory))
