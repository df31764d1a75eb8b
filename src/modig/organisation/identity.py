"""Swedish personal identity numbers (personnummer and samordningsnummer).

Accepted input forms: YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN (over 100) and
YYMMDDNNNN. A samordningsnummer has 60 added to the day. The last digit is a Luhn check digit
over the ten digits YYMMDDNNN. We store the normalised twelve digits.
"""

import datetime
import re

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")


class InvalidIdentityNumber(ValueError):
    """Raised with a reason code: 'format', 'date' or 'checksum'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def luhn_check_digit(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def normalise_identity_number(raw: str, *, today: datetime.date | None = None) -> str:
    """Return the twelve-digit form or raise InvalidIdentityNumber."""
    text = re.sub(r"\s", "", raw or "")
    match = _PATTERN.match(text)
    if not match:
        raise InvalidIdentityNumber("format")
    century, year, month, day, separator, serial, check = match.groups()
    today = today or datetime.date.today()
    if century is None:
        # Ten digits: the century is the latest one that puts the date in the past, one
        # century further back when '+' marks a person aged 100 or more.
        full_year = today.year - (today.year - int(year)) % 100
        if separator == "+":
            full_year -= 100
    else:
        full_year = int(century + year)
    day_number = int(day)
    if day_number > 60:  # samordningsnummer
        day_number -= 60
    try:
        datetime.date(full_year, int(month), day_number)
    except ValueError:
        raise InvalidIdentityNumber("date") from None
    if luhn_check_digit(f"{year}{month}{day}{serial}") != int(check):
        raise InvalidIdentityNumber("checksum")
    return f"{full_year:04d}{month}{day}{serial}{check}"


def is_coordination_number(number: str) -> bool:
    return len(number) == 12 and int(number[6:8]) > 60


def birth_date_of(number: str) -> datetime.date:
    day = int(number[6:8])
    return datetime.date(int(number[0:4]), int(number[4:6]), day - 60 if day > 60 else day)


def mask_identity_number(number: str) -> str:
    """YYYYMMDD-XXXX: the birth date stays readable, the last four digits are hidden."""
    if not number:
        return ""
    return f"{number[:8]}-XXXX"


def format_identity_number(number: str) -> str:
    return f"{number[:8]}-{number[8:]}" if number else ""
