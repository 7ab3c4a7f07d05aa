"""The interview pages as staff and administrators use them: bad input shown again with its message, never a 500."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ccpt.lib.dates import pacific
from grants.interviews.models import Finalist, Interview, InterviewCriterion, Panel
from tests.factories import AffiliationFactory, ContactFactory, UserFactory

from .setup import held_interview, interview_round, panel_of

pytestmark = pytest.mark.django_db


def test_an_administrator_sets_the_stage_and_a_bad_weight_is_explained(client, admin_user):
    round_, _ = interview_round()
    client.force_login(admin_user)
    url = f"/rounds/{round_.pk}/interviews/settings/"
    data = {"has_interviews": "on", "combination": "weighted", "finalists_per_category": "3"}
    data |= {"interview_minutes": "45", "panel_size": "3"}

    refused = client.post(url, data | {"interview_weight": "0"})
    saved = client.post(url, data | {"interview_weight": "25"})

    assert refused.status_code == 422 and "greater than or equal to 1" in refused.content.decode()
    assert saved.status_code == 302
    round_.interview_settings.refresh_from_db()
    assert (round_.interview_settings.interview_weight, round_.interview_settings.interview_minutes) == (25, 45)


def test_an_administrator_adds_an_interview_criterion(client, admin_user):
    round_, _ = interview_round()
    client.force_login(admin_user)

    response = client.post(
        f"/rounds/{round_.pk}/interviews/rubric/new/", {"name": "Partnership", "max_points": "25", "weight": "1"}
    )

    assert response.status_code == 302
    assert list(InterviewCriterion.objects.filter(round=round_).values_list("name", flat=True)) == [
        "Presentation",
        "Partnership",
    ]


def test_staff_choose_the_top_and_make_a_panel_and_a_conflicted_member_is_refused(client, staff_user):
    round_, (a, _, _) = interview_round(finalists_per_category=1)
    client.force_login(staff_user)

    client.post(f"/rounds/{round_.pk}/interviews/finalists/", {"per_category": "1"})
    client.post(f"/rounds/{round_.pk}/interviews/panels/new/", {"name": "Panel A"})
    panel = Panel.objects.get(round=round_)
    tied = UserFactory(role="Readers")
    AffiliationFactory(user=tied, organization=a.consortium.lead_agency)
    held_interview(a, panel, hours_ago=-24)
    refused = client.post(f"/interviews/panels/{panel.pk}/", {"member": tied.pk})

    assert list(Finalist.objects.values_list("application_id", flat=True)) == [a.pk]
    assert refused.status_code == 422 and "conflict of interest" in refused.content.decode()
    assert not panel.memberships.exists()


def test_scheduling_without_a_place_or_link_is_explained_and_keeps_what_was_typed(client, staff_user):
    round_, (a, _, _) = interview_round()
    ContactFactory(consortium=a.consortium)
    panel = panel_of(round_, UserFactory(role="Readers"))
    finalist = Finalist.objects.create(application=a, round=round_, chosen_by=staff_user)
    client.force_login(staff_user)
    when = pacific(timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    data = {"panel": panel.pk, "starts_at": when, "minutes": "60", "place": "", "video_link": ""}

    refused = client.post(f"/interviews/finalists/{finalist.pk}/schedule/", data)
    saved = client.post(f"/interviews/finalists/{finalist.pk}/schedule/", data | {"place": "Room 1101"})

    assert refused.status_code == 422 and "Give the place or the video link." in refused.content.decode()
    assert when in refused.content.decode()
    assert saved.status_code == 302
    assert pacific(Interview.objects.get(finalist=finalist).starts_at).strftime("%Y-%m-%dT%H:%M") == when


def test_the_round_page_asks_the_same_queries_for_few_or_many_finalists(client, staff_user):
    def queries(readings):
        round_, applications = interview_round(readings)
        panel = panel_of(round_, UserFactory(role="Readers"), UserFactory(role="Readers"))
        for hours, application in enumerate(applications):
            held_interview(application, panel, hours_ago=-(hours + 1) * 2)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/rounds/{round_.pk}/interviews/").status_code == 200
        return len(captured)

    client.force_login(staff_user)
    assert queries(("80", "70")) == queries(("80", "70", "60", "50", "40", "30"))
