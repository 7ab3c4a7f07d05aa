"""Filing and deciding appeals, a round's appeal settings, and telling the applicant the outcome.

The window is enforced here, on the server: an appeal is accepted from the moment the round's results are
published until the end (Pacific time) of the window's last day (AppealSettings.deadline). A decision goes through
the workflow engine (status history and audit trail); the outcome is emailed through the background work, once.
"""

from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.background.services import later
from ccpt.lib.dates import format_date
from ccpt.lib.once import AlreadyDone
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from consortia.models import Contact, User
from grants import workflow
from grants.applications.models import Application
from grants.applications.rules import is_application_contact
from grants.applications.services.attachments import checked_upload
from grants.programs.models import Round

from .models import Appeal, AppealSettings, Evidence
from .rules import took_part

S, R = Appeal.Status, Appeal.Remedy
NOTIFY = "grants.appeals.tasks.notify_outcome"
MAX_STATEMENT = 20_000


def settings_of(round_: Round) -> AppealSettings | None:
    return AppealSettings.objects.filter(round=round_).first()


@transaction.atomic
def configure(*, round_: Round, by, takes_appeals: bool, window_days: int, grounds: str, independent_decider: bool):
    """An administrator sets whether the round takes appeals, its window, its grounds and who may decide."""
    authorize(by, "appeals.configure_appeals", round_)
    grounds = "\n".join(line.strip() for line in (grounds or "").splitlines() if line.strip())
    if takes_appeals and not grounds:
        raise Refusal("List at least one ground for appeal.", errors={"grounds": "List at least one ground."})
    appeal_settings, _ = AppealSettings.objects.update_or_create(
        round=round_,
        defaults={
            "takes_appeals": takes_appeals,
            "window_days": window_days,
            "grounds": grounds,
            "independent_decider": independent_decider,
        },
    )
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=round_,
        summary=f"Appeals: {'taken' if takes_appeals else 'not taken'}, window {window_days} days, "
        f"{'an independent' if independent_decider else 'any'} decider, grounds: {'; '.join(grounds.splitlines())}",
    )
    return appeal_settings


def window_problem(application: Application, *, now: datetime) -> str:
    """Why an appeal on the application cannot be filed now, whoever asks; empty when it can."""
    round_ = application.round
    appeal_settings = settings_of(round_)
    if appeal_settings is None or not appeal_settings.takes_appeals:
        return f"{round_} does not take appeals."
    if round_.results_published_at is None:
        return f"The results of {round_} are not published yet; an appeal can be filed once they are."
    if now >= appeal_settings.deadline(round_.results_published_at):
        last = format_date(appeal_settings.last_day(round_.results_published_at))
        return f"The appeal window of {round_} closed at the end of {last} (Pacific time); appeals are no longer taken."
    return ""


def open_appeal(application: Application) -> Appeal | None:
    return Appeal.objects.filter(application=application, status=S.FILED).first()


def filing_problem(application: Application, user, *, now: datetime | None = None) -> str:
    """Why this person cannot file an appeal on the application now, in words; empty when they can."""
    if not user.has_perm("appeals.file_appeal", application):
        return "Only the consortium's lead contact can file an appeal."
    if problem := window_problem(application, now=now or timezone.now()):
        return problem
    if open_appeal(application) is not None:
        return f"An appeal on {application.number} is already filed and waiting for a decision."
    return ""


def _checked_files(uploads) -> list[tuple]:
    """Each upload with its detected type and SHA-256 (checked_upload), or a Refusal naming what is wrong with one."""
    return [(upload, *checked_upload(upload, field="files")) for upload in uploads]


@transaction.atomic
def file_appeal(
    *, application: Application, by, grounds: list[str], statement: str, files=(), click=None, now=None
) -> Appeal:
    """The lead contact files an appeal, inside the round's window, on grounds from the round's list."""
    now = now or timezone.now()
    if not (is_application_contact.test(by, application) or by.has_perm("appeals.file_appeal", application)):
        raise PermissionDenied
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    if click and (done := Appeal.objects.filter(click_token=click).first()):
        raise AlreadyDone("That appeal was filed already; the same form arrived twice.", done=done)
    if problem := filing_problem(locked, by, now=now):
        raise Refusal(problem)
    allowed = settings_of(locked.round).grounds_list
    errors = {}
    chosen = [ground for ground in allowed if ground in set(grounds or ())]
    if not grounds:
        errors["grounds"] = "Choose at least one ground for the appeal."
    elif len(chosen) != len(set(grounds)):
        errors["grounds"] = "Choose grounds from the round's list."
    statement = (statement or "").strip()
    if not statement:
        errors["statement"] = "Say why you appeal."
    elif len(statement) > MAX_STATEMENT:
        errors["statement"] = f"At most {MAX_STATEMENT:,} characters; attach a file for longer text."
    if errors:
        raise Refusal("The appeal was not filed: " + " ".join(errors.values()), errors=errors)
    checked = _checked_files(files)
    appeal = Appeal.objects.create(
        application=locked, grounds=chosen, statement=statement, filed_by=by, filed_at=now, click_token=click or None
    )
    for upload, content_type, sha256 in checked:
        Evidence.objects.create(
            appeal=appeal,
            file=upload,
            original_name=PurePath(upload.name).name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=sha256,
        )
    workflow.record_creation(appeal, by=by, reason="Grounds: " + "; ".join(chosen))
    return appeal


@transaction.atomic
def decide(*, appeal: Appeal, by, upheld: bool, reasons: str, remedy: str = "") -> Appeal:
    """Staff decide a filed appeal with reasons; an upheld one with its remedy. The applicant is emailed once."""
    authorize(by, "appeals.view_appeal", appeal)
    locked = Appeal.objects.select_for_update().select_related("application__round").get(pk=appeal.pk)
    if locked.status != S.FILED:
        raise Refusal(f"This appeal was {workflow.label(locked)} already; it is decided once.")
    if not by.is_program_staff:
        raise PermissionDenied
    appeal_settings = settings_of(locked.application.round)
    if appeal_settings and appeal_settings.independent_decider and (found := took_part(by, locked.application)):
        raise Refusal(
            "This round asks for a decision by someone who took no part in the original decision, and "
            + " and ".join(found)
            + ". Ask another member of program staff."
        )
    reasons = require_reason(reasons, "Give the reasons for the decision; the applicant reads them.")
    if upheld:
        if remedy not in (R.NEW_READING, R.FUNDING):
            raise Refusal("Choose the remedy of the upheld appeal.", errors={"remedy": "Choose a remedy."})
        if remedy == R.FUNDING and locked.application.round.status != Round.Status.IN_REVIEW:
            raise Refusal(
                f"{locked.application.round} is {workflow.label(locked.application.round)}: its funding plan can no "
                "longer change, so the appeal cannot make the application eligible for it.",
                errors={"remedy": "The round's funding plan can no longer change."},
            )
    else:
        remedy = R.NONE
    workflow.transition(
        locked,
        S.UPHELD if upheld else S.DENIED,
        by=by,
        reason=reasons,
        changes={"decision": reasons, "remedy": remedy, "decided_by": by, "decided_at": timezone.now()},
    )
    if upheld:
        record(
            Event.Action.STATUS_CHANGE,
            by=by,
            obj=locked.application,
            summary=f"Appeal upheld: {R(remedy).label}",
        )
    later(NOTIFY, locked.pk)
    return locked


def fundable_by_appeal(round_: Round) -> set[int]:
    """The round's applications an upheld appeal made eligible for funding (the awards app asks, building a plan):
    upheld with that remedy, or upheld with a new reading whose closed re-reading reached the minimum score."""
    upheld = Appeal.objects.filter(application__round=round_, status=S.UPHELD)
    # A new reading counts once it is closed with a score that reaches the round's minimum (appeals.rereading).
    eligible = Q(remedy=R.FUNDING) | Q(remedy=R.NEW_READING, rereading_closed_at__isnull=False, rereading_fundable=True)
    return set(upheld.filter(eligible).values_list("application_id", flat=True))


def recipients(appeal: Appeal) -> list[str]:
    """Who is told the outcome: who filed it and the consortium's lead contacts now, active people only."""
    leads = Contact.objects.filter(consortium_id=appeal.application.consortium_id, role=Contact.Role.LEAD)
    people = User.objects.filter(is_active=True, pk__in=[appeal.filed_by_id, *leads.values_list("user_id", flat=True)])
    return sorted(people.values_list("email", flat=True))


def notify_outcome(appeal_id: int) -> int:
    """Email the decision, once. How many emails were sent (0 or 1)."""
    return email_once(
        appeal_id,
        sent_field="outcome_sent_at",
        ready=lambda appeal: appeal.status != S.FILED,
        template="appeals/emails/decided.txt",
        subject=lambda appeal: f"CCPT Grants: your appeal on {appeal.application.number} was {workflow.label(appeal)}",
    )


def email_once(appeal_id: int, *, sent_field: str, ready, template: str, subject) -> int:
    """Email the applicant about the appeal once: its row is locked and `sent_field` set in the transaction that
    sends; a failed email rolls back the mark, for the next attempt. Nothing when not `ready(appeal)` yet."""
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("application__consortium", "application__round")
            .get(pk=appeal_id)
        )
        if getattr(appeal, sent_field) is not None or not ready(appeal):
            return 0
        to = recipients(appeal)
        if not to:
            return 0
        setattr(appeal, sent_field, timezone.now())
        appeal.save(update_fields=[sent_field])
        body = render_to_string(template, {"appeal": appeal, "link": settings.SITE_URL + appeal.get_absolute_url()})
        EmailMessage(subject=subject(appeal), body=body, to=to).send()
    return 1
