"""Who sees and does what with interviews: staff everything; a panel member their own panel's interviews only, and
scores one only while free of conflict; the finalist its slot (never scores); everyone else nothing."""

import pytest

from grants.interviews.models import SlotRequest
from tests.factories import AffiliationFactory, ConsortiumFactory, ContactFactory, UserFactory

from .setup import held_interview, interview_round, panel_of, scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    round_, (a, b, _) = interview_round()
    first, second = UserFactory(role="Readers"), UserFactory(role="Readers")
    mine = held_interview(a, panel_of(round_, first, name="One"), hours_ago=-48)
    theirs = held_interview(b, panel_of(round_, second, name="Two"), hours_ago=-72)
    scored(mine, first, "33")
    people = {
        "staff": UserFactory(role="Program staff"),
        "administrator": UserFactory(role="Administrators"),
        "member": first,
        "other panel's member": second,
        "reader": UserFactory(role="Readers"),
        "finalist": ContactFactory(consortium=a.consortium).user,
        "other applicant": ContactFactory(consortium=ConsortiumFactory()).user,
    }
    return round_, mine, theirs, people


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("administrator", 200),
        ("member", 200),
        ("other panel's member", 403),
        ("reader", 403),
        ("finalist", 200),
        ("other applicant", 403),
    ],
)
def test_the_interview_page(client, world, who, status):
    _, mine, _, people = world
    client.force_login(people[who])

    assert client.get(f"/interviews/{mine.pk}/").status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 403), ("member", 200), ("other panel's member", 403), ("finalist", 403), ("reader", 403)],
)
def test_the_scoring_page(client, world, who, status):
    _, mine, _, people = world
    client.force_login(people[who])

    assert client.get(f"/interviews/{mine.pk}/score/").status_code == status


def test_the_finalist_sees_the_slot_but_never_the_scores_nor_the_panel(client, world):
    _, mine, _, people = world
    client.force_login(people["finalist"])

    page = client.get(f"/interviews/{mine.pk}/").content.decode()

    assert "CDE, 1430 N Street" in page
    assert "33" not in page and "Panel members' scores" not in page and str(people["member"]) not in page


def test_staff_see_the_scores(client, world):
    _, mine, _, people = world
    client.force_login(people["staff"])

    assert "Panel members' scores" in client.get(f"/interviews/{mine.pk}/").content.decode()


def test_a_panel_member_lists_only_their_own_panels_interviews(client, world):
    _, mine, theirs, people = world
    client.force_login(people["member"])

    page = client.get("/interviews/mine/").content.decode()

    assert mine.finalist.application.number in page
    assert theirs.finalist.application.number not in page


def test_a_panel_member_found_in_conflict_is_refused(client, world):
    _, mine, _, people = world
    AffiliationFactory(user=people["member"], organization=mine.finalist.application.consortium.lead_agency)
    client.force_login(people["member"])

    assert client.get(f"/interviews/{mine.pk}/score/").status_code == 403


@pytest.mark.parametrize(
    ("who", "settings_status", "round_status"),
    [("administrator", 200, 200), ("staff", 403, 200), ("reader", 403, 403), ("finalist", 403, 403)],
)
def test_settings_are_the_administrators_and_the_round_page_staffs(client, world, who, settings_status, round_status):
    round_, _, _, people = world
    client.force_login(people[who])

    assert client.get(f"/rounds/{round_.pk}/interviews/settings/").status_code == settings_status
    assert client.get(f"/rounds/{round_.pk}/interviews/").status_code == round_status


@pytest.mark.parametrize(("who", "status"), [("finalist", 302), ("other applicant", 403), ("administrator", 403)])
def test_only_the_finalists_contacts_ask_for_another_slot(client, world, who, status):
    _, mine, _, people = world
    client.force_login(people[who])

    response = client.post(f"/interviews/{mine.pk}/another-slot/", {"reason": "Board meeting", "preferred": ""})

    assert response.status_code == status
    assert SlotRequest.objects.filter(interview=mine).exists() is (status == 302)


def test_a_request_without_a_reason_is_shown_again_with_the_message(client, world):
    _, mine, _, people = world
    client.force_login(people["finalist"])

    response = client.post(f"/interviews/{mine.pk}/another-slot/", {"reason": " ", "preferred": "Any Friday"})

    assert response.status_code == 422
    assert "Say why the slot does not suit." in response.content.decode()
    assert "Any Friday" in response.content.decode()


def test_a_panel_member_declares_a_conflict_and_can_no_longer_score(client, world):
    _, mine, _, people = world
    client.force_login(people["member"])

    client.post(f"/interviews/{mine.pk}/conflict/", {"reason": "My sister is the lead agency's director."})

    assert client.get(f"/interviews/{mine.pk}/score/").status_code == 403
    client.force_login(people["staff"])
    page = client.get(f"/interviews/{mine.pk}/").content.decode()
    assert "Conflicts of interest on this panel" in page and "My sister is the lead agency" in page
