"""Error pages: plain words for every failure, never a traceback.

An unexpected error is logged by its type only (never the request's content)
and the person sees a page that says what to do.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from pspn_adapters.web.settings import WebSettings

__all__ = ["install", "size"]

log = logging.getLogger("pspn.web")

TITLES = {
    400: "Something in the request was wrong",
    403: "You cannot do that",
    404: "Page not found",
    405: "That page cannot be used that way",
    410: "This link has already been used",
    429: "Too many requests",
}
MESSAGES = {
    404: "Check the address, or go back to the start page.",
    403: "Your role in this network does not include this. Ask your network lead if you "
    "think it should.",
}


def size(count: int) -> str:
    """``count`` bytes in words: "512 KB", "2 MB"."""
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MB"
    return f"{count // 1024} KB"


def _page(title: str, message: str, status: int) -> ResponseReturnValue:
    return render_template("error.html", title=title, message=message), status


def install(app: Flask, settings: WebSettings) -> None:
    """Register the error pages on ``app``."""

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError) -> ResponseReturnValue:
        return _page(
            "This form has expired",
            "For your safety, forms stop working after you sign out or when the page is very "
            "old. Go back, reload the page, and try again.",
            400,
        )

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
        return _page(
            "The file is too large",
            f"Notes can be at most {size(settings.max_upload_bytes)}. Split the note into "
            "parts, or remove anything that is not the notes, and try again.",
            413,
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        message = getattr(error, "pspn_message", "") or MESSAGES.get(code, "")
        return _page(
            TITLES.get(code, "Something went wrong"), message or "Go back and try again.", code
        )

    @app.errorhandler(Exception)
    def crashed(error: Exception) -> ResponseReturnValue:
        log.error("%s %s failed: %s", request.method, request.path, type(error).__name__)
        return _page(
            "Sorry, something went wrong",
            "Please try again later. If it keeps happening, tell the person who runs this site.",
            500,
        )
