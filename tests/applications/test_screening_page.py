"""The staff page of one submission: its checks, their details, override forms and history."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from grants.applications.models import Application
from grants.applications.services.screening import override_check

pytestmark = pytest.mark.django_db


def _page(client, submission):
    return client.get(reverse("applications:submission-screening", args=[submission.pk]))


def test_staff_see_every_check_with_its_detail(client, failed, staff_user):
    client.force_login(staff_user)

    response = _page(client, failed)

    assert response.status_code == 200
    page = response.content.decode()
    for check in failed.checks.all():
        assert escape(check.label) in page
        assert escape(check.detail) in page
    assert "Incomplete: Programs of study, Partners" in page
    assert failed.checksum in page


def test_only_failed_checks_offer_an_override_form(client, failed, staff_user):
    client.force_login(staff_user)

    checks = _page(client, failed).context["checks"]

    with_form = [c.key for c in checks if getattr(c, "override_form", None)]
    assert with_form == ["complete"]


def test_the_override_history_shows_who_when_and_why(client, failed, staff_user):
    override_check(check=failed.checks.get(key="complete"), by=staff_user, reason="Partner chart arrived by mail.")
    client.force_login(staff_user)

    response = _page(client, failed)

    page = response.content.decode()
    assert [c.override_reason for c in response.context["overrides"]] == ["Partner chart arrived by mail."]
    assert str(staff_user) in page
    assert "Override history" in page
    assert [(c.from_status, c.to_status) for c in response.context["result_changes"]] == [
        ("pending", "failed"),
        ("failed", "passed"),
    ]
    assert not any(getattr(c, "override_form", None) for c in response.context["checks"])


def test_a_superseded_submission_says_so_and_offers_no_override(client, failed, staff_user):
    failed.is_current = False
    failed.save()
    client.force_login(staff_user)

    response = _page(client, failed)

    assert "a later one replaced it" in response.content.decode()
    assert not any(getattr(c, "override_form", None) for c in response.context["checks"])


def test_a_withdrawn_application_says_so_and_offers_no_override(client, failed, staff_user):
    Application.objects.filter(pk=failed.application_id).update(status=Application.Status.WITHDRAWN)
    client.force_login(staff_user)

    response = _page(client, failed)

    assert "the application is withdrawn now" in response.content.decode()
    assert not any(getattr(c, "override_form", None) for c in response.context["checks"])


@pytest.mark.parametrize("role", ["applicant_user", "reader_user"])
def test_applicants_and_readers_are_refused(client, failed, role, request):
    client.force_login(request.getfixturevalue(role))

    assert _page(client, failed).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, failed):
    response = _page(client, failed)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_submission_is_not_found(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("applications:submission-screening", args=[424242])).status_code == 404
