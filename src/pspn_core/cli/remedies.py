"""How the command line words each :class:`~pspn_core.errors.Remedy` the use cases name.

The use cases say what went wrong in the domain's words and name what the
person can do next; this table says it as commands and flags. A remedy with no
wording here is left out (the message still stands on its own), and a test
checks that every remedy the code names is worded.
"""

from __future__ import annotations

from pspn_core.errors import PspnError

__all__ = ["WORDING", "describe"]

WORDING: dict[str, str] = {
    "approve-note": "review it and run `pspn notes approve {id} --by NAME`",
    "check-username": (
        "check the username with `pspn members list --network {network}` or "
        "`pspn members applications --all`"
    ),
    "create-key": "create one with `pspn keys init`",
    "decide-application": "decide it with `pspn members decide {id}`",
    "finish-decision": "run `pspn members decide {id} --{outcome}` again",
    "give-approver": "say who approves it with --by NAME",
    "give-question": "give the question with --ask, e.g. --ask 'Which trust?'",
    "give-reason": "say why with --reason",
    "list-applications": "`pspn members applications --all` lists them",
    "list-meetings": "`pspn meetings list` shows their UIDs",
    "list-members": "`pspn members list --network {network}` shows who is",
    "list-notes": "`pspn notes list` shows them",
    "list-surveys": "`pspn surveys list` shows them",
    "list-topics": "`pspn topics list` shows them",
    "map-columns": "map them with --map FILE or --column QUESTION=COLUMN",
    "publish-meetings": "run `pspn meetings publish` before the meeting",
    "rotate-keys": "use `pspn keys rotate` to change keys",
    "setup-network": "run `pspn networks setup`",
    "skip-bad-rows": "fix them, or pass --skip-bad-rows to import the rest",
    "volunteer-or-force": (
        "add the slot with `pspn members volunteer {member} --slot {slot}`, or use --force"
    ),
}


def describe(error: PspnError) -> str:
    """``error``'s message, then what to do about it on the command line."""
    message = str(error)
    remedy = error.remedy
    if remedy is None or remedy.action not in WORDING:
        return message
    return f"{message}; {WORDING[remedy.action].format_map(dict(remedy.details))}"
