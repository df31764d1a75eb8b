"""Two requests of the same person at the same moment: one response, one submit (issue 4,
"The final submit is idempotent"). Real threads with their own database connections."""

import threading

import pytest
from django.db import connection

from modig.surveys import answering
from modig.surveys.models import Invitation, Response
from modig.surveys.tests.factories import make_invitation, make_round


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """The flush after each transactional test drops the data migrations' rows: load them."""
    from modig.competence.reference import load_digcomp
    from modig.organisation.reference import load_reference_data

    load_reference_data()
    load_digcomp()


def _together(work, count: int = 2) -> list:
    """Run `work` in `count` threads released at the same moment; their results."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
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
