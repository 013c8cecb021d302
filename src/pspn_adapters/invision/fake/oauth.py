"""The fake Invision Community as an OAuth 2 server (authorization code flow).

As Invision 4.3+ does with an OAuth client set up in the AdminCP: the browser
is sent to ``/oauth/authorize/`` with ``response_type=code``, ``client_id``,
``redirect_uri``, ``scope`` and ``state``; the member logged in to the
community in this browser (:attr:`OAuthServer.browser_member`) is sent back to
``redirect_uri`` with ``code`` and ``state``. The client then posts the code
to ``/oauth/token/`` with its secret and gets a bearer token, which
``GET /api/core/me`` (scope ``profile``) accepts. Codes work once, for ten
minutes; a redirect URI must be one registered for the client.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

__all__ = ["OAuthClient", "OAuthServer"]

CODE_SECONDS = 600


@dataclass(frozen=True)
class OAuthClient:
    client_id: str
    secret: str
    redirect_uris: tuple[str, ...]


@dataclass
class OAuthServer:
    """Clients, codes and tokens; answers as ``(status, headers, JSON)``."""

    clients: dict[str, OAuthClient] = field(default_factory=dict)
    browser_member: int | None = None
    _codes: dict[str, tuple[str, str, int, float]] = field(default_factory=dict)
    _tokens: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_client(self, redirect_uri: str) -> OAuthClient:
        client = OAuthClient(secrets.token_hex(16), secrets.token_hex(24), (redirect_uri,))
        self.clients[client.client_id] = client
        return client

    def add_redirect_uri(self, client_id: str, redirect_uri: str) -> None:
        """Register one more redirect address for a client (as the AdminCP form allows)."""
        client = self.clients[client_id]
        self.clients[client_id] = replace(
            client, redirect_uris=(*client.redirect_uris, redirect_uri)
        )

    def member_of(self, token: str) -> int | None:
        """The member a bearer token acts for, or ``None``."""
        with self._lock:
            return self._tokens.get(token)

    def handle(
        self, method: str, path: str, query: str, body: bytes
    ) -> tuple[int, dict[str, str], Any]:
        params = dict(parse_qsl(query, keep_blank_values=True))
        if method == "GET" and path.rstrip("/") == "/oauth/authorize":
            return self._authorize(params)
        if method == "POST" and path.rstrip("/") == "/oauth/token":
            return self._token(dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)))
        return 404, {}, {"errorCode": "2S291/1", "errorMessage": "NO_ENDPOINT"}

    def _authorize(self, params: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        client = self.clients.get(params.get("client_id", ""))
        redirect_uri = params.get("redirect_uri", "")
        if client is None or redirect_uri not in client.redirect_uris:
            # Invision shows an error page rather than redirect to an unknown address.
            return 400, {}, {"error": "invalid_client"}
        state = params.get("state", "")
        if params.get("response_type") != "code":
            return _redirect(redirect_uri, error="unsupported_response_type", state=state)
        if "profile" not in params.get("scope", "").split():
            return _redirect(redirect_uri, error="invalid_scope", state=state)
        if self.browser_member is None:
            return 403, {}, {"error": "login_required"}
        code = secrets.token_hex(20)
        with self._lock:
            self._codes[code] = (
                client.client_id,
                redirect_uri,
                self.browser_member,
                time.monotonic(),
            )
        return _redirect(redirect_uri, code=code, state=state)

    def _token(self, form: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        client = self.clients.get(form.get("client_id", ""))
        if client is None or not secrets.compare_digest(
            form.get("client_secret", ""), client.secret
        ):
            return 401, {}, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {}, {"error": "unsupported_grant_type"}
        with self._lock:
            found = self._codes.pop(form.get("code", ""), None)
        if (
            found is None
            or found[0] != client.client_id
            or found[1] != form.get("redirect_uri")
            or time.monotonic() - found[3] > CODE_SECONDS
        ):
            return 400, {}, {"error": "invalid_grant"}
        token = secrets.token_hex(24)
        with self._lock:
            self._tokens[token] = found[2]
        answer = {"access_token": token, "token_type": "bearer", "expires_in": 3600}
        return 200, {"Cache-Control": "no-store"}, {**answer, "scope": "profile"}


def _redirect(uri: str, **params: str) -> tuple[int, dict[str, str], Any]:
    joiner = "&" if "?" in uri else "?"
    return 302, {"Location": f"{uri}{joiner}{urlencode(params)}"}, {}
