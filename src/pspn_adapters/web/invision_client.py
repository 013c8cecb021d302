"""The OAuth 2 client pspn is registered as on an Invision community (no Flask here).

See :mod:`pspn_adapters.web.invision_oauth` for the flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import requests

__all__ = ["InvisionOAuth"]

TIMEOUT = 10


@dataclass(frozen=True)
class InvisionOAuth:
    """The OAuth client pspn is registered as on the community."""

    community_url: str
    """The community's address, e.g. https://community.example.org (no /api)."""
    api_url: str
    """The REST API root, ``[adapters.invision] base_url``."""
    client_id: str
    client_secret: str

    def __repr__(self) -> str:
        return f"InvisionOAuth({self.community_url!r}, client_id={self.client_id!r})"

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": redirect_uri,
                "scope": "profile",
                "state": state,
            }
        )
        return f"{self.community_url}/oauth/authorize/?{query}"

    def member_name(self, code: str, redirect_uri: str) -> str:
        """Swap ``code`` for a token and ask who it is for; ``ValueError`` on any failure."""
        try:
            answer = requests.post(
                f"{self.community_url}/oauth/token/",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                },
                timeout=TIMEOUT,
            )
            if answer.status_code != 200:
                raise ValueError(f"the token request was refused ({answer.status_code})")
            token = str(answer.json()["access_token"])
            me = requests.get(
                f"{self.api_url}/core/me",
                headers={"Authorization": f"Bearer {token}"},
                timeout=TIMEOUT,
            )
            if me.status_code != 200:
                raise ValueError(f"core/me was refused ({me.status_code})")
            name = str(me.json()["name"])
        except (requests.RequestException, KeyError, TypeError) as error:
            raise ValueError(f"the community did not answer as expected ({error!s:.80})") from None
        if not name.strip():
            raise ValueError("the community named nobody")
        return name
