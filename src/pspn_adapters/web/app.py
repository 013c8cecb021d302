"""The Flask application: configuration, security headers, sessions and error pages.

Flask gives signed-cookie sessions and Jinja2 with autoescaping; Flask-WTF
gives a CSRF token on every form (checked on every POST) and form validation.
Nothing here runs script in the browser: every page works with JavaScript off,
and the Content-Security-Policy allows no script at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, g, redirect, session, url_for
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from pspn_adapters.server.context import ServerContext
from pspn_adapters.web import errors, security
from pspn_adapters.web.context import WebContext
from pspn_adapters.web.people import find_person
from pspn_adapters.web.settings import WebSettings, secret_key

__all__ = ["create_app"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


def create_app(
    server: ServerContext,
    settings: WebSettings,
    environ: Mapping[str, str],
    *,
    clock: Callable[[], datetime] = _utcnow,
) -> Flask:
    """The members' web app for the hub ``server`` serves."""
    from pspn_adapters.web import (
        applications,
        auth,
        discourse_connect,
        feeds,
        invision_oauth,
        members,
        note_review,  # noqa: F401  (its routes join the notes blueprint)
        notes,
        privacy,
        surveys,
    )

    app = Flask("pspn_adapters.web")
    secure = server.settings.public_url.startswith("https://")
    app.config.update(
        SECRET_KEY=secret_key(settings, server.config.data_dir, environ),
        SESSION_COOKIE_NAME="pspn_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=settings.idle_minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + 16 * 1024,
        MAX_FORM_MEMORY_SIZE=settings.max_upload_bytes + 16 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=secure,
        PREFERRED_URL_SCHEME="https" if secure else "http",
    )
    app.jinja_env.autoescape = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    context = WebContext.build(server, settings, environ, clock)
    app.extensions["pspn"] = context
    csrf = CSRFProtect(app)
    # A spent link gets its own page, not "form expired": the view checks the token itself.
    csrf.exempt(auth.use_link)

    @app.before_request
    def load_person() -> ResponseReturnValue | None:
        g.person = None
        username = session.get("username")
        if not username:
            return None
        now = context.clock().timestamp()
        seen = float(session.get("seen", 0))
        if now - seen > settings.idle_minutes * 60:
            session.clear()
            return redirect(url_for("auth.sign_in", ended="idle"))
        person = find_person(server.config, context.store, str(username))
        if person is None:
            session.clear()
            return redirect(url_for("auth.sign_in", ended="removed"))
        session["seen"] = now
        session.permanent = True
        g.person = person
        return None

    @app.context_processor
    def common() -> dict[str, Any]:
        return {"person": g.get("person"), "hub_name": server.config.hub.name}

    security.install(app, secure=secure)
    errors.install(app, settings)
    if settings.trusted_proxies:
        # The client's address (for rate limits) and scheme come from the proxy's headers.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(members.blueprint)
    app.register_blueprint(surveys.blueprint)
    app.register_blueprint(notes.blueprint)
    app.register_blueprint(applications.blueprint)
    app.register_blueprint(privacy.blueprint)
    app.register_blueprint(discourse_connect.blueprint)
    app.register_blueprint(invision_oauth.blueprint)
    app.register_blueprint(feeds.blueprint)
    return app
