"""A round is decided only by an approved funding plan or by a reasoned decision to make no awards; a wrongly
decided round can be reopened by an administrator, with a reason, and then decided properly."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants import workflow
from grants.awards.models import FundingPlan, Notice
from grants.awards.services.approval import approve_plan, decide_without_awards
from grants.models import StatusChange
from grants.programs.models import Round

from ..factories import ApplicationFactory, FundingPlanFactory, RoundFactory
from .test_award_approval import make_plan

pytestmark = pytest.mark.django_db
R = Round.Status


@pytest.fixture
def round_(db):
    return RoundFactory(funds_available=Decimal("1000000.00"), status=R.IN_REVIEW)


def _statuses(round_):
    return list(
        StatusChange.objects.filter(content_type__model="round", object_id=round_.pk)
        .order_by("pk")
        .values_list("from_status", "to_status", "reason")
    )


def test_deciding_with_no_awards_needs_a_reason(round_, admin_user):
    with pytest.raises(Refusal, match="Say why the round makes no awards"):
        decide_without_awards(round_=round_, by=admin_user, reason="  ")
    round_.refresh_from_db()
    assert round_.status == R.IN_REVIEW


def test_only_administrators_decide(round_, staff_user):
    with pytest.raises(PermissionDenied):
        decide_without_awards(round_=round_, by=staff_user, reason="Budget act vetoed.")


def test_no_awards_tells_every_submitted_applicant_and_sets_draft_plans_aside(round_, admin_user, staff_user):
    submitted = [ApplicationFactory(round=round_, status="submitted") for _ in range(2)]
    ApplicationFactory(round=round_)  # a draft is not told anything
    draft = FundingPlanFactory(round=round_, created_by=staff_user)

    told = decide_without_awards(round_=round_, by=admin_user, reason="The budget act was vetoed.")

    round_.refresh_from_db()
    draft.refresh_from_db()
    assert told == 2
    assert round_.status == R.DECIDED
    assert draft.status == FundingPlan.Status.SUPERSEDED
    assert sorted(Notice.objects.values_list("kind", "application_id")) == sorted(("decline", a.pk) for a in submitted)
    assert _statuses(round_)[-1] == ("in_review", "decided", "No awards: The budget act was vetoed.")


def test_a_wrongly_decided_round_is_reopened_with_a_reason_and_a_plan_can_then_be_approved(round_, admin_user):
    decide_without_awards(round_=round_, by=admin_user, reason="Clicked the wrong button.")
    with pytest.raises(Refusal, match="plans are submitted while it is in review"):  # so none is approved
        make_plan(round_, [Decimal("600000.00")], admin_user)

    with pytest.raises(Refusal, match="Give a reason"):
        workflow.transition(round_, R.IN_REVIEW, by=admin_user)
    workflow.transition(round_, R.IN_REVIEW, by=admin_user, reason="Decided by mistake; the plan was ready.")
    plan = make_plan(round_, [Decimal("600000.00")], admin_user)
    awards = approve_plan(plan=plan, by=admin_user)

    round_.refresh_from_db()
    assert round_.status == R.DECIDED
    assert [a.amount for a in awards] == [Decimal("600000.00")]
    assert [(source, target) for source, target, _ in _statuses(round_)] == [
        ("in_review", "decided"),
        ("decided", "in_review"),
        ("in_review", "decided"),
    ]


def test_staff_cannot_reopen_a_decided_round(round_, admin_user, staff_user):
    decide_without_awards(round_=round_, by=admin_user, reason="No money this year.")
    with pytest.raises(PermissionDenied):
        workflow.transition(round_, R.IN_REVIEW, by=staff_user, reason="Please.")


def test_a_round_decided_by_an_approved_plan_is_not_reopened(round_, admin_user):
    approve_plan(plan=make_plan(round_, [Decimal("500000.00")], admin_user), by=admin_user)
    with pytest.raises(Refusal, match="its awards stand"):
        workflow.transition(round_, R.IN_REVIEW, by=admin_user, reason="Change of mind.")
    round_.refresh_from_db()
    assert round_.status == R.DECIDED


def test_the_plan_page_offers_the_no_awards_decision_to_administrators_only(client, round_, admin_user, staff_user):
    url = reverse("awards:plan", args=[round_.pk])
    client.force_login(staff_user)
    assert "Decide with no awards" not in client.get(url).content.decode()

    client.force_login(admin_user)
    assert "Decide with no awards" in client.get(url).content.decode()
    empty = client.post(reverse("awards:decide-without-awards", args=[round_.pk]), {"reason": ""})
    assert empty.status_code == 200
    assert "Give a reason; it is kept in the record." in empty.content.decode()
    response = client.post(reverse("awards:decide-without-awards", args=[round_.pk]), {"reason": "Vetoed."})
    assert response.url == round_.get_absolute_url()
    round_.refresh_from_db()
    assert round_.status == R.DECIDED
    page = client.get(response.url).content.decode()
    assert "is decided with no awards; no application was submitted, so no notice is sent." in page
    assert "No awards: Vetoed." in page  # in the round's history


def test_staff_posting_the_no_awards_decision_are_refused(client, round_, staff_user):
    client.force_login(staff_user)
    response = client.post(reverse("awards:decide-without-awards", args=[round_.pk]), {"reason": "Vetoed."})
    assert response.status_code == 403
    round_.refresh_from_db()
    assert round_.status == R.IN_REVIEW
