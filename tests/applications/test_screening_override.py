"""Staff accept a failed screening check with a reason; the submission's result is worked out again."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.applications.models import Application, Submission
from grants.applications.services.screening import override_check, screen
from grants.models import StatusChange
from tests.factories import PASSWORD, SubmissionFactory

pytestmark = pytest.mark.django_db


def _url(check):
    return reverse("applications:override-check", args=[check.pk])


def test_an_override_records_who_when_and_why_and_flips_the_result(failed, staff_user):
    check = failed.checks.get(key="complete")

    override_check(check=check, by=staff_user, reason="  Partner chart arrived by mail on time.  ")

    check.refresh_from_db()
    assert check.overridden_by == staff_user
    assert check.overridden_at is not None
    assert check.override_reason == "Partner chart arrived by mail on time."
    assert check.is_satisfied
    failed.refresh_from_db()
    assert failed.screening == Submission.Screening.PASSED
    change = StatusChange.objects.filter(object_id=failed.pk).latest("pk")
    assert (change.from_status, change.to_status, change.by) == ("failed", "passed", staff_user)
    assert change.reason == "Partner chart arrived by mail on time."


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_an_override_needs_a_reason(failed, staff_user, reason):
    check = failed.checks.get(key="complete")

    with pytest.raises(Refusal, match="Give a reason"):
        override_check(check=check, by=staff_user, reason=reason)

    check.refresh_from_db()
    assert check.overridden_at is None
    assert Submission.objects.get(pk=failed.pk).screening == Submission.Screening.FAILED


def test_the_result_stays_failed_while_another_check_fails(staff_user):
    submission = SubmissionFactory(application__complete=False, application__requested_amount=Decimal("9000000"))
    screen(submission_id=submission.pk)

    override_check(check=submission.checks.get(key="complete"), by=staff_user, reason="Received on paper.")

    assert Submission.objects.get(pk=submission.pk).screening == Submission.Screening.FAILED


def test_a_passed_check_cannot_be_overridden(failed, staff_user):
    with pytest.raises(Refusal, match="nothing to override"):
        override_check(check=failed.checks.get(key="lead_agency"), by=staff_user, reason="Why not.")


def test_a_check_is_overridden_only_once(failed, staff_user, admin_user):
    check = failed.checks.get(key="complete")
    override_check(check=check, by=staff_user, reason="First.")

    with pytest.raises(Refusal, match="already overridden"):
        override_check(check=check, by=admin_user, reason="Second.")
    check.refresh_from_db()
    assert check.overridden_by == staff_user


def test_a_check_of_a_withdrawn_application_cannot_be_overridden(failed, staff_user):
    Application.objects.filter(pk=failed.application_id).update(status=Application.Status.WITHDRAWN)

    with pytest.raises(Refusal, match="no longer current"):
        override_check(check=failed.checks.get(key="complete"), by=staff_user, reason="Too late.")


def test_staff_override_a_check_from_the_screening_page(client, failed, staff_user):
    check = failed.checks.get(key="complete")
    client.force_login(staff_user)

    response = client.post(_url(check), {f"check-{check.pk}-reason": "Partner chart received by mail."})

    assert response.status_code == 302
    assert response.url == reverse("applications:submission-screening", args=[failed.pk])
    check.refresh_from_db()
    assert check.override_reason == "Partner chart received by mail."
    page = client.get(response.url).content.decode()
    assert "Failed, accepted by staff" in page
    assert "Partner chart received by mail." in page
    assert "Passed" in page


def test_a_blank_reason_is_refused_next_to_the_field(client, failed, staff_user):
    check = failed.checks.get(key="complete")
    client.force_login(staff_user)

    response = client.post(_url(check), {f"check-{check.pk}-reason": ""})

    assert response.status_code == 200
    form = next(c for c in response.context["checks"] if c.pk == check.pk).override_form
    assert form.errors["reason"] == ["Give a reason for the override; it is kept in the record."]
    assert f'id="error_1_id_check-{check.pk}-reason"' in response.content.decode()
    check.refresh_from_db()
    assert check.overridden_at is None


def test_a_refused_override_keeps_what_was_typed(client, failed, staff_user):
    check = failed.checks.get(key="lead_agency")  # passed: nothing to override
    client.force_login(staff_user)

    response = client.post(_url(check), {f"check-{check.pk}-reason": "My careful reasoning."})

    assert response.status_code == 200
    assert "This check passed; there is nothing to override." in response.content.decode()
    assert "My careful reasoning." in response.content.decode()


@pytest.mark.parametrize("role", ["applicant_user", "reader_user"])
def test_only_staff_may_override(client, failed, role, request):
    check = failed.checks.get(key="complete")
    client.force_login(request.getfixturevalue(role))

    assert client.post(_url(check), {f"check-{check.pk}-reason": "Let me in."}).status_code == 403
    check.refresh_from_db()
    assert check.overridden_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client, failed):
    check = failed.checks.get(key="complete")

    response = client.post(_url(check), {f"check-{check.pk}-reason": "Hello."})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_check_is_not_found(client, staff_user):
    client.force_login(staff_user)

    assert client.post(reverse("applications:override-check", args=[999999]), {}).status_code == 404


def test_overriding_is_a_post(client, failed, staff_user):
    client.force_login(staff_user)

    assert client.get(_url(failed.checks.get(key="complete"))).status_code == 405


def test_a_contact_of_the_consortium_still_cannot_override(client, failed):
    lead = failed.application.consortium.contacts.create(user=failed.submitted_by, role="lead").user
    check = failed.checks.get(key="complete")
    client.login(email=lead.email, password=PASSWORD)

    assert client.post(_url(check), {f"check-{check.pk}-reason": "Ours."}).status_code == 403
