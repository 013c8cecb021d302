"""Microsoft Graph over HTTP: app-only tokens from MSAL, the shared plumbing for the rest.

:class:`MsalAuth` puts a bearer token on every request; MSAL (client
credentials) gets it and keeps it until it nearly expires, and the auth masks
the token and the app's secret in everything we show. :class:`GraphClient` is
the shared :class:`~pspn_adapters._http.HttpClient` (timeouts, retries that
honour ``Retry-After`` on 429 and 503, typed errors) plus Graph's paging
(``@odata.nextLink``) and one clear message when the tenant has not granted a
permission or an application access policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import requests

from pspn_adapters._http import MASK, HeaderAuth, HttpClient, Page, Paginator, RetryPolicy
from pspn_adapters.teams.settings import GRAPH_SCOPE, TeamsSettings
from pspn_core.errors import AdapterError, AuthenticationFailed, ForumUnavailable

__all__ = ["GraphClient", "MsalAuth", "msal_token_source", "new_session", "permission_advice"]

PUBLIC_AUTHORITY_HOST = "https://login.microsoftonline.com"


class _TrustingSession(requests.Session):
    """A session whose ``verify`` (the configured CA bundle) wins over ``REQUESTS_CA_BUNDLE``.

    ``requests`` lets the environment's bundle override a session's own; then a
    configured ``ca_bundle`` would silently be ignored.
    """

    def merge_environment_settings(self, *args: Any, **kwargs: Any) -> Any:
        settings = super().merge_environment_settings(*args, **kwargs)
        settings["verify"] = self.verify
        return settings


def new_session(settings: TeamsSettings) -> requests.Session:
    """The session MSAL and Graph calls share: the system's CAs, or ``ca_bundle``."""
    if settings.ca_bundle is None:
        return requests.Session()
    session = _TrustingSession()
    session.verify = str(settings.ca_bundle)
    return session


class MsalAuth(HeaderAuth):
    """``Authorization: Bearer <token>`` from ``token()``, masked wherever it could leak.

    :param token: returns a valid access token (MSAL caches and renews it).
    :param secrets: the app's own credentials, masked too.
    """

    def __init__(self, token: Callable[[], str], *, secrets: Sequence[str] = ()) -> None:
        self._token = token
        self._secret_values = [s for s in secrets if s]
        self._last = ""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        self._last = self._token()
        request.headers["Authorization"] = f"Bearer {self._last}"
        return request

    def mask(self, text: str) -> str:
        for value in (self._last, *self._secret_values):
            if value:
                text = text.replace(value, MASK)
        return text

    def __repr__(self) -> str:
        return f"MsalAuth(Authorization={MASK!r})"

    __str__ = __repr__


def msal_token_source(
    settings: TeamsSettings, credential: str | dict[str, str], session: requests.Session
) -> Callable[[], str]:
    """A function returning an app-only Graph token, through MSAL's client credentials.

    MSAL is imported here, not at start-up. Outside Microsoft's public cloud
    (another ``authority_host``, such as the fake Graph) authority validation and
    instance discovery are off, so MSAL asks only the host it is given.
    """
    import msal

    public = settings.authority_host == PUBLIC_AUTHORITY_HOST
    app: Any = None

    def token() -> str:
        nonlocal app
        try:
            if app is None:
                app = msal.ConfidentialClientApplication(
                    settings.client_id,
                    client_credential=credential,
                    authority=settings.authority,
                    validate_authority=public,
                    instance_discovery=public,
                    http_client=session,
                    timeout=settings.timeout_seconds,
                )
            result = app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
        except (requests.RequestException, ValueError) as error:
            raise ForumUnavailable(
                f"could not get a token from {settings.authority} ({type(error).__name__}); "
                "check [platforms.teams] tenant_id and authority_host, and the network"
            ) from None
        if "access_token" in result:
            return str(result["access_token"])
        code = result.get("error", "unknown_error")
        detail = str(result.get("error_description", "")).splitlines()[0][:200]
        raise AuthenticationFailed(
            f"Microsoft Entra refused pspn's app ({code}): {detail}. Check [platforms.teams] "
            "tenant_id, client_id and the secret or certificate its variable holds"
        )

    return token


#: For each kind of Graph path, the application permission it needs.
_PERMISSIONS: tuple[tuple[str, str], ...] = (
    ("/transcripts", "OnlineMeetingTranscript.Read.All"),
    ("/attendanceReports", "OnlineMeetingArtifact.Read.All"),
    ("/onlineMeetings", "OnlineMeetings.ReadWrite.All"),
    ("/events", "Calendars.ReadWrite"),
    ("/chats/", "Chat.Read.All"),
)


def permission_advice(path: str, graph_message: str) -> str:
    """One sentence naming what the tenant must grant for ``path`` to work."""
    permission = next((p for part, p in _PERMISSIONS if part in path), "the permission it needs")
    if "application access policy" in graph_message.lower():
        return (
            "the tenant has no application access policy allowing pspn's app to act for the "
            "organiser: a Teams administrator must run New-CsApplicationAccessPolicy and "
            "Grant-CsApplicationAccessPolicy (see docs/teams.md)"
        )
    needs_policy = "/onlineMeetings" in path
    return (
        f"the tenant has not granted pspn's app the application permission {permission}"
        + (" (and an application access policy for the organiser)" if needs_policy else "")
        + "; an administrator must grant it with admin consent (see docs/teams.md)"
    )


class GraphClient(HttpClient):
    """Microsoft Graph v1.0 for one organiser's calendar and meetings."""

    def __init__(
        self,
        settings: TeamsSettings,
        auth: MsalAuth,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(
            settings.graph_url,
            auth=auth,
            retry=retry or RetryPolicy(attempts=settings.retries + 1),
            timeout=(5.0, settings.timeout_seconds),
            session=session,
        )
        self.page_size = settings.page_size
        self.organiser_path = f"/users/{quote(settings.organiser, safe='@.')}"

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """As :meth:`HttpClient.request`; a 403 says which permission or policy is missing."""
        try:
            return super().request(method, path, **kwargs)
        except AuthenticationFailed as error:
            if error.status != 403:
                raise
            advice = permission_advice(path, error.excerpt)
            raise AuthenticationFailed(
                f"{method} {path}: Microsoft Graph refused: {advice}",
                status=403,
                excerpt=error.excerpt,
            ) from error

    def pages(
        self, path: str, params: Mapping[str, str] | None = None
    ) -> Paginator[dict[str, Any]]:
        """Every item of a Graph collection, following ``@odata.nextLink`` lazily."""

        def fetch(cursor: str | None) -> Page[dict[str, Any]]:
            if cursor is None:
                data = self.get_json(path, params=params)
            else:
                if not cursor.startswith(self.base_url + "/"):
                    raise AdapterError(
                        f"GET {path}: Graph's next page is elsewhere ({cursor[:60]})"
                    )
                data = self.get_json(cursor[len(self.base_url) :])
            items = data.get("value") if isinstance(data, dict) else None
            if not isinstance(items, list):
                raise AdapterError(f"GET {path}: Graph's answer has no list of values")
            return Page(items, data.get("@odata.count"), data.get("@odata.nextLink"))

        return Paginator(fetch)

    def items(self, path: str, params: Mapping[str, str] | None = None) -> Iterator[dict[str, Any]]:
        return iter(self.pages(path, params))
