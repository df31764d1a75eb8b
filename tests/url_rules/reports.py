"""Access to the ESF report pages (issue 7). The participant report holds identity numbers:
programme administrators only; everyone else signed in gets 403."""

import datetime

from url_rules import DENY, GO, HIDE, LOGIN, OK, Case, expect

ADMIN_ONLY = expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN)


def programme(region):
    return {"programme_pk": region.programme.pk}


def stored_month(file_format):
    def kwargs(region):
        from modig.reports import services

        result = services.regenerate_from(region.programme, datetime.date(2025, 1, 1), by=None)
        return {"pk": result.created[0].pk, "file_format": file_format}
    return kwargs


RULES = {
    "reports:participant-months": [Case(ADMIN_ONLY, kwargs=programme)],
    "reports:participant-regenerate": [
        Case(expect(GO, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN), method="post",
             data={"month": "2025-01"}, kwargs=programme),
    ],
    "reports:participant-download": [
        Case(ADMIN_ONLY, kwargs=stored_month("csv"), label="csv"),
        Case(ADMIN_ONLY, kwargs=stored_month("xlsx"), label="xlsx"),
    ],
}


def unit_month(unit, file_format):
    return lambda region: {"programme_pk": region.programme.pk,
                           "unit_pk": getattr(region, unit).pk, "month": "2026-03",
                           "file_format": file_format}


RULES.update({
    "reports:time-report": [Case(expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN),
                                 kwargs=programme)],
    "reports:time-report-file": [
        Case(expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN),
             kwargs=unit_month("vikadamm", file_format), label=f"own-{file_format}")
        for file_format in ("pdf", "xlsx")
    ] + [
        Case(expect(OK, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN),
             kwargs=unit_month("solgarden", "pdf"), label="other"),
    ],
})

RULES.update({
    name: [Case(ADMIN_ONLY, kwargs=programme)]
    for name in ("reports:unit-costs", "reports:cofinancing", "reports:cofinancing-xlsx")
})

RULES.update({
    name: [Case(ADMIN_ONLY, kwargs=programme)]
    for name in ("reports:final-report", "reports:final-report-pdf")
})

RULES["reports:evaluator-extract"] = [Case(ADMIN_ONLY, kwargs=programme)]
