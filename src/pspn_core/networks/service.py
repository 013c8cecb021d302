"""Setting up a network on the hub, and checking it on the forum."""

from __future__ import annotations

from pspn_core.errors import OperationError
from pspn_core.networks.model import Network
from pspn_core.plugins import Plugins
from pspn_core.ports import Forum, Provisionable, SetupCheckable, Store

__all__ = ["forum_problems", "setup_network"]


def setup_network(network: Network, store: Store, forum: Forum, plugins: Plugins) -> list[str]:
    """Record the network in the store and, where pspn may, create it on the forum.

    On a forum pspn cannot set up itself, every configured id is checked first
    (exists, is the kind expected, is private where it must be, and the forum
    account pspn uses may do what pspn needs); if anything is wrong, every
    problem is reported at once and nothing is recorded.
    """
    done: list[str] = []
    if isinstance(forum, Provisionable):
        done.extend(forum.provision())
    elif isinstance(forum, SetupCheckable):
        problems, checked = forum_problems(network, forum)
        if problems:
            listed = "".join(f"\n  - {problem}" for problem in problems)
            raise OperationError(
                f"the network {network.slug!r} is not set up right on the forum "
                f"({len(problems)} problem(s)); fix them in the forum or in the network's "
                f"forum settings, then set it up again:{listed}"
            )
        done.extend(f"checked: {line}" for line in checked)
    if store.ensure_network(network.slug, network.name):
        done.append(f"recorded network {network.slug!r} in the store")
        plugins.network_created(network)
    return done


def forum_problems(network: Network, forum: SetupCheckable) -> tuple[list[str], list[str]]:
    """What is wrong with the network on its forum, and what was confirmed."""
    check = forum.check_setup()
    problems, confirmed = list(check.problems), list(check.notes)
    rules = network.meetings
    if rules is not None and isinstance(forum, Forum):
        calendar = forum.check_calendar_privacy()
        if not calendar.is_private and rules.public_calendar != "date_and_slot":
            problems.append(
                f"the calendar is not private ({calendar.reason}), so meetings would be "
                "refused: make it private to the network's group, or let the network's meeting "
                'rules publish the date and slot only (public_calendar = "date_and_slot")'
            )
        elif not calendar.is_private:
            confirmed.append("the calendar is not private: meetings show date and slot only")
    return problems, confirmed
