"""The notes feature's built-in behaviour, registered as a plugin like any other.

The built-in anonymiser detectors are added through the same hook a third
party uses, so an installed plugin adds to them and can never replace or
switch them off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pspn_core import hookimpl

if TYPE_CHECKING:
    from pspn_core.registries import DetectorRegistry

__all__ = ["pspn_register_detectors"]


@hookimpl(tryfirst=True)
def pspn_register_detectors(registry: DetectorRegistry) -> None:
    from pspn_core.notes.anonymiser import default_detectors

    for detector in default_detectors():
        registry.add(detector)
