"""The WSGI application: four routes, size and type checks, and errors as short JSON.

Plain WSGI (PEP 3333) with no framework: the server has four routes and every
one of them must see the raw request body (a signature covers its exact bytes).
Every failure is a short JSON body with its status; nothing ever shows a
traceback, and the log names the delivery, never its content or a secret.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from pspn_adapters.server.context import ServerContext

__all__ = [
    "HttpError",
    "Request",
    "Response",
    "json_response",
    "make_app",
    "require_content_type",
]

log = logging.getLogger("pspn.server")

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class HttpError(Exception):
    """An answer other than success; ``message`` is short and safe to send back."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    """Lower-case header names."""
    body: bytes = b""

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object, or a 400 that says what is wrong with it."""
        try:
            payload = json.loads(self.body)
        except (UnicodeDecodeError, ValueError):  # also an integer of thousands of digits
            raise HttpError(400, "the body is not valid JSON") from None
        except RecursionError:
            raise HttpError(400, "the body's JSON is nested too deeply") from None
        if not isinstance(payload, dict):
            raise HttpError(400, "the body is not a JSON object")
        return payload


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, data: Mapping[str, Any]) -> Response:
    body = json.dumps(data, separators=(",", ":")).encode()
    return Response(status, body, {"Content-Type": "application/json"})


def require_content_type(request: Request, *allowed: str) -> None:
    """Refuse (415) a body whose media type is not one of ``allowed``."""
    media = request.header("content-type").split(";", 1)[0].strip().lower()
    if media not in allowed:
        raise HttpError(415, f"send the body as {' or '.join(allowed)}")


Handler = Callable[[Request, ServerContext], Response]


@dataclass(frozen=True)
class Route:
    methods: tuple[str, ...]
    handler: Handler
    reads_body: bool


def make_app(context: ServerContext) -> WsgiApp:
    """The WSGI callable that serves ``context``'s hub."""
    from pspn_adapters.server import calendar, discourse, invision

    def health(request: Request, context: ServerContext) -> Response:
        return json_response(200, {"status": "ok"})

    exact = {
        "/healthz": Route(("GET", "HEAD"), health, reads_body=False),
        "/webhooks/discourse": Route(("POST",), discourse.handle, reads_body=True),
        "/webhooks/invision": Route(("POST",), invision.handle, reads_body=True),
    }
    feed = Route(("GET", "HEAD"), calendar.handle, reads_body=False)
    limit = context.settings.max_body_bytes

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        try:
            path = str(environ.get("PATH_INFO", "")) or "/"
            route = exact.get(path) or (feed if path.startswith("/calendar/") else None)
            if route is None:
                raise HttpError(404, "not found")
            if method not in route.methods:
                raise HttpError(405, "method not allowed", {"Allow": ", ".join(route.methods)})
            request = Request(
                method=method,
                path=path,
                query=parse_qs(str(environ.get("QUERY_STRING", ""))),
                headers=_headers(environ),
                body=_body(environ, limit) if route.reads_body else b"",
            )
            response = route.handler(request, context)
        except HttpError as error:
            response = json_response(error.status, {"error": error.message})
            response.headers.update(error.headers)
        except Exception as error:
            log.error("%s %s failed: %s", method, environ.get("PATH_INFO"), type(error).__name__)
            response = json_response(500, {"error": "internal error; see the server log"})
        headers = [*response.headers.items(), ("Content-Length", str(len(response.body)))]
        start_response(_status_line(response.status), headers)
        return [b""] if method == "HEAD" else [response.body]

    return application


def _headers(environ: Mapping[str, Any]) -> dict[str, str]:
    headers = {
        key[5:].replace("_", "-").lower(): str(value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    }
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(key):
            headers[key.replace("_", "-").lower()] = str(environ[key])
    return headers


def _body(environ: Mapping[str, Any], limit: int) -> bytes:
    """The whole body: 411 without a length, 413 over ``limit``, 400 if it ends early."""
    text = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not text.isdigit():
        raise HttpError(411, "send a Content-Length")
    length = int(text)
    if length > limit:
        raise HttpError(413, f"the body is larger than {limit} bytes")
    stream = environ["wsgi.input"]
    body: bytes = stream.read(length) if length else b""
    if len(body) != length:
        raise HttpError(400, "the body is shorter than its Content-Length")
    return body


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"
