"""Applications shared by several modules of this folder: drafts, submitted ones, screened submissions."""

from datetime import UTC, datetime

import pytest

from grants.applications.services import submission as service
from grants.applications.services.screening import screen

from ..factories import (
    ApplicationFactory,
    FundingCategoryFactory,
    OpenRoundFactory,
    SubmissionFactory,
    SubmittedApplicationFactory,
    UserFactory,
    contact_of,
    lead_of,
    submittable_application,
)


@pytest.fixture
def application():
    """A draft in an open round whose grant years are 2026-27 and 2027-28."""
    return ApplicationFactory(round=OpenRoundFactory(grant_start_year=2026, grant_years=2))


@pytest.fixture
def editor(client, application):
    """A contact of the consortium of `application`, signed in on `client`."""
    user = contact_of(application.consortium)
    client.force_login(user)
    return user


@pytest.fixture
def submitted():
    """A submittable application, submitted by its lead contact."""
    application = submittable_application()
    service.submit_application(application=application, by=lead_of(application))
    return application


@pytest.fixture
def withdrawn():
    """A submittable application, withdrawn (as a draft) by its lead contact."""
    application = submittable_application()
    service.withdraw_application(application=application, by=lead_of(application))
    return application


@pytest.fixture
def failed():
    """A screened submission whose only failed check is completeness."""
    submission = SubmissionFactory(application__complete=False)
    screen(submission_id=submission.pk)
    return submission


@pytest.fixture
def category(round_):
    """The funding category "Up to $1 million" of the module's `round_`."""
    return FundingCategoryFactory(round=round_, name="Up to $1 million")


@pytest.fixture
def make_submitted(round_, category):
    """Make a submitted application of `round_` in `category` with its submission (screened unless told otherwise)."""
    # One person submits them all: hashing a password per row would make these tests crawl.
    author = UserFactory()

    def make(round_=round_, category=category, screened=True, submitted_at=None, **fields):
        application = SubmittedApplicationFactory(round=round_, category=category, created_by=author, **fields)
        submission = SubmissionFactory(application=application, submitted_at=submitted_at or datetime.now(UTC))
        if screened:
            screen(submission_id=submission.pk)
        return application

    return make
