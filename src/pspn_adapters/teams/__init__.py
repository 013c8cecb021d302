"""Microsoft Teams as a pspn meeting platform: the plugin that registers ``teams``.

Settings come from ``[platforms.teams]`` (:class:`TeamsSettings`); the client
secret or certificate is read from the environment variable it names. Nothing
heavy is imported until a command needs the platform: MSAL and ``requests`` load
in :func:`create_platform`. See ``docs/teams.md``.
"""

from __future__ import annotations

from pspn_adapters.teams.settings import TeamsSettings
from pspn_core import hookimpl
from pspn_core.ports import MeetingPlatform
from pspn_core.registries import PlatformContext, PlatformRegistry, PlatformType

__all__ = ["TeamsSettings", "create_platform"]

_HOW_TO_GET = (
    "Create a client secret (or upload a certificate) for pspn's app registration in the "
    "Microsoft Entra admin centre (App registrations > Certificates & secrets)"
)


def create_platform(context: PlatformContext) -> MeetingPlatform:
    """Build one network's :class:`~pspn_adapters.teams.adapter.TeamsPlatform`."""
    from pspn_adapters.teams.adapter import TeamsPlatform
    from pspn_adapters.teams.client import GraphClient, MsalAuth, msal_token_source, new_session

    settings = context.settings
    assert isinstance(settings, TeamsSettings)
    credential: str | dict[str, str]
    if settings.client_secret_env is not None:
        secret = context.secret(
            settings.client_secret_env, table="platforms.teams", how_to_get=_HOW_TO_GET
        )
        credential = secret
    else:
        assert settings.certificate_env is not None and settings.certificate_thumbprint
        secret = context.secret(
            settings.certificate_env, table="platforms.teams", how_to_get=_HOW_TO_GET
        )
        credential = {"private_key": secret, "thumbprint": settings.certificate_thumbprint}
    session = new_session(settings)
    auth = MsalAuth(msal_token_source(settings, credential, session), secrets=[secret])
    return TeamsPlatform(GraphClient(settings, auth, session=session))


@hookimpl
def pspn_register_platforms(registry: PlatformRegistry) -> None:
    registry.add(
        PlatformType(
            name="teams",
            settings_model=TeamsSettings,
            create=create_platform,
            description="Microsoft Teams, through Microsoft Graph (calendar-backed meetings)",
        )
    )
