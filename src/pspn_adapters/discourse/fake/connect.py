"""The fake Discourse as a DiscourseConnect provider (``/session/sso_provider``).

As Discourse does with ``enable_discourse_connect_provider`` on: the client
sends ``sso`` (Base64 of a query string holding ``nonce`` and
``return_sso_url``) and ``sig`` (hex HMAC-SHA256 of ``sso`` with the shared
secret). The person logged in to the forum in this browser, here
:attr:`Site.browser_user`, is sent back to ``return_sso_url`` with a signed
payload naming them. A bad signature is refused; nobody logged in is a 403.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from pspn_adapters.discourse.fake.state import Reply, error

if TYPE_CHECKING:
    from pspn_adapters.discourse.fake.server import FakeDiscourse

__all__ = ["PATH", "provider"]

PATH = "/session/sso_provider"


def _sign(secret: str, payload: str) -> str:
    return hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()


def provider(fake: FakeDiscourse, query: dict[str, str]) -> Reply:
    secret = fake.connect_secret
    if not secret:
        return error(404, "The requested URL or resource could not be found.", "not_found")
    sso, sig = query.get("sso", ""), query.get("sig", "")
    if not hmac.compare_digest(_sign(secret, sso), sig):
        return error(400, "Invalid DiscourseConnect signature", "invalid_parameters")
    asked = dict(parse_qsl(base64.b64decode(sso).decode()))
    if not asked.get("nonce") or not asked.get("return_sso_url"):
        return error(400, "Missing nonce or return_sso_url", "invalid_parameters")
    user = fake.site.user(fake.site.browser_user or "")
    if user is None:
        return error(403, "You are not logged in.", "not_logged_in")
    groups = [g.name for g in fake.site.groups.values() if user.id in g.members]
    answer = urlencode(
        {
            "nonce": asked["nonce"],
            "external_id": str(user.id),
            "username": user.username,
            "name": user.name,
            "email": f"{user.username}@example.org",
            "admin": str(user.admin).lower(),
            "moderator": "false",
            "groups": ",".join(groups),
            "return_sso_url": asked["return_sso_url"],
        }
    )
    payload = base64.b64encode(answer.encode()).decode()
    back = asked["return_sso_url"]
    joiner = "&" if "?" in back else "?"
    location = f"{back}{joiner}{urlencode({'sso': payload, 'sig': _sign(secret, payload)})}"
    return Reply(302, None, {"Location": location})
