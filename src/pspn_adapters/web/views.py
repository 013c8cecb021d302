"""What the views share: the context, the signed-in person, role checks, error pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, current_app, g, redirect, request, url_for
from werkzeug.exceptions import HTTPException

from pspn_adapters.web.context import WebContext
from pspn_adapters.web.people import Person
from pspn_core.networks.model import Network
from pspn_core.networks.roles import Role

__all__ = ["absolute_url", "context", "fail", "network_for", "person", "requires_sign_in"]

F = TypeVar("F", bound=Callable[..., Any])


def context() -> WebContext:
    return cast(WebContext, current_app.extensions["pspn"])


def absolute_url(endpoint: str, **values: Any) -> str:
    """The address of ``endpoint`` from outside: under ``public_url`` when it is set."""
    base = context().public_url or request.host_url.rstrip("/")
    return f"{base}{url_for(endpoint, **values)}"


def person() -> Person:
    found: Person | None = g.get("person")
    if found is None:
        abort(401)
    return found


def fail(code: int, message: str) -> HTTPException:
    """An HTTP error whose page says ``message`` (plain words, safe to show)."""
    try:
        abort(code)
    except HTTPException as error:
        error.pspn_message = message  # type: ignore[attr-defined]
        return error
    raise AssertionError("abort always raises")  # pragma: no cover


def requires_sign_in(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.get("person") is None:
            return redirect(url_for("auth.sign_in"))
        return view(*args, **kwargs)

    return cast(F, wrapper)


def network_for(slug: str, role: Role = Role.MEMBER) -> Network:
    """Network ``slug`` if the signed-in person holds ``role`` there; else 404 or 403."""
    networks = context().server.config.networks
    if slug not in networks:
        raise fail(404, "There is no such network. Check the address.")
    if not person().can(slug, role):
        if not person().can(slug, Role.MEMBER):
            raise fail(404, "There is no such network. Check the address.")
        raise fail(
            403,
            f"This needs the {role.value} role in this network. Ask your network lead if "
            "you think you should have it.",
        )
    return networks[slug]
