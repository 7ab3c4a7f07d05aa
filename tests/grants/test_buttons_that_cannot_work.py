"""A button whose action would be refused now is shown disabled, with the reason next to it (aria-describedby),
never active: the round's "Open for applications", the funding plan's Swap, an application's Withdraw."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.applications.models import Application
from grants.applications.services.submission import submit_application
from grants.awards.services.plans import generate_plan
from grants.programs.models import Round
from tests.factories import (
    FundingCategoryFactory,
    RoundFactory,
    SubmittedApplicationFactory,
    configured_round,
    contact_of,
    lead_of,
    ranked_application,
    submittable_application,
)

pytestmark = pytest.mark.django_db


def _button(page: str, label: str) -> str:
    """The opening tag of the button labelled `label`."""
    found = re.search(r"<button(?P<attrs>[^>]*)>\s*" + re.escape(label) + r"\s*</button>", page)
    assert found, f"no button “{label}”"
    return found.group("attrs")


def _described_by(page: str, attrs: str) -> str:
    """The text of the elements a button's aria-describedby names, in order (each up to its first </div>, tags
    dropped)."""
    texts = []
    for ident in re.search(r'aria-describedby="([^"]+)"', attrs).group(1).split():
        element = re.search(r'id="' + re.escape(ident) + r'"[^>]*>(.*?)</div>', page, re.S)
        assert element, f"aria-describedby names #{ident}, which is not on the page"
        texts.append(re.sub(r"<[^>]+>", " ", element.group(1)))
    return " ".join(texts)


def test_open_for_applications_is_disabled_with_what_blocks_it(client, admin_user):
    round_ = RoundFactory(closes_at=timezone.now() + timedelta(days=5))  # a draft without categories or rubric
    client.force_login(admin_user)

    page = client.get(round_.get_absolute_url()).content.decode()

    attrs = _button(page, "Open for applications")
    assert " disabled" in attrs
    assert "Add at least one funding category." in _described_by(page, attrs)


def test_open_for_applications_is_active_once_the_round_is_ready(client, admin_user):
    round_ = configured_round()
    assert round_.status == Round.Status.DRAFT and not round_.configuration_problems()
    client.force_login(admin_user)

    page = client.get(round_.get_absolute_url()).content.decode()

    attrs = _button(page, "Open for applications")
    assert "disabled" not in attrs and "aria-describedby" not in attrs
    assert client.post(reverse("programs:round-transition", args=[round_.pk]), {"target": "open"}).status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN


@pytest.fixture
def plan_round(db):
    round_ = RoundFactory(funds_available=Decimal("1000000.00"), status=Round.Status.IN_REVIEW)
    category = FundingCategoryFactory(round=round_, maximum_award=Decimal("600000.00"), planned_grants=3)
    return round_, category


def _plan_page(client, round_) -> str:
    return client.get(reverse("awards:plan", args=[round_.pk])).content.decode()


def test_swap_is_disabled_when_every_application_is_funded(client, staff_user, plan_round):
    round_, category = plan_round
    for rank in (1, 2):
        ranked_application(round_, category, rank, "400000.00")
    generate_plan(round_=round_, by=staff_user, last_application="skip")
    client.force_login(staff_user)

    page = _plan_page(client, round_)

    assert re.search(r"<fieldset disabled>\s*<legend[^>]*>Applications to swap", page)
    attrs = _button(page, "Swap")
    assert "Nothing to swap: every application in this plan is funded." in _described_by(page, attrs)


def test_swap_is_offered_when_there_is_a_funded_and_an_unfunded_application(client, staff_user, plan_round):
    round_, category = plan_round
    for rank in (1, 2, 3):
        ranked_application(round_, category, rank, "400000.00")  # the third does not fit in the money
    generate_plan(round_=round_, by=staff_user, last_application="skip")
    client.force_login(staff_user)

    page = _plan_page(client, round_)

    assert "<fieldset disabled>" not in page
    assert "aria-describedby" not in _button(page, "Swap")


@pytest.fixture
def past_deadline():
    """A submitted application whose round's deadline passed an hour ago."""
    application = submittable_application()
    submit_application(application=application, by=lead_of(application))
    Round.objects.filter(pk=application.round_id).update(
        closes_at=timezone.now() - timedelta(hours=1), status=Round.Status.CLOSED
    )
    return Application.objects.get(pk=application.pk)


def test_withdraw_is_disabled_after_the_deadline_with_the_reason(client, past_deadline):
    client.force_login(lead_of(past_deadline))

    page = client.get(past_deadline.get_absolute_url()).content.decode()

    attrs = _button(page, "Withdraw application")
    assert " disabled" in attrs
    assert "it can no longer be withdrawn" in _described_by(page, attrs)
    assert reverse("applications:application-withdraw", args=[past_deadline.pk]) not in page


def test_the_withdraw_page_after_the_deadline_says_why_instead_of_offering_a_form(client, past_deadline):
    client.force_login(lead_of(past_deadline))

    page = client.get(reverse("applications:application-withdraw", args=[past_deadline.pk])).content.decode()

    assert "cannot be withdrawn after the deadline" in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_withdraw_is_a_link_before_the_deadline(client):
    application = SubmittedApplicationFactory()
    client.force_login(contact_of(application.consortium))

    page = client.get(application.get_absolute_url()).content.decode()

    assert f'href="{reverse("applications:application-withdraw", args=[application.pk])}"' in page
    assert "it can no longer be withdrawn" not in page
