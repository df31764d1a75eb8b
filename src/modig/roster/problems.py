"""Problems found in a staff list: one code per kind, stored as data, worded when shown."""

import contextlib

from django.utils.translation import gettext_lazy

ERROR = "error"
WARNING = "warning"

MESSAGES = {
    "required": gettext_lazy("The cell is empty. Every row needs a value here."),
    "formula": gettext_lazy(
        "The cell starts with “%(char)s”, which a spreadsheet program can run as a formula. "
        "Remove the character."),
    "stray_spaces": gettext_lazy("Extra spaces were removed from “%(value)s”."),
    "too_long": gettext_lazy("The value is longer than %(max)s characters."),
    "bad_date": gettext_lazy(
        "“%(value)s” is not a date. Write dates as YYYY-MM-DD, for example 2025-03-01."),
    "date_order": gettext_lazy("The end date is before the start date."),
    "bad_email": gettext_lazy("“%(value)s” is not an e-mail address."),
    "bad_mobile": gettext_lazy(
        "“%(value)s” is not a Swedish mobile number. Write it as 070-123 45 67 or "
        "+46 70 123 45 67."),
    "identity_format": gettext_lazy(
        "The identity number is not written as YYYYMMDD-NNNN (or YYMMDD-NNNN)."),
    "identity_date": gettext_lazy("The identity number does not contain a real date."),
    "identity_checksum": gettext_lazy(
        "The last digit of the identity number (the check digit) is wrong. Check the number."),
    "duplicate_identity": gettext_lazy(
        "The same identity number is also on row %(other_row)s with other names."),
    "birth_year": gettext_lazy(
        "“%(value)s” is not a possible birth year. Write a year between %(min)s and %(max)s."),
    "birth_year_mismatch": gettext_lazy(
        "The birth year differs from the identity number; the identity number is used."),
    "bad_gender": gettext_lazy(
        "“%(value)s” is not a gender Modig knows. Write Kvinna, Man, Icke-binär or leave the "
        "cell empty."),
    "unknown_occupation": gettext_lazy(
        "“%(value)s” is not a job title Modig knows. Add a column with the SSYK code, or use a "
        "known title."),
    "unknown_ssyk": gettext_lazy("“%(value)s” is not an SSYK code for care work in Modig."),
    "bad_staff_category": gettext_lazy(
        "“%(value)s” is not a staff category. Write Baspersonal or Chef."),
    "bad_target_group": gettext_lazy("“%(value)s” is not a target group Modig knows."),
    "unknown_operation_area": gettext_lazy(
        "“%(value)s” is not an operation area. Write Äldreomsorg or Funktionsstöd."),
    "unknown_unit": gettext_lazy(
        "The unit “%(value)s” does not exist yet. Tick it under “New units” to create it, or "
        "correct the name."),
    "ambiguous_unit": gettext_lazy(
        "There are several units named “%(value)s”. Add the parent units (for example a "
        "column Förvaltning or Område) so Modig knows which one."),
    "duplicate_employee_id": gettext_lazy(
        "Employee id %(value)s is also on row %(other_row)s. Each employee id may appear once."),
    "person_conflict": gettext_lazy(
        "The employee id and the identity number belong to two different people in Modig. "
        "Check the row, or merge the two people first."),
    "identity_changed": gettext_lazy(
        "Employee id %(value)s already belongs to a person with another identity number. "
        "Check the row."),
}
SUGGESTION = gettext_lazy("Did you mean “%(suggestion)s”?")


def problem(row: int, column: str, code: str, severity: str = ERROR, **params) -> dict:
    return {"row": row, "column": column, "code": code, "severity": severity,
            "params": {key: str(value) for key, value in params.items()}}


def describe(item: dict) -> str:
    """The problem in the current language, with a suggestion where there is one."""
    params = item.get("params", {})
    text = str(MESSAGES.get(item["code"], item["code"]))
    with contextlib.suppress(KeyError, TypeError, ValueError):
        text = text % params
    if params.get("suggestion"):
        text = f"{text} {SUGGESTION % params}"
    return text
