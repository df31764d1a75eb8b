"""Survey round pages: the programme office manages rounds; coordinators and unit managers see
the published rounds that reach their municipality or units (response rates, letters,
reminders); everyone else gets 403. The opt-out pages are public."""

from url_rules import DENY, GO, HIDE, LOGIN, OK, Case, everyone, expect

SEE = expect(OK, OK, OK, DENY, DENY, DENY, DENY, LOGIN)
SEE_GO = expect(GO, GO, GO, DENY, DENY, DENY, DENY, LOGIN)
MANAGE = expect(OK, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN)


def published(region):
    from modig.surveys.tests.factories import make_round

    return {"pk": make_round(region.programme).pk}


def draft(region):
    from modig.surveys.tests.factories import make_round

    return {"pk": make_round(region.programme, published=False).pk}


def tjorn_only(region):
    from modig.surveys.tests.factories import make_round

    round_ = make_round(region.programme)
    round_.municipalities.set([region.tjorn])
    return {"pk": round_.pk}


def opt_out_token(region):
    from modig.surveys.tests.factories import make_invitation, make_round

    _invitation, token, _code = make_invitation(make_round(region.programme), region.anna)
    return {"token": token}


RULES = {
    "surveys:round-list": [Case(SEE)],
    "surveys:round-create": [Case(MANAGE)],
    "surveys:round-detail": [
        Case(SEE, kwargs=published, label="everywhere"),
        Case(expect(OK, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN), kwargs=tjorn_only,
             label="other-municipality"),
        Case(expect(OK, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN), kwargs=draft,
             label="draft"),
    ],
    "surveys:round-edit": [
        Case(expect(OK, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN), kwargs=draft,
             label="draft"),
        Case(MANAGE, kwargs=published, label="published"),
    ],
    "surveys:round-publish": [
        Case(expect(GO, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN), kwargs=draft,
             method="post"),
    ],
    "surveys:round-close": [
        Case(expect(GO, DENY, DENY, DENY, DENY, DENY, DENY, LOGIN), kwargs=published,
             method="post", data={"confirm": "yes"}),
    ],
    "surveys:round-remind": [
        Case(expect(GO, GO, DENY, DENY, DENY, DENY, DENY, LOGIN), kwargs=published,
             method="post", data={"municipality": "1440"}),
    ],
    "surveys:round-letters": [
        Case(SEE, kwargs=published, label="published"),
        Case(expect(HIDE, HIDE, HIDE, DENY, DENY, DENY, DENY, LOGIN), kwargs=draft,
             label="draft"),
    ],
    "surveys:round-letters-pdf": [
        Case(SEE_GO, kwargs=published, label="no-place-chosen"),
        Case(expect(GO, GO, HIDE, DENY, DENY, DENY, DENY, LOGIN), kwargs=published,
             data={"kommun": "1440"}, label="municipality"),
    ],
    "surveys:opt-out": [Case(everyone(HIDE))],
    "surveys:opt-out-link": [
        Case(everyone(GO), kwargs=opt_out_token, label="valid"),
        Case(everyone(HIDE), kwargs=lambda r: {"token": "no-such-token"}, label="unknown"),
    ],
}
