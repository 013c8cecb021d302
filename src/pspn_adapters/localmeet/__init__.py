"""The embedded meeting platform ``local``: meetings as folders, transcripts and chat as files.

Registered by the embedded forum's plugin (:mod:`pspn_adapters.local`), so a hub
with no meeting platform at all has one. See :mod:`pspn_adapters.localmeet.platform`.
"""

from __future__ import annotations

from pspn_adapters.localmeet.platform import LocalPlatform, LocalPlatformSettings, parse_chat
from pspn_core.ports import MeetingPlatform
from pspn_core.registries import PlatformContext, PlatformType

__all__ = [
    "LOCAL_PLATFORM",
    "LocalPlatform",
    "LocalPlatformSettings",
    "create_platform",
    "parse_chat",
]


def create_platform(context: PlatformContext) -> MeetingPlatform:
    settings = context.settings
    assert isinstance(settings, LocalPlatformSettings)
    folder = settings.folder or context.data_dir / "meetings"
    if not folder.is_absolute():
        folder = context.data_dir / folder
    return LocalPlatform(folder, settings.link_base)


LOCAL_PLATFORM = PlatformType(
    name="local",
    settings_model=LocalPlatformSettings,
    create=create_platform,
    description="the embedded platform: placeholder links, transcripts and chat as files",
)
