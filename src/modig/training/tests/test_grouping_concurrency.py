"""A double click on "Confirm" (two requests at the same moment) enrols everyone once.
Real threads with their own database connections and transactions."""

import datetime

import pytest
from django.utils import timezone

from conftest import run_at_once
from modig.surveys.tests.factories import make_round
from modig.training import grouping
from modig.training.models import Enrolment
from modig.training.tests.factories import make_course, make_session, meeting

pytestmark = pytest.mark.usefixtures("concurrent_db")


def test_two_confirmations_at_once_enrol_everyone_once(region):
    course = make_course(region.programme)
    make_session(course, meetings=[meeting(timezone.localdate() + datetime.timedelta(days=9))])
    proposal = grouping.propose_groups(course, survey_round=make_round(region.programme),
                                       municipality=region.ale, by=None)
    results = run_at_once(lambda: grouping.confirm_proposal(proposal, by=None),
                        lambda: grouping.confirm_proposal(proposal, by=None))
    assert sorted(results) == [False, True]
    assert Enrolment.objects.count() == 3  # Anna, Bertil and Dana, once each
