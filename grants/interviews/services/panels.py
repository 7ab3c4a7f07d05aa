"""Interview panels and their members. Conflict-of-interest rules apply exactly as for readers
(grants.reviews.services.conflicts): a member may not sit on a panel that interviews an application they are in
conflict with, and an interview may not be put on a panel with such a member."""

from django.db import IntegrityError, transaction

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.background.services import later
from ccpt.lib.refusal import Refusal, require_reason
from consortia.models import User
from consortia.roles import Role
from grants.applications.models import Application
from grants.programs.models import Round
from grants.reviews.models import Conflict
from grants.reviews.services.conflicts import conflicted_pairs

from ..models import InterviewReview, Panel, PanelMember
from .setup import SCORE_ROUND, settings_of


def eligible_members():
    """Who may sit on a panel: program staff, and readers of the reader pool who are not deactivated."""
    roles = [Role.READER, Role.PROGRAM_STAFF, Role.ADMINISTRATOR]
    people = User.objects.filter(is_active=True, groups__name__in=roles).distinct()
    return people.exclude(reader_profile__deactivated_at__isnull=False).order_by("last_name", "email")


def conflicts_on(*, applications, member_ids) -> list[str]:
    """Each conflict between these members and these applications, in words (empty when there is none)."""
    pairs = conflicted_pairs(applications=applications, reader_ids=list(member_ids))
    if not pairs:
        return []
    names = dict(User.objects.filter(pk__in={r for r, _ in pairs}).values_list("pk", "email"))
    numbers = dict(Application.objects.filter(pk__in={a for _, a in pairs}).values_list("pk", "number"))
    return [f"{names[r]} and {numbers[a]}: {why}" for (r, a), why in sorted(pairs.items())]


@transaction.atomic
def create(*, round_: Round, name: str, by) -> Panel:
    if settings_of(round_) is None:
        raise Refusal(f"{round_} has no interview stage.")
    try:
        with transaction.atomic():
            panel = Panel.objects.create(round=round_, name=name.strip(), created_by=by)
    except IntegrityError:
        raise Refusal("The round has a panel of that name already.", errors={"name": "Already used."}) from None
    record(Event.Action.SETTING_CHANGE, by=by, obj=round_, summary=f"Interview panel created: {panel.name}")
    return panel


@transaction.atomic
def add_member(*, panel: Panel, member: User, by) -> PanelMember:
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if not eligible_members().filter(pk=member.pk).exists():
        raise Refusal(f"{member} is not an active reader or member of program staff.")
    interviewed = Application.objects.filter(finalist__interview__panel=panel)
    if found := conflicts_on(applications=interviewed, member_ids=[member.pk]):
        raise Refusal(
            f"{member} has a conflict of interest with an application this panel interviews: " + "; ".join(found),
            problems=found,
        )
    membership, created = PanelMember.objects.get_or_create(panel=panel, member=member, defaults={"added_by": by})
    if created:
        record(Event.Action.SETTING_CHANGE, by=by, obj=panel.round, summary=f"{member} added to panel {panel}")
    return membership


@transaction.atomic
def declare_conflict(*, interview, by, reason: str) -> Conflict:
    """A panel member declares a conflict of interest with the finalist, as a reader declares one with an
    application: recorded against the consortium (so that it holds for every later reading and interview), and from
    then on they may not score the interview and a score they submitted no longer counts."""
    reason = require_reason(reason, "Describe the conflict of interest; it is kept in the record.")
    if not interview.panel.memberships.filter(member=by).exists():
        raise Refusal("You do not sit on this interview's panel.")
    application = interview.finalist.application
    conflict = Conflict.objects.create(
        reader=by,
        consortium_id=application.consortium_id,
        source=Conflict.Source.DECLARED,
        reason=reason,
        recorded_by=by,
    )
    summary = f"{by} declared a conflict of interest with the finalist: {reason}"
    record(Event.Action.STATUS_CHANGE, by=by, obj=application, summary=summary)
    later(SCORE_ROUND, interview.panel.round_id)  # a score they gave no longer counts
    return conflict


@transaction.atomic
def remove_member(*, membership: PanelMember, by) -> None:
    scored = InterviewReview.objects.filter(
        member_id=membership.member_id, interview__panel_id=membership.panel_id, status=InterviewReview.Status.SUBMITTED
    )
    if scored.exists():
        raise Refusal(f"{membership.member} has submitted interview scores on this panel and stays on it.")
    panel = membership.panel
    membership.delete()
    record(Event.Action.SETTING_CHANGE, by=by, obj=panel.round, summary=f"{membership.member} left panel {panel}")
