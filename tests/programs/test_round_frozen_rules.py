"""Once a round has opened its rules are frozen: shown read-only with the reason, never saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants import workflow
from grants.programs.models import FundingCategory, Round
from grants.programs.services import save_round_rows, save_round_settings

from ..factories import configured_round

pytestmark = pytest.mark.django_db
S = Round.Status
EDIT_PAGES = ["round-edit", "round-categories", "round-rubric", "round-priorities", "round-required-attachments"]


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_an_open_rounds_rules_are_shown_read_only_with_the_reason(client, admin_user, page):
    round_ = configured_round(status=S.OPEN)
    client.force_login(admin_user)
    response = client.get(reverse(f"programs:{page}", args=[round_.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "These rules cannot be edited now." in html
    assert "is open for applications, so its rules are frozen" in html
    assert "can return it to draft (with a reason)" in html
    assert "Large" in html and "Need" in html  # its categories and rubric, read-only
    assert "TOTAL_FORMS" not in html
    assert "Save settings" not in html


@pytest.mark.parametrize("status", [S.CLOSED, S.IN_REVIEW, S.DECIDED, S.CLOSED_OUT])
def test_rules_stay_frozen_after_closing(client, admin_user, status):
    round_ = configured_round(status=status)
    client.force_login(admin_user)
    html = client.get(reverse("programs:round-edit", args=[round_.pk])).content.decode()
    assert f"is {round_.get_status_display().lower()}, so its rules are frozen" in html


def test_posting_settings_to_an_open_round_changes_nothing(client, admin_user):
    round_ = configured_round(status=S.OPEN, funds_available=Decimal("10000000.00"))
    client.force_login(admin_user)
    response = client.post(
        reverse("programs:round-edit", args=[round_.pk]), {"name": "Changed", "funds_available": "1"}, follow=True
    )
    round_.refresh_from_db()
    assert round_.name != "Changed"
    assert round_.funds_available == Decimal("10000000.00")
    assert "Nothing was saved." in response.content.decode()


def test_posting_rows_to_an_open_round_changes_nothing(client, admin_user):
    round_ = configured_round(status=S.OPEN)
    category = round_.categories.get()
    client.force_login(admin_user)
    client.post(
        reverse("programs:round-categories", args=[round_.pk]),
        {
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "1",
            "rows-0-id": category.pk,
            "rows-0-name": "Renamed",
            "rows-0-maximum_award": "5",
            "rows-0-planned_grants": "1",
            "rows-0-DELETE": "on",
        },
    )
    assert FundingCategory.objects.filter(pk=category.pk, name="Large").exists()


def test_the_services_refuse_changes_to_an_open_round():
    round_ = configured_round(status=S.OPEN)
    round_.name = "Changed"
    with pytest.raises(Refusal):
        save_round_settings(round_=round_, by=None)
    with pytest.raises(Refusal):
        save_round_rows(round_=round_, changed=[], deleted=list(round_.categories.all()), by=None)
    assert round_.categories.count() == 1
    assert Round.objects.get(pk=round_.pk).name != "Changed"


def test_returning_a_round_to_draft_with_a_reason_makes_it_editable_again(client, admin_user):
    round_ = configured_round(status=S.OPEN)
    workflow.transition(round_, S.DRAFT, by=admin_user, reason="The rubric had a typo.")
    client.force_login(admin_user)
    html = client.get(reverse("programs:round-edit", args=[round_.pk])).content.decode()
    assert "These rules cannot be edited now." not in html
    assert "Save settings" in html


def test_the_round_page_explains_the_freeze_to_administrators(client, admin_user):
    round_ = configured_round(status=S.OPEN)
    client.force_login(admin_user)
    html = client.get(round_.get_absolute_url()).content.decode()
    assert "so its rules are frozen" in html
    assert "Edit settings" not in html
    assert "Edit funding categories" not in html
