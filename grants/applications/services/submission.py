"""Submitting an application: the frozen snapshot and its checksum, withdrawal, staff reopening and
late acceptance; and the attachments a draft carries, which become part of what is submitted.

Every status change goes through workflow.transition(), so each one is recorded (who, when, why).
"""

import copy
import hashlib
import json
from datetime import datetime
from decimal import Decimal

import rules
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from grants import workflow
from grants.applications import tasks
from grants.programs.models import RequiredAttachment, Round

from ..models import Application, Attachment, BudgetItem, Submission
from . import attachments, eligibility

A = Application.Status
SNAPSHOT_FORMAT = 1
# Staff may still take a late submission while the round is being read; not once decisions are made.
LATE_ACCEPTANCE_ROUND_STATUSES = {Round.Status.OPEN, Round.Status.CLOSED, Round.Status.IN_REVIEW}


class SubmissionRefused(workflow.TransitionError):
    """The action cannot be taken now; the message says why, `problems` lists what must be fixed."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


def pacific(moment: datetime) -> str:
    """'March 28, 2014 at 5:00 PM PDT': how deadlines and submission times are told to people."""
    local = timezone.localtime(moment)
    clock = local.strftime("%-I:%M %p" if local.second == 0 else "%-I:%M:%S %p")
    return f"{local:%B} {local.day}, {local.year} at {clock} {local.tzname()}"


def _moment(now: datetime | None) -> datetime:
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("`now` must be timezone-aware.")
    return now


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _require(user, perm: str, application: Application, message: str) -> None:
    if not user.has_perm(perm, application):
        raise PermissionDenied(message)


def not_draft_reason(application: Application) -> str:
    """Why a submitted or withdrawn application cannot be submitted; "" for a draft."""
    if application.status == A.SUBMITTED:
        when = f" on {pacific(application.submitted_at)}" if application.submitted_at else ""
        return f"Application {application.number} was already submitted{when}; it was not submitted again."
    if application.status == A.WITHDRAWN:
        return f"Application {application.number} was withdrawn; it cannot be submitted."
    return ""


def _refuse_unless_draft(application: Application) -> None:
    if reason := not_draft_reason(application):
        raise SubmissionRefused(reason)


def _refuse_unless_accepting(round_: Round, now: datetime) -> None:
    if round_.is_accepting_applications(now):
        return
    if round_.status == Round.Status.OPEN and now < round_.opens_at:
        raise SubmissionRefused(f"{round_} opens for applications on {pacific(round_.opens_at)}.")
    if now >= round_.closes_at:
        raise SubmissionRefused(
            f"The deadline for {round_} was {pacific(round_.closes_at)}; the application was not submitted. "
            "Only program staff can accept a late submission."
        )
    raise SubmissionRefused(f"{round_} is not accepting applications (it is {round_.get_status_display().lower()}).")


def _refuse_unless_late(round_: Round, now: datetime) -> None:
    if round_.status not in LATE_ACCEPTANCE_ROUND_STATUSES:
        raise SubmissionRefused(
            f"{round_} is {round_.get_status_display().lower()}; a late submission can no longer be accepted."
        )
    if now < round_.closes_at:
        raise SubmissionRefused(
            f"{round_} accepts applications until {pacific(round_.closes_at)}; "
            "the consortium's lead agency staff submit it themselves."
        )


def submit_application(
    *, application: Application, by, now: datetime | None = None, late_reason: str = ""
) -> Submission:
    """Freeze the application into a new current Submission and mark it submitted.

    With a late_reason, program staff accept it after the deadline. Raises SubmissionRefused (with a
    message for the person) or PermissionDenied. Screening is enqueued once the transaction commits.
    """
    now = _moment(now)
    late_reason = (late_reason or "").strip()
    with transaction.atomic():
        locked = _lock(application)
        _refuse_unless_draft(locked)
        if late_reason:
            _require(
                by, "applications.accept_late_submission", locked, "Only program staff can accept a late submission."
            )
            _refuse_unless_late(locked.round, now)
        else:
            _require(
                by, "applications.submit_application", locked, "Only the consortium's lead agency staff can submit it."
            )
            _refuse_unless_accepting(locked.round, now)
        if problems := eligibility.submission_problems(locked):
            raise SubmissionRefused("The application is not ready to submit. Fix what is listed first.", problems)

        data = build_snapshot(locked, submitted_at=now)
        Submission.objects.filter(application=locked, is_current=True).update(is_current=False)
        # The staff member accepting a late submission is not the consortium's contact; their own
        # permission was checked above.
        workflow.transition(locked, A.SUBMITTED, by=by, reason=late_reason, check_permission=not late_reason)
        locked.submitted_at = now
        locked.save(update_fields=["submitted_at"])
        submission = Submission.objects.create(
            application=locked,
            submitted_at=now,
            submitted_by=by,
            data=data,
            checksum=checksum(data),
            late_reason=late_reason,
        )
        transaction.on_commit(lambda: _enqueue_screening(submission.pk), robust=True)
    application.status, application.submitted_at = locked.status, locked.submitted_at
    return submission


def accept_late_submission(*, application: Application, by, reason: str, now: datetime | None = None) -> Submission:
    if not (reason or "").strip():
        raise SubmissionRefused("Give the reason for accepting this submission after the deadline.")
    return submit_application(application=application, by=by, now=now, late_reason=reason)


def _enqueue_screening(submission_id: int) -> None:
    tasks.screen_submission.delay(submission_id)


def withdraw_application(*, application: Application, by, reason: str = "", now: datetime | None = None):
    """The lead agency takes its application out of the competition, before applications close."""
    now = _moment(now)
    with transaction.atomic():
        locked = _lock(application)
        if locked.status == A.WITHDRAWN:
            raise SubmissionRefused(f"Application {locked.number} was already withdrawn.")
        _require(
            by, "applications.withdraw_application", locked, "Only the consortium's lead agency staff can withdraw it."
        )
        if now >= locked.round.closes_at:
            raise SubmissionRefused(
                f"Applications for {locked.round} closed on {pacific(locked.round.closes_at)}; an application "
                "cannot be withdrawn after the deadline. Write to program staff instead."
            )
        change = workflow.transition(locked, A.WITHDRAWN, by=by, reason=(reason or "").strip())
    application.status = locked.status
    return change


def reopen_application(*, application: Application, by, reason: str):
    """Staff send a submitted application back to draft; the consortium must submit it again."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(application)
        _require(by, "applications.reopen_application", locked, "Only program staff can reopen an application.")
        if locked.status != A.SUBMITTED:
            raise SubmissionRefused(
                f"Only a submitted application can be reopened; {locked.number} is "
                f"{locked.get_status_display().lower()}."
            )
        if not reason:
            raise SubmissionRefused("Give the reason for reopening; it is kept in the record.")
        change = workflow.transition(locked, A.DRAFT, by=by, reason=reason)
        locked.submitted_at = None
        locked.save(update_fields=["submitted_at"])
    application.status, application.submitted_at = locked.status, None
    return change


# The snapshot --------------------------------------------------------------------------------------


def canonical_json(data: dict) -> str:
    """The one serialisation the checksum is computed over."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def checksum(data: dict) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def verify(submission: Submission) -> bool:
    """Is the stored snapshot exactly what was submitted?"""
    return checksum(submission.data) == submission.checksum


def _money(amount: Decimal | None) -> str:
    return str((amount or Decimal("0")).quantize(Decimal("0.01")))


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _organization(org) -> dict:
    return {
        "id": org.pk,
        "name": org.name,
        "kind": org.kind,
        "kind_label": org.get_kind_display(),
        "county": org.county.name,
        "code": org.code,
    }


def _attachment(attachment: Attachment | None) -> dict | None:
    if attachment is None:
        return None
    required = attachment.required_attachment
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "required_attachment_id": attachment.required_attachment_id,
        "required_attachment": required.name if required else None,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_by": str(attachment.uploaded_by),
        "uploaded_at": _when(attachment.uploaded_at),
    }


def _budget(application: Application, years: list[str]) -> dict:
    cells = {(item.fiscal_year, item.object_code): item.amount for item in application.budget_items.all()}
    rows = []
    for code, label in BudgetItem.ObjectCode.choices:
        amounts = [cells.get((year, code), Decimal("0")) for year in years]
        rows.append(
            {
                "object_code": code,
                "label": label,
                "amounts": [_money(a) for a in amounts],
                "total": _money(sum(amounts)),
            }
        )
    year_totals = [
        sum((cells.get((year, code), Decimal("0")) for code in BudgetItem.ObjectCode.values), Decimal("0"))
        for year in years
    ]
    return {
        "fiscal_years": years,
        "rows": rows,
        "year_totals": [_money(t) for t in year_totals],
        "total": _money(sum(year_totals)),
        "narratives": [{"fiscal_year": y, "text": application.budget_narratives.get(y, "")} for y in years],
    }


def build_snapshot(application: Application, *, submitted_at: datetime) -> dict:
    """The whole application as plain JSON data: what reviewers read, and what the checksum covers."""
    app = (
        Application.objects.select_related(
            "round__program", "category", "consortium__lead_agency__county", "consortium__region"
        )
        .prefetch_related(
            "programs",
            "partners__organization__county",
            "partners__resources",
            "partners__letter__required_attachment",
            "partners__letter__uploaded_by",
            "budget_items",
            "narratives",
            "attachments__required_attachment",
            "attachments__uploaded_by",
            "consortium__memberships__organization__county",
            "consortium__counties_served",
        )
        .get(pk=application.pk)
    )
    round_, consortium = app.round, app.consortium
    years = round_.fiscal_years
    answers = {n.criterion_id: n.text for n in app.narratives.all()}
    partners = []
    for partner in app.partners.all():
        resources = list(partner.resources.all())
        partners.append(
            {
                "organization": _organization(partner.organization),
                "role": partner.role,
                "role_label": partner.get_role_display(),
                "responsibilities": partner.responsibilities,
                "letter": _attachment(partner.letter),
                "resources": [
                    {
                        "fiscal_year": r.fiscal_year,
                        "kind": r.kind,
                        "kind_label": r.get_kind_display(),
                        "amount": _money(r.amount),
                        "description": r.description,
                    }
                    for r in resources
                ],
                "committed_total": _money(sum((r.amount for r in resources), Decimal("0"))),
            }
        )
    data = {
        "format": SNAPSHOT_FORMAT,
        "application": {"id": app.pk, "number": app.number, "title": app.title},
        "submitted_at": submitted_at.isoformat(),
        "requested_amount": _money(app.requested_amount),
        "section_labels": dict(Application.Section.choices),
        "round": {
            "id": round_.pk,
            "code": round_.code,
            "name": round_.name,
            "program": round_.program.name,
            "kind": round_.kind,
            "kind_label": round_.get_kind_display(),
            "opens_at": _when(round_.opens_at),
            "closes_at": _when(round_.closes_at),
            "fiscal_years": years,
        },
        "category": {
            "id": app.category.pk,
            "name": app.category.name,
            "maximum_award": _money(app.category.maximum_award),
        },
        "consortium": {
            "id": consortium.pk,
            "name": consortium.name,
            "region": consortium.region.name,
            "counties_served": [c.name for c in consortium.counties_served.all()],
            "labor_market_region": consortium.labor_market_region,
            "lead_agency": _organization(consortium.lead_agency),
            "members": [
                {**_organization(m.organization), "role": m.role, "role_label": m.get_role_display()}
                for m in consortium.memberships.all()
            ],
        },
        "summary": {"title": app.title, "summary": app.summary},
        "target_group": {
            "target_group": app.target_group,
            "grades_served": app.grades_served,
            "students_served": app.students_served,
        },
        "need": {"need_statement": app.need_statement, "labor_market": app.labor_market},
        "programs": [
            {
                "name": p.name,
                "sector": p.sector,
                "sector_label": p.get_sector_display(),
                "k12_sequence": p.k12_sequence,
                "postsecondary_sequence": p.postsecondary_sequence,
                "dual_enrollment": p.dual_enrollment,
                "articulation": p.articulation,
                "work_based_learning": p.work_based_learning,
                "student_internships": p.student_internships,
                "teacher_internships": p.teacher_internships,
                "students_by_year": [{"fiscal_year": y, "students": p.students_by_year.get(y)} for y in years],
            }
            for p in app.programs.all()
        ],
        "partners": partners,
        "committed_total": _money(sum((Decimal(p["committed_total"]) for p in partners), Decimal("0"))),
        "budget": _budget(app, years),
        "narratives": [
            {
                "criterion_id": c.pk,
                "criterion": c.name,
                "description": c.description,
                "max_points": str(c.max_points),
                "text": answers.get(c.pk, ""),
            }
            for c in round_.criteria.all()
        ],
        "attachments": [_attachment(a) for a in app.attachments.all()],
    }
    # Round-trip through the canonical form so that what is stored is exactly what was hashed.
    return json.loads(canonical_json(data))


def readable_snapshot(data: dict, *, file_url=None) -> dict:
    """The snapshot with its times as datetimes, for templates (which show them in Pacific time).

    `file_url(attachment_id)`, when given, is where the person reading may open each file (`url` on each file).
    """
    readable = copy.deepcopy(data)

    def parse(value):
        return datetime.fromisoformat(value) if value else None

    readable["submitted_at"] = parse(readable.get("submitted_at"))
    for key in ("opens_at", "closes_at"):
        readable["round"][key] = parse(readable["round"].get(key))
    files = list(readable.get("attachments", [])) + [p["letter"] for p in readable.get("partners", []) if p["letter"]]
    for attachment in files:
        attachment["uploaded_at"] = parse(attachment.get("uploaded_at"))
        if file_url is not None:
            attachment["url"] = file_url(attachment["id"])
    return readable


# Attachments of a draft ----------------------------------------------------------------------------


def _discard_file(name: str) -> None:
    transaction.on_commit(lambda: Attachment.file.field.storage.delete(name))


def upload_attachment(
    *, application: Application, upload: UploadedFile, by, required_attachment: RequiredAttachment | None = None
) -> Attachment:
    """Store an upload for a draft; a file for a required attachment replaces the one there was.

    Raises PermissionDenied when the application cannot be changed (e.g. it was submitted meanwhile)
    and ValidationError (from attachments.validate_upload) when the file is not acceptable.
    """
    with transaction.atomic():
        locked = _lock(application)
        _require(by, "applications.change_application", locked, "This application can no longer be changed.")
        if required_attachment is not None and required_attachment.round_id != locked.round_id:
            raise ValueError("That required attachment belongs to another round.")
        replaced = (
            list(locked.attachments.filter(required_attachment=required_attachment)) if required_attachment else []
        )
        attachment = attachments.store_attachment(
            application=locked, upload=upload, by=by, required_attachment=required_attachment
        )
        for old in replaced:
            _discard_file(old.file.name)
            old.delete()
    return attachment


def delete_attachment(*, attachment: Attachment, by) -> None:
    with transaction.atomic():
        locked = _lock(attachment.application)
        _require(by, "applications.change_application", locked, "This application can no longer be changed.")
        _discard_file(attachment.file.name)
        attachment.delete()


@rules.predicate
def is_uploaded(required, files) -> bool:
    """Is there a file for this required attachment among an application's files?"""
    return any(f.required_attachment_id == required.pk for f in files)


# For templates that have only the application:
#   {% with files=application.attachments.all %}{% test_rule "applications.is_uploaded" required files as uploaded %}
rules.set_rule("applications.is_uploaded", is_uploaded)
