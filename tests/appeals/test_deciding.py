"""Deciding an appeal: reasons, upheld with a remedy or denied, by an independent decider where the round asks for
one; every step in the status history and the audit trail; the applicant emailed the outcome once."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants import workflow
from grants.appeals import services
from grants.appeals.models import Appeal, AppealSettings
from grants.awards.models import FundingPlan, PlanLine
from grants.awards.services.allocation import build_plan
from grants.programs.models import Round
from grants.reviews.models import Reconciliation
from tests.factories import FundingCategoryFactory, UserFactory, contact_of, ranked_application

from .conftest import GROUND

pytestmark = pytest.mark.django_db
R = Appeal.Remedy


@pytest.fixture
def appeal(application, lead):
    return services.file_appeal(application=application, by=lead, grounds=[GROUND], statement="Scored wrongly.")


def test_a_denied_appeal_keeps_its_reasons_history_and_audit(appeal, staff):
    services.decide(appeal=appeal, by=staff, upheld=False, reasons="The rubric was applied as published.")

    appeal.refresh_from_db()
    assert (appeal.status, appeal.remedy, appeal.decided_by) == ("denied", "", staff)
    lines = workflow.history_lines(appeal)
    assert [(line.target, line.reason) for line in lines] == [
        ("Filed", f"Grounds: {GROUND}"),
        ("Denied", "The rubric was applied as published."),
    ]
    summaries = list(
        Event.objects.filter(object_id=appeal.pk, action=Event.Action.STATUS_CHANGE).values_list("summary", flat=True)
    )
    assert any("Filed → denied" in summary for summary in summaries)


def test_a_decision_needs_reasons_and_an_upheld_one_a_remedy(appeal, staff):
    with pytest.raises(Refusal, match="Give the reasons"):
        services.decide(appeal=appeal, by=staff, upheld=False, reasons=" ")
    with pytest.raises(Refusal, match="Choose the remedy"):
        services.decide(appeal=appeal, by=staff, upheld=True, reasons="Scores were misread.")
    assert Appeal.objects.get().status == "filed"


def test_an_appeal_is_decided_once(appeal, staff):
    services.decide(appeal=appeal, by=staff, upheld=False, reasons="No error.")
    with pytest.raises(Refusal, match="decided once"):
        services.decide(appeal=appeal, by=UserFactory(role="Program staff"), upheld=True, reasons="x", remedy=R.FUNDING)


def test_upheld_for_a_new_reading_records_it(appeal, staff):
    services.decide(appeal=appeal, by=staff, upheld=True, reasons="Reader 2 used an old rubric.", remedy=R.NEW_READING)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.remedy) == ("upheld", "new_reading")
    assert Event.objects.filter(object_id=appeal.application_id, summary__startswith="Appeal upheld: Re-open").exists()


def test_the_independent_decider_rule(appeal, assignment, application, staff):
    reader_staff = assignment.reader
    reader_staff.groups.add(staff.groups.get())
    reconciler = UserFactory(role="Program staff")
    Reconciliation.objects.create(application=application, action="consensus", reason="Agreed.", by=reconciler)
    approver = UserFactory(role="Program staff")
    plan = FundingPlan.objects.create(
        round=application.round, created_by=staff, status="approved", approved_by=approver, approved_at=timezone.now()
    )
    PlanLine.objects.create(plan=plan, application=application, category=application.category, requested=Decimal(1))

    for person, why in [
        (reader_staff, "you were one of its readers"),
        (reconciler, "you reconciled its scores"),
        (approver, "you approved the funding plan that decided it"),
    ]:
        assert not person.has_perm("appeals.decide_appeal", appeal)
        with pytest.raises(Refusal, match=why):
            services.decide(appeal=appeal, by=person, upheld=False, reasons="No error.")
    assert staff.has_perm("appeals.decide_appeal", appeal)

    AppealSettings.objects.filter(round=application.round).update(independent_decider=False)
    appeal = Appeal.objects.select_related("application__round").get(pk=appeal.pk)
    assert reader_staff.has_perm("appeals.decide_appeal", appeal)
    services.decide(appeal=appeal, by=reader_staff, upheld=False, reasons="No error.")


def test_a_declined_reader_took_no_part(appeal, assignment, staff):
    assignment.status = "declined"
    assignment.save(update_fields=["status"])
    assignment.reader.groups.add(staff.groups.get())
    assert assignment.reader.has_perm("appeals.decide_appeal", appeal)


def test_nobody_but_staff_decides(appeal, lead, assignment):
    partner = contact_of(appeal.application.consortium, role="partner")
    for person in (lead, partner, assignment.reader):
        with pytest.raises(PermissionDenied):
            services.decide(appeal=appeal, by=person, upheld=False, reasons="No.")


def test_upheld_for_funding_lets_the_plan_fund_it_from_the_money_left(staff):
    round_ = Round.objects.create(
        program=FundingCategoryFactory().round.program,
        name="Appeals round",
        code="ap",
        funds_available=Decimal("1000000.00"),
        opens_at=timezone.now(),
        closes_at=timezone.now(),
        grant_start_year=2026,
        grant_years=2,
        status=Round.Status.IN_REVIEW,
        results_published_at=timezone.now(),
    )
    AppealSettings.objects.create(round=round_)
    category = FundingCategoryFactory(round=round_, maximum_award=Decimal("600000.00"), planned_grants=3)
    ranked_application(round_, category, 1, "400000.00")
    below = ranked_application(round_, category, 2, "500000.00", fundable=False, final=Decimal("40"))
    lead = contact_of(below.consortium)
    plan = FundingPlan.objects.create(round=round_, created_by=staff)
    build_plan(plan=plan)
    assert not PlanLine.objects.get(plan=plan, application=below).funded

    appeal = services.file_appeal(application=below, by=lead, grounds=[GROUND], statement="Misscored.")
    services.decide(appeal=appeal, by=staff, upheld=True, reasons="Criterion 2 was misscored.", remedy=R.FUNDING)
    build_plan(plan=plan)

    line = PlanLine.objects.get(plan=plan, application=below)
    assert line.funded and line.amount == Decimal("500000.00")  # $600,000 were left after rank 1


def test_funding_is_refused_once_the_rounds_plan_cannot_change(appeal, application, staff):
    Round.objects.filter(pk=application.round_id).update(status=Round.Status.DECIDED)
    appeal = Appeal.objects.select_related("application__round").get(pk=appeal.pk)
    with pytest.raises(Refusal, match="funding plan can no longer change"):
        services.decide(appeal=appeal, by=staff, upheld=True, reasons="Misscored.", remedy=R.FUNDING)


def test_the_applicant_is_emailed_the_outcome_once(appeal, lead, staff):
    services.decide(appeal=appeal, by=staff, upheld=True, reasons="Reader 2 used an old rubric.", remedy=R.NEW_READING)

    assert services.notify_outcome(appeal.pk) == 1
    assert services.notify_outcome(appeal.pk) == 0

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [lead.email]
    assert "was upheld" in sent.subject and "Reader 2 used an old rubric." in sent.body


def test_deciding_queues_the_email_through_the_background_work(appeal, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(appeal=appeal, by=staff, upheld=False, reasons="No error.")
    assert len(mail.outbox) == 1
