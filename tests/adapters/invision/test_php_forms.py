"""PHP bracket notation, as the client sends it and the fake reads it."""

from __future__ import annotations

from pspn_adapters.invision import php_forms


def test_encode_scalars_lists_mappings_and_booleans() -> None:
    pairs = php_forms.encode(
        {
            "to": [4, 9],
            "location": {"city": "Leeds", "addressLines": ["1 Main St"]},
            "rsvp": True,
            "hidden": False,
            "prefix": None,
        }
    )
    assert pairs == [
        ("to[]", "4"),
        ("to[]", "9"),
        ("location[city]", "Leeds"),
        ("location[addressLines][]", "1 Main St"),
        ("rsvp", "1"),
        ("hidden", "0"),
    ]


def test_decode_rebuilds_what_encode_flattened() -> None:
    fields = {"to": ["4", "9"], "customFields": {"12": "Nurse"}, "title": "Hello"}
    assert php_forms.decode(php_forms.encode(fields)) == fields


def test_decode_keeps_malformed_names_and_last_scalar_wins() -> None:
    assert php_forms.decode([("a[", "1"), ("b", "1"), ("b", "2")]) == {"a[": "1", "b": "2"}
