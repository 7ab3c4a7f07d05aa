"""The workflow engine: transitions declared as data, one transition() that locks, checks and records."""

from functools import partial

import pytest
import rules
from django.core.exceptions import PermissionDenied

from ccpt.lib.refusal import Refusal
from grants import workflow
from grants.applications.models import Application
from grants.awards.models import Award, FundingPlan
from grants.models import StatusChange
from grants.programs.models import Round
from grants.reviews.models import Assignment, Review

from ..factories import AwardFactory, FundingPlanFactory, RoundFactory, UserFactory, configured_round, contact_of
from ..helpers import race

pytestmark = pytest.mark.django_db
R = Round.Status


@pytest.mark.parametrize("model", [Round, Application, Assignment, Review, FundingPlan, Award])
def test_every_workflow_object_declares_its_transitions_with_rules_that_exist(model):
    transitions = workflow.transitions_for(model)
    assert transitions, f"{model.__name__} declares no transitions"
    statuses = set(model.Status.values)
    for step in transitions:
        assert rules.perm_exists(step.rule), step.rule
        assert set(step.sources) <= statuses and step.target in statuses, step


def test_a_transition_records_who_when_from_to_and_why(admin_user):
    round_ = configured_round(status=R.OPEN)

    change = workflow.transition(round_, R.DRAFT, by=admin_user, reason="  The RFA was corrected. ")

    assert round_.status == R.DRAFT  # the caller's object is updated in place
    assert Round.objects.get(pk=round_.pk).status == R.DRAFT
    assert (change.from_status, change.to_status, change.by, change.reason) == (
        "open",
        "draft",
        admin_user,
        "The RFA was corrected.",
    )
    assert change.at is not None
    assert round_.history.first().history_user == admin_user


def test_other_fields_change_in_the_same_save():
    award = AwardFactory()
    lead = contact_of(award.consortium)

    workflow.transition(award, Award.Status.ACCEPTED, by=lead, changes={"responded_by": lead})

    award.refresh_from_db()
    assert (award.status, award.responded_by) == ("accepted", lead)


def test_someone_the_rule_does_not_allow_is_refused_and_nothing_is_recorded(staff_user):
    round_ = configured_round()
    with pytest.raises(PermissionDenied):
        workflow.transition(round_, R.OPEN, by=staff_user)  # opening is the administrators'
    assert Round.objects.get(pk=round_.pk).status == R.DRAFT
    assert not StatusChange.objects.exists()


def test_a_change_that_needs_a_reason_is_refused_without_one(admin_user):
    round_ = configured_round(status=R.OPEN)
    with pytest.raises(Refusal, match="Give a reason for this change"):
        workflow.transition(round_, R.DRAFT, by=admin_user, reason="   ")
    assert Round.objects.get(pk=round_.pk).status == R.OPEN


def test_a_guard_refuses_with_its_problems(admin_user):
    round_ = RoundFactory()  # no categories, no rubric
    with pytest.raises(Refusal) as refused:
        workflow.transition(round_, R.OPEN, by=admin_user)
    assert "Add at least one funding category." in refused.value.problems


def test_a_change_the_status_does_not_allow_is_explained(admin_user):
    round_ = configured_round(status=R.DECIDED)
    with pytest.raises(Refusal, match="Cannot go from decided to open."):
        workflow.transition(round_, R.OPEN, by=admin_user)


def test_a_later_app_can_guard_an_earlier_apps_transition(admin_user):
    round_ = configured_round(status=R.DECIDED)
    FundingPlanFactory(round=round_, status=FundingPlan.Status.APPROVED)

    with pytest.raises(Refusal, match="its awards stand"):
        workflow.transition(round_, R.IN_REVIEW, by=admin_user, reason="Wrongly decided.")


def test_options_show_what_blocks_a_change_for_the_person(admin_user, staff_user):
    round_ = RoundFactory()
    (option,) = workflow.options(round_, admin_user)
    assert option.transition.target == R.OPEN
    assert option.blocked
    assert "Add the rubric: at least one criterion." in option.problems
    assert workflow.options(round_, staff_user) == []  # staff may not open a round


def test_history_lines_read_labels_not_codes(admin_user):
    round_ = configured_round(status=R.IN_REVIEW)
    workflow.record_creation(round_, by=admin_user, reason="Created.")
    workflow.transition(round_, R.DECIDED, by=admin_user, reason="No awards: the budget act was vetoed.")
    assert [(line.source, line.target) for line in workflow.history_lines(round_)] == [
        ("(created)", "In review"),
        ("In review", "Decided"),
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_changing_the_same_row_at_once_run_one_after_the_other():
    round_ = configured_round(status=R.OPEN)
    staff = [UserFactory(role="Program staff"), UserFactory(role="Program staff")]

    def close(person):
        try:
            workflow.transition(Round.objects.get(pk=round_.pk), R.CLOSED, by=person)
            return "closed"
        except Refusal as refusal:
            return refusal.message

    outcomes = race(*(partial(close, person) for person in staff), timeout=30)

    assert sorted(outcomes) == ["Cannot go from closed to closed.", "closed"]
    assert StatusChange.objects.filter(object_id=round_.pk, to_status="closed").count() == 1
