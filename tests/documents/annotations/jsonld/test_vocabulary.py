"""The vocabulary: the Prefer header read once into the Preference enum."""

import pytest

from documents.annotations.jsonld.vocabulary import PREFER_IRIS, PREFER_MINIMAL, Preference, parse_prefer


@pytest.mark.parametrize(
    ("header", "preference"),
    [
        (None, Preference.DESCRIPTIONS),
        ("return=minimal", Preference.DESCRIPTIONS),
        (f'return=representation;include="{PREFER_MINIMAL}"', Preference.MINIMAL),
        (f'return=representation; include="{PREFER_IRIS}"', Preference.IRIS),
        (f'return=representation;include="{PREFER_IRIS} {PREFER_MINIMAL}"', Preference.MINIMAL),
        ('return=representation;include="http://example.org/other"', Preference.DESCRIPTIONS),
    ],
)
def test_prefer_header_is_read_into_the_enum(header, preference):
    assert parse_prefer(header) is preference
