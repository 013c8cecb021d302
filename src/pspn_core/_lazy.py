"""Lazy public names for feature packages.

A feature package's ``__init__`` names its public API in ``__all__`` but
imports a submodule only when one of its names is first used, so that
``import pspn_core.meetings`` stays cheap (``pspn --help`` must not pay for
``icalendar`` or ``holidays``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, names: Mapping[str, str], *, owner: str | None = None
) -> Callable[[str], Any]:
    """A module ``__getattr__`` that finds ``name`` in ``package.<names[name]>``.

    :param owner: the module whose ``__getattr__`` this is, when it is not
        ``package`` itself (a module that passes on another package's names).
    """

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {owner or package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
