"""The Django admin for grants: useful lists, and the same rules as the site (frozen rules, no status edits)."""

import pytest
from django.urls import reverse

from grants import workflow
from grants.programs.models import Round

from ..factories import ApplicationFactory, UserFactory, configured_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "programs_program",
        "programs_appropriation",
        "programs_round",
        "applications_letterofintent",
        "grants_statuschange",
        "applications_application",
        "applications_submission",
    ],
)
def test_every_grants_list_in_the_admin_opens(superuser_client, model):
    round_ = configured_round()
    workflow.transition(round_, Round.Status.OPEN, by=UserFactory(role="Administrators"))
    ApplicationFactory(round=round_, category=round_.categories.get())
    response = superuser_client.get(reverse(f"admin:{model}_changelist"), {"q": "a"})
    assert response.status_code == 200


def test_a_draft_rounds_rows_are_edited_inline(superuser_client):
    round_ = configured_round()
    html = superuser_client.get(reverse("admin:programs_round_change", args=[round_.pk])).content.decode()
    for prefix in ["categories", "criteria", "priorities", "required_attachments"]:
        assert f'name="{prefix}-TOTAL_FORMS"' in html
    assert 'name="eligible_lead_kinds"' in html and 'type="checkbox"' in html
    assert 'name="_save"' in html


def test_an_open_round_is_read_only_in_the_admin_too(superuser_client):
    round_ = configured_round(status=Round.Status.OPEN, name="Open round")
    url = reverse("admin:programs_round_change", args=[round_.pk])
    html = superuser_client.get(url).content.decode()
    assert 'name="_save"' not in html
    assert 'name="categories-0-name"' not in html
    assert "Large" in html  # the category is shown, read-only
    assert superuser_client.post(url, {"name": "Changed"}).status_code == 403
    round_.refresh_from_db()
    assert round_.name == "Open round"


def test_the_status_record_cannot_be_added_to_or_changed_in_the_admin(superuser_client):
    round_ = configured_round()
    change = workflow.transition(round_, Round.Status.OPEN, by=UserFactory(role="Administrators"))
    assert superuser_client.get(reverse("admin:grants_statuschange_add")).status_code == 403
    url = reverse("admin:grants_statuschange_change", args=[change.pk])
    assert superuser_client.post(url, {"reason": "rewritten"}).status_code == 403
    assert superuser_client.post(reverse("admin:grants_statuschange_delete", args=[change.pk])).status_code == 403
