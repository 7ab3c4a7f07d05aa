"""Who may do what with rounds and applications: the one place these object-level checks live."""

import rules

from consortia.models import Contact
from consortia.rules import is_administrator, is_program_staff

from .models import Application, Assignment
from .services.conflicts import has_conflict


@rules.predicate
def is_signed_in(user):
    return user.is_authenticated


@rules.predicate
def is_application_contact(user, application):
    if application is None or not user.is_authenticated:
        return False
    return application.consortium.contacts.filter(user=user).exists()


@rules.predicate
def is_application_lead(user, application):
    if application is None or not user.is_authenticated:
        return False
    return application.consortium.contacts.filter(user=user, role=Contact.Role.LEAD).exists()


@rules.predicate
def is_assigned_reader(user, application):
    """An attested, active assignment, and no conflict (conflicts found later still hide the application)."""
    if application is None or not user.is_authenticated:
        return False
    attested = Assignment.objects.filter(
        application=application, reviewer=user, status=Assignment.Status.ACCEPTED
    ).exists()
    return attested and not has_conflict(reviewer=user, application=application)


@rules.predicate
def is_draft(user, application):
    return application is not None and application.status == Application.Status.DRAFT


@rules.predicate
def is_consortium_lead(user, consortium):
    if consortium is None or not user.is_authenticated:
        return False
    return consortium.contacts.filter(user=user, role=Contact.Role.LEAD).exists()


@rules.predicate
def is_published_round(user, round_):
    return round_ is None or round_.status != "draft"


# Programs and rounds (drafts are for staff and administrators only)
rules.add_perm("grants.view_program", is_signed_in)
rules.add_perm("grants.view_round", is_program_staff | (is_signed_in & is_published_round))
rules.add_perm("grants.configure_program", is_administrator)
rules.add_perm("grants.configure_round", is_administrator)
rules.add_perm("grants.change_round_status", is_program_staff)  # each transition narrows this (workflow.py)

# Applications (obj: Application). Readers see the submitted snapshot of what is assigned to them.
rules.add_perm("grants.view_application", is_program_staff | is_application_contact | is_assigned_reader)
rules.add_perm("grants.change_application", is_application_contact & is_draft)
rules.add_perm("grants.submit_application", is_application_lead & is_draft)
rules.add_perm("grants.withdraw_application", is_application_lead)
rules.add_perm("grants.reopen_application", is_program_staff)
rules.add_perm("grants.accept_late_submission", is_program_staff)

# Starting an application or filing a letter of intent (obj: Consortium)
rules.add_perm("grants.start_application", is_consortium_lead)
rules.add_perm("grants.file_letter_of_intent", is_consortium_lead)

# Staff work on submissions
rules.add_perm("grants.view_submissions", is_program_staff)
rules.add_perm("grants.override_screening", is_program_staff)


@rules.predicate
def is_own_assignment(user, assignment):
    return assignment is not None and assignment.reviewer_id == user.pk


@rules.predicate
def is_awaiting_attestation(user, assignment):
    return assignment is not None and assignment.status == Assignment.Status.ASSIGNED


@rules.predicate
def is_attested_without_conflict(user, assignment):
    if assignment is None or assignment.status != Assignment.Status.ACCEPTED:
        return False
    return not has_conflict(reviewer=assignment.reviewer, application=assignment.application)


@rules.predicate
def has_submitted_own_review(user, assignment):
    review = getattr(assignment, "review", None) if assignment is not None else None
    return review is not None and review.status == review.Status.SUBMITTED


@rules.predicate
def is_open_reading(user, assignment):
    return assignment is not None and not assignment.application.round.blind_reading


@rules.predicate
def results_are_published(user, application):
    return application is not None and application.round.results_published_at is not None


# Review (obj: Assignment unless said otherwise)
rules.add_perm("grants.manage_assignments", is_program_staff)  # assign, remove, auto-assign, remind
rules.add_perm("grants.manage_conflicts", is_program_staff)
rules.add_perm("grants.attest_assignment", is_own_assignment & is_awaiting_attestation)
rules.add_perm("grants.score_assignment", is_own_assignment & is_attested_without_conflict)
rules.add_perm(
    "grants.view_other_reviews",
    is_program_staff | (is_own_assignment & is_attested_without_conflict & has_submitted_own_review & is_open_reading),
)
rules.add_perm("grants.unlock_review", is_program_staff)
rules.add_perm("grants.view_scores", is_program_staff)  # obj: Round; ranked list, dashboard, exports
rules.add_perm("grants.reconcile_scores", is_program_staff)  # obj: Application
rules.add_perm("grants.publish_results", is_program_staff)  # obj: Round
# obj: Application. Applicants see their scores and comments (never reader names) once results are published.
rules.add_perm("grants.view_results", is_program_staff | (is_application_contact & results_are_published))


@rules.predicate
def is_award_contact(user, award):
    if award is None or not user.is_authenticated:
        return False
    return award.consortium.contacts.filter(user=user).exists()


@rules.predicate
def is_award_lead(user, award):
    if award is None or not user.is_authenticated:
        return False
    return award.consortium.contacts.filter(user=user, role=Contact.Role.LEAD).exists()


@rules.predicate
def is_offered(user, award):
    return award is not None and award.status == "offered"


# Funding decisions and awards
rules.add_perm("grants.build_plan", is_program_staff)  # obj: Round; generate, recompute, change lines with reasons
rules.add_perm("grants.approve_plan", is_administrator)  # obj: FundingPlan
rules.add_perm("grants.view_award", is_program_staff | is_award_contact)  # obj: Award; and its letter
rules.add_perm("grants.respond_to_award", is_award_lead & is_offered)  # obj: Award; accept or decline
rules.add_perm("grants.manage_award", is_program_staff)  # obj: Award; status changes, amendments, payments
rules.add_perm("grants.view_set_aside", is_program_staff)  # obj: Program
rules.add_perm("grants.draw_set_aside", is_program_staff)  # obj: Program
rules.add_perm("grants.manage_notices", is_program_staff)  # see delivery, resend deliberately
rules.add_perm("grants.view_program_dashboard", is_program_staff)
