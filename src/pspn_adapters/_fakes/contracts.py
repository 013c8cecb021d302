"""Reading the fakes' contracts, which ship as package data compressed with gzip.

The contracts are large (Graph's CSDL is 3.3 MB) and compress tenfold, so the
shipped copies are ``openapi.json.gz`` and ``v1.0-Prod.csdl.gz``; a contract
given by the user (``--contract PATH``) may be plain or compressed.
"""

from __future__ import annotations

import gzip
from importlib.resources.abc import Traversable

__all__ = ["read_contract"]


def read_contract(source: Traversable) -> bytes:
    """The content of the contract file ``source``, decompressed if its name ends in ``.gz``."""
    data = source.read_bytes()
    return gzip.decompress(data) if source.name.endswith(".gz") else data
