"""Who sees what: the lead contact its own appeals; program staff every appeal of a round; administrators the
round's settings; readers, partner contacts and other consortia nothing."""

import pytest
from django.urls import reverse

from grants.appeals import services
from tests.factories import ConsortiumFactory, UserFactory, contact_of

from .conftest import GROUND

pytestmark = pytest.mark.django_db


@pytest.fixture
def appeal(application, lead):
    return services.file_appeal(application=application, by=lead, grounds=[GROUND], statement="Scored wrongly.")


@pytest.mark.parametrize(
    "who, appeal_page, round_page, settings_page",
    [
        ("lead", 200, 403, 403),
        ("staff", 200, 200, 403),
        ("administrator", 200, 200, 200),
        ("reader", 403, 403, 403),
        ("partner", 403, 403, 403),
        ("other consortium", 403, 403, 403),
    ],
)
def test_the_permission_matrix(client, appeal, lead, assignment, who, appeal_page, round_page, settings_page):
    people = {
        "lead": lambda: lead,
        "staff": lambda: UserFactory(role="Program staff"),
        "administrator": lambda: UserFactory(role="Administrators"),
        "reader": lambda: assignment.reader,
        "partner": lambda: contact_of(appeal.application.consortium, role="partner"),
        "other consortium": lambda: contact_of(ConsortiumFactory()),
    }
    client.force_login(people[who]())
    round_pk = appeal.application.round_id
    assert client.get(reverse("appeals:appeal", args=[appeal.pk])).status_code == appeal_page
    assert client.get(reverse("appeals:round", args=[round_pk])).status_code == round_page
    assert client.get(reverse("appeals:settings", args=[round_pk])).status_code == settings_page


def test_staff_decide_on_the_appeal_page_and_the_lead_reads_the_outcome(client, appeal, lead):
    staff = UserFactory(role="Program staff")
    client.force_login(staff)
    page = client.get(reverse("appeals:round", args=[appeal.application.round_id])).content.decode()
    assert appeal.get_absolute_url() in page
    response = client.post(
        appeal.get_absolute_url(),
        {"decision": "upheld", "remedy": "new_reading", "reasons": "Reader 2 used an old rubric."},
        follow=True,
    )
    assert "Appeal upheld." in response.content.decode()

    client.force_login(lead)
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert "Reader 2 used an old rubric." in page and "Re-open the review" in page
    assert "Record the decision" not in page


def test_an_administrator_edits_the_rounds_grounds(client, application):
    admin = UserFactory(role="Administrators")
    client.force_login(admin)
    url = reverse("appeals:settings", args=[application.round_id])
    response = client.post(
        url, {"takes_appeals": "on", "window_days": "14", "grounds": "Procedural error\n\nBias\n"}, follow=True
    )
    assert "Appeal settings saved." in response.content.decode()
    assert services.settings_of(application.round).grounds_list == ["Procedural error", "Bias"]
    assert services.settings_of(application.round).independent_decider is False
