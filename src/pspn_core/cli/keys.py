"""``pspn keys``: the hub's encryption key for raw notes."""

from __future__ import annotations

import click

from pspn_core.cli.app import App
from pspn_core.cli.common import pass_app
from pspn_core.errors import OperationError

__all__ = ["keys"]


@click.group()
def keys() -> None:
    """The encryption key that protects raw notes at rest."""


@keys.command()
@pass_app
def init(app: App) -> None:
    """Create the hub's key file (readable by its owner only). Never overwrites."""
    from pspn_core.notes.keys import create_key_file

    config = app.config
    if app.environ.get(config.hub.key_env):
        raise OperationError(
            f"${config.hub.key_env} is set, so pspn takes its key from there; "
            "unset it to use a key file instead"
        )
    create_key_file(config.key_file)
    click.echo(
        f"Created {config.key_file} (mode 600). Back it up somewhere safe: "
        "without it, stored raw notes cannot be read."
    )


@keys.command()
@pass_app
def rotate(app: App) -> None:
    """Add a new key and re-encrypt every stored raw note with it.

    The old key is kept until every note is re-encrypted, then dropped, so an
    interruption at any point loses nothing: run the command again.
    """
    from pspn_core.notes.keys import KeyRing, add_key_to_file, key_lock, replace_key_file
    from pspn_core.notes.service import rotate_keys

    config = app.config
    if app.environ.get(config.hub.key_env):
        raise OperationError(
            f"the key comes from ${config.hub.key_env}, which pspn cannot rewrite; "
            "keep the key in a key file (hub.key_file) to rotate it with pspn"
        )
    app.keys  # noqa: B018  (fails clearly if the current key file is missing or bad)
    with key_lock(config.key_file, exclusive=True):  # no note is stored meanwhile
        all_keys = add_key_to_file(config.key_file)
        ring = KeyRing(all_keys, f"the key file {config.key_file}")
        count = rotate_keys(app.store, ring)
        replace_key_file(config.key_file, all_keys[:1])
    click.echo(f"Rotated the key; re-encrypted {count} raw note(s). The old key is gone.")


@keys.command()
@pass_app
def status(app: App) -> None:
    """Say where the key comes from (never the key itself)."""
    ring = app.keys
    click.echo(f"{ring.count} key(s) from {ring.source}.")
