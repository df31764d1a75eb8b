import datetime

import pytest

from modig.organisation.identity import (
    InvalidIdentityNumber,
    is_coordination_number,
    mask_identity_number,
    normalise_identity_number,
)

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19811218-9876", "198112189876"),
        ("198112189876", "198112189876"),
        ("811218-9876", "198112189876"),
        ("8112189876", "198112189876"),
        ("121212+1212", "191212121212"),
        ("20121212-1212", "201212121212"),
        ("701063-2391", "197010632391"),
    ],
)
def test_accepted_forms_normalise_to_twelve_digits(raw, expected):
    assert normalise_identity_number(raw, today=TODAY) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("19811218-9877", "checksum"),
        ("19811318-9876", "date"),
        ("1981-12-18", "format"),
        ("abc", "format"),
        ("", "format"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(raw, code):
    with pytest.raises(InvalidIdentityNumber) as error:
        normalise_identity_number(raw, today=TODAY)
    assert error.value.code == code


def test_samordningsnummer_is_recognised():
    assert is_coordination_number("197010632391")
    assert not is_coordination_number("198112189876")


def test_mask_keeps_birth_date_and_hides_last_four():
    assert mask_identity_number("198112189876") == "19811218-XXXX"
    assert mask_identity_number("") == ""
