"""Two requests of the same person at the same moment: one response, one submit (issue 4,
"The final submit is idempotent"). Real threads with their own database connections."""

import pytest

from conftest import run_at_once
from modig.surveys import answering
from modig.surveys.models import Invitation, Response
from modig.surveys.tests.factories import make_invitation, make_round

pytestmark = pytest.mark.usefixtures("concurrent_db")


def _together(work, count: int = 2) -> list:
    """Run `work` in `count` threads released at the same moment; their results."""
    results = run_at_once(*[work] * count)
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    return results


def test_two_first_starts_at_once_make_one_response(region):
    round_ = make_round(region.programme)
    invitation, _token, _code = make_invitation(round_, region.anna)

    def begin():
        return answering.start_response(answering.load_invitation(invitation.pk)).pk

    ids = _together(begin)
    assert ids[0] == ids[1]
    assert Response.objects.count() == 1


def test_two_submits_at_once_submit_once(region):
    round_ = make_round(region.programme)
    invitation, _token, _code = make_invitation(round_, region.anna)
    answering.start_response(answering.load_invitation(invitation.pk))

    def send():
        loaded = answering.load_invitation(invitation.pk)
        return answering.submit_response(loaded, loaded.response)

    assert sorted(_together(send)) == [False, True]
    assert Response.objects.filter(submitted_at__isnull=False).count() == 1
    assert Invitation.objects.get().submitted_at is not None
