"""Counts are written as amounts are, with thousands separators ("2,000 applications match."), on every page:
|intcomma is a builtin of every template, like |money."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse

from grants.applications.services import submission
from tests.factories import lead_of, submittable_application


def test_intcomma_needs_no_load_in_any_template():
    assert Template("{{ n|intcomma }} of {{ total|intcomma }}").render(Context({"n": 1890, "total": 16349})) == (
        "1,890 of 16,349"
    )


def test_a_list_says_how_many_match_with_separators():
    page = SimpleNamespace(paginator=SimpleNamespace(count=16349))
    html = render_to_string("includes/filter_form.html", {"page": page, "filter": SimpleNamespace(form=[])})
    assert "16,349 applications match." in html


@pytest.mark.django_db
def test_a_submitted_copy_writes_the_students_served_with_separators(client, staff_user):
    application = submittable_application()
    application.students_served = 2874
    application.save(update_fields=["students_served"])
    submission.submit_application(application=application, by=lead_of(application))
    client.force_login(staff_user)

    page = client.get(reverse("applications:submission", args=[application.pk])).content.decode()

    assert 'Students served</dt><dd class="col-sm-9">2,874</dd>' in page
