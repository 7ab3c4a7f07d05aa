"""The scoring page: the frozen snapshot on the left, the rubric form on the right."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.applications.services.snapshot import build_snapshot
from grants.reviews.models import Assignment

from ..factories import AssignmentFactory, AttachmentFactory, CriterionFactory


@pytest.fixture
def assignment(db):
    assignment = AssignmentFactory(status=Assignment.Status.ACCEPTED)
    application = assignment.application
    CriterionFactory(round=application.round, name="Regional need", description="Labor-market evidence.")
    application.summary = "Pathways into allied health from grade 9 to an associate degree."
    application.save()
    submission = application.submissions.get()
    submission.data = build_snapshot(application, submitted_at=timezone.now())
    submission.save()
    return assignment


def test_it_shows_the_submitted_snapshot_beside_the_rubric(client, assignment):
    application = assignment.application
    application.summary = "Changed after submission: must not be shown."
    application.save()
    client.force_login(assignment.reader)

    html = client.get(reverse("reviews:review", args=[assignment.pk])).content.decode()

    assert "Pathways into allied health from grade 9 to an associate degree." in html
    assert "Changed after submission" not in html
    assert html.index('id="snapshot-heading"') < html.index('id="review-form"')
    assert 'class="col-lg-7"' in html and 'class="col-lg-5"' in html
    assert "Score for Regional need (0 to 20)" in html
    assert "Labor-market evidence." in html
    assert "review-form.js" in html


def test_a_snapshot_without_the_standard_shape_is_still_shown_in_full(client, assignment):
    submission = assignment.application.submissions.get()
    submission.data = {"title": "Old-style snapshot", "narratives": [{"criterion": "Need", "text": "Old answer."}]}
    submission.save()
    client.force_login(assignment.reader)

    html = client.get(reverse("reviews:review", args=[assignment.pk])).content.decode()

    assert "Old-style snapshot" in html
    assert "Old answer." in html


def test_the_half_point_setting_is_explained_next_to_each_score(client, assignment):
    round_ = assignment.application.round
    round_.half_points = True
    round_.save()
    criterion = round_.criteria.get()
    criterion.weight = Decimal("1.5")
    criterion.save()
    client.force_login(assignment.reader)

    html = client.get(reverse("reviews:review", args=[assignment.pk])).content.decode()

    assert "Use whole or half points (e.g. 14 or 14.5). Weight 1.5." in html
    assert 'data-half-points="true"' in html


def test_the_reader_opens_the_applications_files_from_the_page(client, assignment):
    application = assignment.application
    attachment = AttachmentFactory(application=application, original_name="consortium-agreement.pdf")
    submission = application.submissions.get()
    submission.data = build_snapshot(application, submitted_at=timezone.now())
    submission.save()
    client.force_login(assignment.reader)

    html = client.get(reverse("reviews:review", args=[assignment.pk])).content.decode()
    link = reverse("reviews:attachment", args=[assignment.pk, attachment.pk])

    assert f'<a href="{link}">consortium-agreement.pdf</a>' in html
    assert reverse("applications:attachment", args=[application.pk, attachment.pk]) not in html
    assert client.get(link).status_code == 200
