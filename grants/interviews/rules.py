"""Who may do what with interviews: the one place these checks live.

Administrators set a round's interview stage and rubric. Program staff choose finalists, make panels, schedule
interviews and answer requests for another slot, and see every interview and score. A panel member sees the
interviews of their own panels only (never another panel's), and scores one only while free of conflict with its
application. The finalist's contacts see their interview's slot and may ask for another one; never its scores.
"""

import rules

from consortia.rules import is_administrator, is_program_staff, not_administrator
from grants.applications.rules import is_application_contact
from grants.reviews.services.conflicts import has_conflict

from .models import Interview, InterviewReview


def _interview_of(obj) -> Interview | None:
    return obj.interview if isinstance(obj, InterviewReview) else obj


@rules.predicate
def is_panel_member(user, obj):
    interview = _interview_of(obj)
    return interview is not None and interview.panel.memberships.filter(member_id=user.pk).exists()


@rules.predicate
def is_free_of_conflict(user, obj):
    interview = _interview_of(obj)
    return interview is not None and not has_conflict(reader=user, application=interview.finalist.application)


@rules.predicate
def is_finalist_contact(user, interview):
    return interview is not None and is_application_contact.test(user, interview.finalist.application)


@rules.predicate
def is_own_scores(user, obj):
    """An interview review is its member's own; on an interview, the member scores their own review of it."""
    return not isinstance(obj, InterviewReview) or obj.member_id == user.pk


# obj: Round
rules.add_perm("interviews.configure_interviews", is_administrator)
rules.add_perm("interviews.manage_interviews", is_program_staff)
# obj: Interview
rules.add_perm(
    "interviews.view_interview", is_program_staff | is_panel_member | (not_administrator & is_finalist_contact)
)
rules.add_perm("interviews.view_interview_scores", is_program_staff | (is_panel_member & is_free_of_conflict))
rules.add_perm("interviews.request_slot", not_administrator & is_finalist_contact)
# obj: Interview (the member's own scores) or InterviewReview (its transitions)
rules.add_perm("interviews.score_interview", is_panel_member & is_free_of_conflict & is_own_scores)
rules.add_perm("interviews.unlock_interview_review", is_program_staff)
# obj: SlotRequest
rules.add_perm("interviews.answer_slot_request", is_program_staff)
