"""How the interview score combines with the reading score into the final rank, and what stops publication."""

from decimal import Decimal

import pytest

from grants.interviews.models import Finalist
from grants.reviews.models import ApplicationScore
from grants.reviews.services.results import publication_problems
from grants.reviews.services.scoring import score_round
from tests.factories import AffiliationFactory, UserFactory

from .setup import held_interview, interview_round, panel_of, scored

pytestmark = pytest.mark.django_db


def scores(round_):
    score_round(round_id=round_.pk)
    return {s.application_id: s for s in ApplicationScore.objects.filter(round=round_)}


def test_weighted_interviews_blend_into_the_final_score_and_finalists_rank_first():
    round_, (a, b, c) = interview_round(("80", "70", "60"), interview_weight=Decimal("40"))
    member = UserFactory(role="Readers")
    panel = panel_of(round_, member)
    scored(held_interview(a, panel), member, "20")  # 20 of 50 = 40 of 100
    scored(held_interview(b, panel, hours_ago=4), member, "50")  # 100 of 100

    found = scores(round_)

    # B: 60% x 70 + 40% x 100 = 82; A: 60% x 80 + 40% x 40 = 64; C (not a finalist) keeps 60 and ranks after both.
    assert (found[b.pk].final, found[b.pk].rank, found[b.pk].interview) == (Decimal("82.00"), 1, Decimal("100.00"))
    assert (found[a.pk].final, found[a.pk].rank, found[a.pk].reading) == (Decimal("64.00"), 2, Decimal("80.00"))
    assert (found[c.pk].final, found[c.pk].rank, found[c.pk].finalist) == (Decimal("60.00"), 3, False)
    assert found[a.pk].fundable is False  # 64 is under the round's 65
    assert found[b.pk].fundable is True


def test_a_tie_break_round_ranks_by_reading_and_breaks_ties_by_interview():
    round_, (a, b, c) = interview_round(("70", "70", "90"), combination="tie_break")
    member = UserFactory(role="Readers")
    panel = panel_of(round_, member)
    scored(held_interview(a, panel), member, "30")
    scored(held_interview(b, panel, hours_ago=4), member, "40")

    found = scores(round_)

    assert [found[x.pk].rank for x in (c, b, a)] == [1, 2, 3]
    assert found[a.pk].final == found[b.pk].final == Decimal("70.00")


def test_a_panel_member_in_conflict_does_not_count():
    round_, (a, b, _) = interview_round(("80", "70", "60"))
    fair, tied = UserFactory(role="Readers"), UserFactory(role="Readers")
    AffiliationFactory(user=tied, organization=a.consortium.lead_agency)
    panel = panel_of(round_, fair, tied)
    interview = held_interview(a, panel)
    scored(interview, fair, "40")
    scored(interview, tied, "0")

    assert scores(round_)[a.pk].interview == Decimal("80.00")  # 40 of 50 only: the conflicted 0 is left out


def test_results_cannot_be_published_while_a_finalist_is_unscheduled_or_unscored():
    round_, (a, b, _) = interview_round()
    member = UserFactory(role="Readers")
    panel = panel_of(round_, member)
    held_interview(a, panel)
    Finalist.objects.create(application=b, round=round_, chosen_by=member)

    assert publication_problems(round_) == [
        "1 finalist has no interview scheduled.",
        "1 finalist has no submitted interview score.",
    ]


def test_a_round_without_an_interview_stage_ranks_as_before():
    round_, (a, b, c) = interview_round()
    round_.interview_settings.has_interviews = False
    round_.interview_settings.save()

    found = scores(round_)

    assert [found[x.pk].rank for x in (a, b, c)] == [1, 2, 3]
    assert all(s.reading is None and not s.finalist for s in found.values())
    assert publication_problems(round_) == []


def test_the_ranked_list_explains_the_rule_and_shows_both_scores(client):
    round_, (a, b, _) = interview_round(interview_weight=Decimal("30"))
    member = UserFactory(role="Readers")
    scored(held_interview(a, panel_of(round_, member)), member, "25")
    score_round(round_id=round_.pk)
    client.force_login(UserFactory(role="Program staff"))

    page = client.get(f"/rounds/{round_.pk}/scores/ranking/").content.decode()

    assert "Final score = 70% reading score + 30% interview score" in page
    assert "not yet scored" not in page  # only A is a finalist, and it is scored
    assert ">50.00<" in page  # A's interview: 25 of 50 on the reading scale


def test_choosing_a_finalist_rescores_the_round(staff_user, django_capture_on_commit_callbacks):
    from grants.interviews.services.finalists import choose

    round_, (a, _, _) = interview_round()

    with django_capture_on_commit_callbacks(execute=True):
        choose(round_=round_, application_ids=[a.pk], by=staff_user)

    assert ApplicationScore.objects.get(application=a).finalist is True
