"""Data bundled with pspn: the NHS organisations in England (see ``README.md`` here)."""

from __future__ import annotations

from pspn_core.data.organisations import (
    BUNDLED_LIST,
    Organisation,
    OrganisationList,
    load_organisations,
)

__all__ = ["BUNDLED_LIST", "Organisation", "OrganisationList", "load_organisations"]
