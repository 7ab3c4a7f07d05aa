"""The overview page's attachments summary (_attachments_summary.html): uploaded or missing, in words."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from grants.programs.published import published_parts
from tests.factories import RequiredAttachmentFactory, submittable_application

pytestmark = pytest.mark.django_db


def render(application, can_edit=True):
    required = published_parts(application.round).required_attachments
    files = list(application.attachments.all())
    context = {"application": application, "required_attachments": required, "files": files, "can_edit": can_edit}
    return render_to_string("applications/_attachments_summary.html", context)


def test_it_says_which_required_attachments_are_uploaded_and_which_are_missing():
    application = submittable_application()
    RequiredAttachmentFactory(round=application.round, name="Budget workbook", position=5)

    html = render(application)

    assert "Consortium agreement (signed): <strong>uploaded</strong>" in html
    assert "Budget workbook: <strong>missing</strong>" in html


def test_another_applications_file_does_not_count():
    application = submittable_application()
    other = submittable_application(round=application.round)
    application.attachments.all().delete()

    html = render(application)

    assert other.attachments.exists()
    assert "Consortium agreement (signed): <strong>missing</strong>" in html


def test_it_links_to_the_attachments_page_for_editing_or_reading():
    application = submittable_application()
    url = reverse("applications:attachments", args=[application.pk])

    assert f'href="{url}">Upload, replace or delete attachments</a>' in render(application, can_edit=True)
    assert f'href="{url}">View the attachments</a>' in render(application, can_edit=False)
