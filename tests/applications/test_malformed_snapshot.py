"""A submitted snapshot stored by an older version of the site, or altered since, still shows on every page that
reads it (issue 10): with what it has, never a server error. bench/pages.py --malformed checks the same over HTTP."""

import copy

import pytest
from django.urls import reverse

from grants.applications.models import Submission
from grants.applications.services import snapshot
from grants.applications.services import submission as service
from grants.applications.services.screening import screen
from grants.reviews.models import Assignment
from tests.factories import AssignmentFactory, UserFactory, lead_of, submittable_application

pytestmark = pytest.mark.django_db


def _without(*keys):
    return lambda data: {k: v for k, v in data.items() if k not in keys}


# The damage bench/pages_malformed.py does, and what each page must still show of it.
DAMAGE = {
    "no round": (_without("round"), "Capital Region Health Pathways"),
    "no consortium, category, budget or partners": (
        _without("consortium", "category", "budget", "partners"),
        "Capital Region Health Pathways",
    ),
    "the flat format of early versions": (
        lambda data: {
            "number": data["application"]["number"],
            "title": "Pathways of an older format",
            "requested_amount": data["requested_amount"],
            "programs": ["Health Science pathway"],
        },
        "Pathways of an older format",
    ),
    "parts of the wrong types": (
        lambda data: {
            **data,
            "submitted_at": "last Tuesday",
            "round": {"name": "Round 1"},
            "partners": None,
            "budget": "see the workbook",
            "narratives": {"text": 1},
            "attachments": [{"id": 1}],
        },
        "see the workbook",
    ),
    "nothing at all": (lambda data: {}, ""),
}


@pytest.fixture
def damaged(request):
    """A submitted, screened application read by a reader, whose stored snapshot is then damaged."""
    application = submittable_application()
    submission = service.submit_application(application=application, by=lead_of(application))
    screen(submission_id=submission.pk)
    reader = UserFactory(role="Readers")
    assignment = AssignmentFactory(application=application, reader=reader, status=Assignment.Status.ACCEPTED)
    change, shown = DAMAGE[request.param]
    Submission.objects.filter(pk=submission.pk).update(data=change(copy.deepcopy(submission.data)))
    return submission, assignment, shown


def _pages(submission, assignment) -> list[tuple[str, str]]:
    application = submission.application
    return [
        ("staff", reverse("applications:submission", args=[application.pk])),
        ("staff", reverse("applications:submission-screening", args=[submission.pk])),
        ("staff", reverse("applications:application", args=[application.pk])),
        ("applicant", reverse("applications:submission", args=[application.pk])),
        ("applicant", reverse("applications:application", args=[application.pk])),
        ("reader", reverse("reviews:review", args=[assignment.pk])),
    ]


@pytest.mark.parametrize("damaged", list(DAMAGE), indirect=True)
def test_every_page_that_reads_a_damaged_snapshot_shows_what_it_has(client, staff_user, damaged):
    submission, assignment, shown = damaged
    people = {"staff": staff_user, "applicant": lead_of(submission.application), "reader": assignment.reader}

    for who, url in _pages(submission, assignment):
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, (who, url)
        if "submission" in url and "screening" not in url:
            assert shown in response.content.decode(), (who, url)


def test_a_snapshot_of_the_standard_shape_is_read_through_the_page_layout(client, staff_user):
    application = submittable_application()
    submission = service.submit_application(application=application, by=lead_of(application))
    client.force_login(staff_user)

    response = client.get(reverse("applications:submission", args=[application.pk]))

    assert response.context["snapshot"]["round"]["closes_at"] is not None  # read as a time
    assert response.context["snapshot_outline"] == []
    assert snapshot.readable_snapshot(submission.data) is not None


def test_a_damaged_snapshot_is_shown_part_by_part_as_stored():
    data = {"title": "Old title", "programs": ["Health", "Energy"], "budget": {"2014-15": None}}

    assert snapshot.readable_snapshot(data) is None
    assert snapshot.outline(data)["children"] == [
        {"label": "Title", "text": "Old title"},
        {"label": "Programs", "children": [{"label": "1.", "text": "Health"}, {"label": "2.", "text": "Energy"}]},
        {"label": "Budget", "children": [{"label": "2014-15", "text": ""}]},
    ]
