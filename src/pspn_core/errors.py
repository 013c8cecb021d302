"""Every error pspn raises on purpose.

``PspnError`` is the root. Its message is in the domain's words (what went
wrong); what the person can do about it is a :class:`Remedy` the use case
names and each face words its own way: the CLI as a command to run, the web
app as a link. The CLI turns any ``PspnError`` into one clear line and an exit
status (:attr:`PspnError.exit_code`): 2 for what the person gave
(:class:`InputError`, :class:`ConfigError`, like click's usage errors), 1 for
an operation that failed (:class:`OperationError`, :class:`NotFound`,
:class:`StoreError`, :class:`AdapterError`); anything else is a bug.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "AdapterError",
    "AdapterNotFound",
    "AuthenticationFailed",
    "ConfigError",
    "ConflictError",
    "ForumUnavailable",
    "InputError",
    "NotFound",
    "OperationError",
    "PrivacyNotVerified",
    "PspnError",
    "RateLimited",
    "Remedy",
    "StoreError",
    "WebhookRefused",
]


@dataclass(frozen=True)
class Remedy:
    """What the person can do next, by name (``"setup-network"``), with its details.

    The names are listed in the faces that word them (``pspn_core.cli.remedies``).
    """

    action: str
    details: Mapping[str, str] = field(default_factory=dict)


class PspnError(Exception):
    """Root of pspn's own errors. ``str(error)`` is safe to show a person.

    :param remedy: what the person can do about it, for the face to word.
    """

    exit_code: int = 1

    def __init__(self, *args: object, remedy: Remedy | None = None) -> None:
        super().__init__(*args)
        self.remedy = remedy


class ConfigError(PspnError):
    """The configuration is missing, unreadable or invalid (exit status 2)."""

    exit_code = 2


class InputError(PspnError):
    """A file or value given by the user cannot be used (exit status 2, like bad usage)."""

    exit_code = 2


class OperationError(PspnError):
    """A requested operation cannot be carried out in the current state."""


class NotFound(OperationError):
    """A named thing (network, member, meeting, note) does not exist."""


class StoreError(PspnError):
    """The data directory cannot be opened or is from a newer version."""


class AdapterError(PspnError):
    """A forum adapter failed. Carries the HTTP status and a short excerpt, never secrets."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        excerpt: str = "",
        remedy: Remedy | None = None,
    ) -> None:
        super().__init__(message, remedy=remedy)
        self.status = status
        self.excerpt = excerpt[:200]

    @property
    def may_have_taken_effect(self) -> bool:
        """Whether the forum may have carried out the request despite the error.

        Only a refusal (a 4xx answer) proves it did not: a lost answer, a 5xx or
        an unreadable success leaves it open, so a send must be recorded as
        possibly made, never simply repeated.
        """
        return self.status is None or not 400 <= self.status < 500

    def __str__(self) -> str:
        text = super().__str__()
        if self.status is not None:
            text = f"{text} (HTTP {self.status})"
        if self.excerpt:
            text = f"{text}: {self.excerpt}"
        return text


class AdapterNotFound(AdapterError):
    """The forum says the object does not exist (404)."""


class AuthenticationFailed(AdapterError):
    """The forum refused our credentials (401/403)."""


class ConflictError(AdapterError):
    """The forum refused a write because of its current state (409/422)."""


class RateLimited(AdapterError):
    """The forum kept answering 429 after every retry."""


class ForumUnavailable(AdapterError):
    """The forum could not be reached, or kept answering 5xx after every retry."""


class PrivacyNotVerified(AdapterError):
    """The area is not private to the network, or its privacy could not be verified.

    Publishing fails closed on this error: nothing is posted.
    """


class WebhookRefused(PspnError):
    """A webhook delivery refused: wrong credential, malformed, or not for this hub.

    :param status: the HTTP status to answer with.
    :param headers: extra response headers (``WWW-Authenticate``).
    """

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = dict(headers or {})
