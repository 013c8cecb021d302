"""Networks: the hub's peer-support groups, their configuration and their set-up.

The names below are the package's public API; each submodule is imported on
first use (see :mod:`pspn_core._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pspn_core._lazy import lazy_exports

if TYPE_CHECKING:
    from pspn_core.networks.model import SLUG_PATTERN, Network
    from pspn_core.networks.service import setup_network

__all__ = [
    "SLUG_PATTERN",
    "Network",
    "setup_network",
]

__getattr__ = lazy_exports(
    __name__,
    {
        "SLUG_PATTERN": "model",
        "Network": "model",
        "setup_network": "service",
    },
)
