from datetime import timedelta

import pytest
from django.utils import timezone

from grants.appeals.models import AppealSettings
from grants.programs.models import Round
from tests.factories import AssignmentFactory, UserFactory, contact_of


@pytest.fixture
def assignment(db):
    """A reader attested on a submitted application."""
    return AssignmentFactory(status="accepted")


@pytest.fixture
def application(assignment):
    """The application, its round in review with results published a day ago and taking appeals for 10 days."""
    application = assignment.application
    Round.objects.filter(pk=application.round_id).update(
        status=Round.Status.IN_REVIEW, results_published_at=timezone.now() - timedelta(days=1)
    )
    AppealSettings.objects.create(round=application.round, window_days=10)
    application.round.refresh_from_db()
    return application


@pytest.fixture
def lead(application):
    return contact_of(application.consortium)


@pytest.fixture
def staff(db):
    return UserFactory(role="Program staff")


GROUND = "Procedural error"
