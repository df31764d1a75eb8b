"""A double click on "Confirm" (two requests at the same moment) enrols everyone once.
Real threads with their own database connections and transactions."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from modig.surveys.tests.factories import make_round
from modig.training import grouping
from modig.training.models import Enrolment
from modig.training.tests.factories import make_course, make_session, meeting


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """The flush after each transactional test drops the data migrations' rows: load them."""
    from modig.competence.reference import load_digcomp
    from modig.organisation.reference import load_reference_data

    load_reference_data()
    load_digcomp()


def _together(*works) -> list:
    """Run each work in its own thread, released at the same moment; results or errors."""
    barrier = threading.Barrier(len(works))
    results = [None] * len(works)

    def run(index, work):
        try:
            barrier.wait()
            results[index] = work()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_confirmations_at_once_enrol_everyone_once(region):
    course = make_course(region.programme)
    make_session(course, meetings=[meeting(timezone.localdate() + datetime.timedelta(days=9))])
    proposal = grouping.propose_groups(course, survey_round=make_round(region.programme),
                                       municipality=region.ale, by=None)
    results = _together(lambda: grouping.confirm_proposal(proposal, by=None),
                        lambda: grouping.confirm_proposal(proposal, by=None))
    assert sorted(results) == [False, True]
    assert Enrolment.objects.count() == 3  # Anna, Bertil and Dana, once each
