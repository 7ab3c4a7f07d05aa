"""An application's page makes at most 15 queries (issue 10), for staff and for its applicants, and as many for an
application of many programs, partners, answers and files in a round of many applications as for a small one."""

import pytest
from django.urls import reverse

from grants.applications.models import Application, NarrativeResponse
from tests.factories import (
    ApplicationFactory,
    AttachmentFactory,
    CriterionFactory,
    PartnerCommitmentFactory,
    ProgramOfStudyFactory,
    RequiredAttachmentFactory,
    lead_of,
    submittable_application,
)

pytestmark = pytest.mark.django_db

MOST = 15


def _grow(application: Application, count: int) -> None:
    """`count` more programs, partners, criteria answered, required files uploaded, and applications in the round."""
    round_ = application.round
    for _ in range(count):
        ProgramOfStudyFactory(application=application)
        PartnerCommitmentFactory(application=application)
        criterion = CriterionFactory(round=round_)
        NarrativeResponse.objects.create(application=application, criterion=criterion, text="Our answer.")
        required = RequiredAttachmentFactory(round=round_)
        AttachmentFactory(application=application, required_attachment=required)
        ApplicationFactory(round=round_, status=Application.Status.SUBMITTED)


def _count_twice(client, application, django_assert_max_num_queries):
    url = reverse("applications:application", args=[application.pk])
    client.get(url)  # the session's first request writes it
    with django_assert_max_num_queries(MOST) as small:
        assert client.get(url).status_code == 200
    _grow(application, 6)
    client.get(url)  # the round's new criteria and required attachments, read once (grants/programs/published.py)
    with django_assert_max_num_queries(MOST) as large:
        response = client.get(url)
    assert response.status_code == 200
    return small, large, response


def test_staff_see_an_application_in_at_most_15_queries_however_large(
    client, staff_user, django_assert_max_num_queries
):
    application = submittable_application()
    client.force_login(staff_user)

    small, large, response = _count_twice(client, application, django_assert_max_num_queries)

    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.content.decode().count("check-met") >= 8  # the sections and checks are all there


def test_its_applicants_see_it_in_at_most_15_queries_however_large(client, django_assert_max_num_queries):
    application = submittable_application()
    client.force_login(lead_of(application))

    small, large, response = _count_twice(client, application, django_assert_max_num_queries)

    assert len(large.captured_queries) == len(small.captured_queries)
    assert "Submit application" in response.content.decode()
