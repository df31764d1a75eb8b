"""The respondent pages are public: anyone, signed in or not, may open them. Without a survey
tied to the browser, they send the visitor to the page where the code is typed."""

from url_rules import GO, HIDE, OK, Case, everyone


def valid_link(region):
    """A real invitation's link token (a fresh round per call)."""
    from modig.surveys.tests.factories import make_invitation, make_round

    round_ = make_round(region.programme)
    _invitation, token, _code = make_invitation(round_, region.anna)
    return {"token": token}


RULES = {
    "surveys:respond-entry": [
        Case(everyone(OK)),
        Case(everyone(OK), method="post", data={"code": "ABCD-EFGH-JK"}, label="wrong-code"),
    ],
    "surveys:respond-link": [
        Case(everyone(GO), kwargs=valid_link, label="valid"),
        Case(everyone(HIDE), kwargs=lambda r: {"token": "no-such-token"}, label="unknown"),
    ],
    "surveys:respond-start": [
        Case(everyone(GO), label="no-survey"),
        Case(everyone(GO), method="post", label="no-survey-post"),
    ],
    "surveys:respond-switch": [Case(everyone(GO))],
    "surveys:respond-page": [
        Case(everyone(GO), kwargs=lambda r: {"number": 1}),
        Case(everyone(GO), kwargs=lambda r: {"number": 1}, method="post",
             data={"action": "next"}, label="post"),
    ],
    "surveys:respond-saved": [Case(everyone(OK))],
    "surveys:respond-profile": [Case(everyone(GO))],
}
