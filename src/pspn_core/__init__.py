"""pspn: tools for patient-safety peer-support networks.

Plugins write ``from pspn_core import hookimpl``.
"""

from __future__ import annotations

import pluggy

__all__ = ["__version__", "hookimpl", "hookspec"]

__version__ = "0.2.0"

hookspec = pluggy.HookspecMarker("pspn")
hookimpl = pluggy.HookimplMarker("pspn")
