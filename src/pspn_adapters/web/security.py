"""The security headers every answer carries, and a strict Content-Security-Policy.

No script runs on any page, so the policy allows none; styles and images come
only from this site, forms post only to it, and no other site may frame it.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

__all__ = ["CSP", "install"]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",  # sign-in, survey and feed tokens are in addresses
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def install(app: Flask, *, secure: bool) -> None:
    """Add the headers to every answer of ``app`` (HSTS too when served over TLS)."""

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.update(HEADERS)
        if secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000"
        if request.endpoint != "static" and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response
