"""Staff submit a funding plan for approval with a note; an administrator approves it or returns it with comments."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants import workflow
from grants.awards.models import Award, FundingPlan
from grants.awards.services.approval import approve_plan, return_plan
from grants.awards.services.plans import LineAction, change_line, generate_plan, submit_plan
from grants.dashboard import for_administrator
from tests.factories import ranked_application

D = Decimal


@pytest.fixture
def plan(round_, category, staff_user):
    """Three applications of $400,000 in a $1,000,000 round: two funded in full; the third partly, at $200,000."""
    for rank in (1, 2, 3):
        ranked_application(round_, category, rank, "400000.00")
    return generate_plan(round_=round_, by=staff_user, last_application=FundingPlan.LastApplication.PARTIAL)


def _audit(plan) -> list[str]:
    return list(
        Event.objects.filter(action=Event.Action.STATUS_CHANGE, object_id=plan.pk, summary__startswith="Funding plan")
        .order_by("pk")
        .values_list("summary", flat=True)
    )


def test_staff_submit_with_a_note_and_it_is_on_the_history_and_the_audit_trail(plan, staff_user):
    submit_plan(plan=plan, by=staff_user, note="Ranks 1-3 funded; rank 3 partly.")

    plan.refresh_from_db()
    assert plan.status == FundingPlan.Status.SUBMITTED
    last = workflow.history(plan).last()
    assert (last.from_status, last.to_status, last.by, last.reason) == (
        "draft",
        "submitted",
        staff_user,
        "Ranks 1-3 funded; rank 3 partly.",
    )
    assert _audit(plan)[-1] == "Funding plan: Draft → submitted for approval (Ranks 1-3 funded; rank 3 partly.)"


def test_a_plan_is_not_submitted_without_a_note(plan, staff_user):
    with pytest.raises(Refusal, match="Give a reason"):
        submit_plan(plan=plan, by=staff_user, note="  ")
    plan.refresh_from_db()
    assert plan.status == FundingPlan.Status.DRAFT


def test_a_draft_plan_is_not_approved(plan, admin_user):
    with pytest.raises(Refusal, match="staff submit it for approval first"):
        approve_plan(plan=plan, by=admin_user)
    assert not Award.objects.exists()


def test_only_administrators_approve_or_return_a_submitted_plan(plan, staff_user):
    submit_plan(plan=plan, by=staff_user, note="Ready.")
    with pytest.raises(PermissionDenied):
        approve_plan(plan=plan, by=staff_user)
    with pytest.raises(PermissionDenied):
        return_plan(plan=plan, by=staff_user, comments="I changed my mind.")
    plan.refresh_from_db()
    assert plan.status == FundingPlan.Status.SUBMITTED


def test_a_submitted_plan_does_not_change_until_it_is_returned(plan, staff_user):
    submit_plan(plan=plan, by=staff_user, note="Ready.")
    line = plan.lines.get(rank=1)
    with pytest.raises(Refusal, match="only a draft plan can change"):
        change_line(line=line, by=staff_user, action=LineAction.EXCLUDE, reason="Late letter.")
    with pytest.raises(Refusal, match="waiting for approval"):
        generate_plan(round_=plan.round, by=staff_user, last_application=FundingPlan.LastApplication.SKIP)


def test_returning_needs_comments(plan, staff_user, admin_user):
    submit_plan(plan=plan, by=staff_user, note="Ready.")
    with pytest.raises(Refusal, match="Give a reason"):
        return_plan(plan=plan, by=admin_user, comments="")
    plan.refresh_from_db()
    assert plan.status == FundingPlan.Status.SUBMITTED


def test_a_returned_plan_is_changed_resubmitted_and_approved(plan, staff_user, admin_user):
    submit_plan(plan=plan, by=staff_user, note="Ready.")
    return_plan(plan=plan, by=admin_user, comments="Fund rank 3 in full, not rank 2.")
    plan.refresh_from_db()
    assert plan.status == FundingPlan.Status.DRAFT

    change_line(line=plan.lines.get(rank=2), by=staff_user, action=LineAction.EXCLUDE, reason="As asked.")
    submit_plan(plan=plan, by=staff_user, note="Rank 2 excluded.")
    awards = approve_plan(plan=plan, by=admin_user)

    assert sorted(a.amount for a in awards) == [D("400000.00"), D("400000.00")]
    assert [(c.from_status, c.to_status, c.by, c.reason) for c in workflow.history(plan)] == [
        ("draft", "submitted", staff_user, "Ready."),
        ("submitted", "draft", admin_user, "Fund rank 3 in full, not rank 2."),
        ("draft", "submitted", staff_user, "Rank 2 excluded."),
        ("submitted", "approved", admin_user, ""),
    ]
    assert "Funding plan: Submitted for approval → draft (Fund rank 3 in full, not rank 2.)" in _audit(plan)


def test_the_returned_comments_stay_on_the_plan_page_with_who_and_when(client, plan, staff_user, admin_user):
    submit_plan(plan=plan, by=staff_user, note="Ready.")
    return_plan(plan=plan, by=admin_user, comments="Fund rank 3 in full.")
    client.force_login(staff_user)

    content = client.get(reverse("awards:plan", args=[plan.round_id])).content.decode()

    assert "Returned to staff with comments" in content
    assert f"Draft by {admin_user} on <time" in content
    assert "Fund rank 3 in full." in content
    assert "Submit the plan for approval" in content  # a draft again, to submit again


def test_staff_submit_through_the_plan_page_and_an_empty_note_is_refused(client, plan, staff_user):
    client.force_login(staff_user)
    url = reverse("awards:plan-submit", args=[plan.pk])

    empty = client.post(url, {"note": ""})
    assert empty.status_code == 200
    assert "Give a reason; it is kept in the record." in empty.content.decode()

    response = client.post(url, {"note": "Ready for your approval."}, follow=True)
    assert "Plan submitted for approval" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == FundingPlan.Status.SUBMITTED


def test_the_approve_page_shows_the_staff_reason_of_every_line_that_differs_from_the_request(
    client, plan, staff_user, admin_user
):
    first = plan.lines.get(rank=1)
    change_line(
        line=first, by=staff_user, action=LineAction.AMOUNT, amount=D("350000.00"), reason="Budget line 4 unallowable."
    )
    submit_plan(plan=plan, by=staff_user, note="One cut, one partial.")
    client.force_login(admin_user)

    content = client.get(reverse("awards:plan-approve", args=[plan.pk])).content.decode()

    start = content.index('id="differing"')
    section = content[start : content.index("</section>", start)]
    assert first.application.number in section
    assert "<strong>Budget line 4 unallowable.</strong>" in section
    assert f"Staff change by {staff_user}" in section
    partial = plan.lines.get(rank=3)  # differs by the computation: no staff reason, the explanation instead
    assert partial.application.number in section
    assert "No staff change. Computed:" in section
    assert plan.lines.get(rank=2).application.number not in section  # funded as requested
    assert "One cut, one partial." in content  # staff's note


def test_an_administrator_returns_through_the_approve_page(client, plan, staff_user, admin_user):
    submit_plan(plan=plan, by=staff_user, note="Ready.")
    client.force_login(admin_user)
    url = reverse("awards:plan-return", args=[plan.pk])

    empty = client.post(url, {"comments": ""})
    assert empty.status_code == 200
    assert "Give a reason; it is kept in the record." in empty.content.decode()

    response = client.post(url, {"comments": "Fund rank 3 in full."}, follow=True)
    assert "Plan returned to staff with your comments" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == FundingPlan.Status.DRAFT


def test_staff_cannot_return_through_the_page(client, plan, staff_user):
    submit_plan(plan=plan, by=staff_user, note="Ready.")
    client.force_login(staff_user)
    assert client.post(reverse("awards:plan-return", args=[plan.pk]), {"comments": "x"}).status_code == 403


def test_the_approve_page_of_a_draft_sends_back_to_the_plan(client, plan, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("awards:plan-approve", args=[plan.pk]))
    assert response.status_code == 302 and response.url == reverse("awards:plan", args=[plan.round_id])


def test_the_administrators_dashboard_lists_the_plans_waiting_for_approval(client, plan, staff_user, admin_user):
    assert for_administrator()["plans_to_approve"] == []  # a draft is not waiting

    submit_plan(plan=plan, by=staff_user, note="Ready.")
    assert for_administrator()["plans_to_approve"] == [plan]
    client.force_login(admin_user)
    content = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("awards:plan-approve", args=[plan.pk])}"' in content

    return_plan(plan=plan, by=admin_user, comments="Not yet.")
    assert for_administrator()["plans_to_approve"] == []
