"""Who may do what in review: readers with their assignments, staff with assignments, scores and results.

The one place these checks live; a reader reads an application only through an attested assignment that no
conflict of interest touches, so a conflict found later hides the application again. An administrator never
reads, attests or scores, even when given an assignment (`not_administrator`, consortia/rules.py).
"""

import rules
from django.db.models import Exists, OuterRef, Q

from consortia.rules import is_program_staff, not_administrator
from grants.applications.models import Application
from grants.applications.rules import is_application_contact

from .models import Assignment
from .services.conflicts import has_conflict, in_conflict


@rules.predicate
def is_assigned_reader(user, assignment):
    return assignment is not None and assignment.reader_id == user.pk


is_own_assignment = not_administrator & is_assigned_reader


@rules.predicate
def is_awaiting_attestation(user, assignment):
    return assignment is not None and assignment.status == Assignment.Status.ASSIGNED


@rules.predicate
def is_attested_without_conflict(user, assignment):
    if assignment is None or assignment.status != Assignment.Status.ACCEPTED:
        return False
    # A page asks several of these rules of one assignment (may score, may see others): its conflicts are read
    # once per assignment object, that is once per request.
    if not hasattr(assignment, "_in_conflict"):
        assignment._in_conflict = has_conflict(reader=assignment.reader, application=assignment.application)
    return not assignment._in_conflict


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
rules.add_perm("reviews.manage_assignments", is_program_staff)  # assign, remove, auto-assign, remind
rules.add_perm("reviews.manage_conflicts", is_program_staff)
rules.add_perm("reviews.manage_readers", is_program_staff)  # the reader pool: invite, profile, caps, deactivate
rules.add_perm("reviews.attest_assignment", is_own_assignment & is_awaiting_attestation)
rules.add_perm("reviews.score_assignment", is_own_assignment & is_attested_without_conflict)
rules.add_perm(
    "reviews.view_other_reviews",
    is_program_staff | (is_own_assignment & is_attested_without_conflict & has_submitted_own_review & is_open_reading),
)
rules.add_perm("reviews.unlock_review", is_program_staff)  # obj: Review
rules.add_perm("reviews.view_scores", is_program_staff)  # obj: Round; ranked list, dashboard, exports
rules.add_perm("reviews.reconcile_scores", is_program_staff)  # obj: Application
rules.add_perm("reviews.publish_results", is_program_staff)  # obj: Round
# obj: Application. Applicants see their scores and comments (never reader names) once results are published.
rules.add_perm("reviews.view_results", is_program_staff | (is_application_contact & results_are_published))


def readable_applications(user) -> Q:
    """`reviews.read_application` as a filter on applications, for lists that must not load each assignment: the
    person's own attested assignments, free of any conflict, of applications still submitted (a reopened one is
    a draft again, whose live text is not what the reader was given). Never an administrator's."""
    if not user.is_authenticated or user.is_administrator:
        return Q(pk__in=[])
    attested = Assignment.objects.filter(application=OuterRef("pk"), reader=user, status=Assignment.Status.ACCEPTED)
    return Q(Exists(attested), status=Application.Status.SUBMITTED) & ~in_conflict(user)


@rules.predicate
def may_score_its_assignment(user, review):
    return review is not None and user.has_perm("reviews.score_assignment", review.assignment)


# The reader's own work: their assignment whatever its status, reading its application, submitting a review.
rules.add_perm("reviews.work_on_assignment", is_own_assignment)
rules.add_perm("reviews.decline_assignment", is_own_assignment)
rules.add_perm("reviews.read_application", is_own_assignment & is_attested_without_conflict)
rules.add_perm("reviews.submit_review", may_score_its_assignment)  # obj: Review
