"""Staff screening pages: a round's submissions (filters, search, CSV) and each submission's checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.lib.csv import csv_response
from ccpt.lib.permissions import get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from grants import workflow
from grants.programs.models import Round

from ..filters import SubmissionFilter
from ..forms.screening import OverrideForm
from ..models import Application, Attachment, ScreeningCheck, Submission
from ..services import screening
from ..services.snapshot import submitted_files

PAGE_SIZE = 50


@login_required
def submission_list(request, pk):
    round_ = get_authorized(request.user, "applications.view_submissions", Round, pk=pk)
    filterset = SubmissionFilter(request.GET, round_=round_)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"round": round_, "filter": filterset, "page": page, "filtered": request.GET.urlencode()}
    return render(request, "applications/screening/list.html", context)


CSV_HEADER = [
    "Application number",
    "Project title",
    "Consortium",
    "Lead agency",
    "Region",
    "Funding category",
    "Amount requested",
    "Status",
    "Submitted at (Pacific)",
    "Screening result",
    "Checks failed",
]


# The columns of CSV_HEADER read as plain values (no model objects per row); status and screening as their labels.
CSV_COLUMNS = (
    "number",
    "title",
    "consortium__name",
    "consortium__lead_agency__name",
    "consortium__region__name",
    "category__name",
    "requested_amount",
    "status",
    "submission_at",
    "screening",
    "checks_failed",
)
STATUS = dict(Application.Status.choices)
SCREENING = dict(Submission.Screening.choices)


@login_required
def submission_csv(request, pk):
    round_ = get_authorized(request.user, "applications.view_submissions", Round, pk=pk)
    rows = SubmissionFilter(request.GET, round_=round_).qs.values_list(*CSV_COLUMNS)
    rows = (
        (*row[:7], STATUS.get(status, status), at, SCREENING.get(screening, ""), failed)
        for *row, status, at, screening, failed in rows.iterator(chunk_size=2000)
    )
    return csv_response(f"{round_.code}-submissions.csv", CSV_HEADER, rows)


def _render_detail(request, submission, invalid=None):
    """The checks of a submission; `invalid` is (check pk, bound form) to show a refused override again."""
    checks = list(submission.checks.select_related("overridden_by"))
    live = submission.is_current and submission.application.status == Application.Status.SUBMITTED
    can_override = live and request.user.has_perm("applications.override_screening", submission)
    for check in checks:
        if invalid and invalid[0] == check.pk:
            check.override_form = invalid[1]
        elif can_override and not check.is_satisfied:
            check.override_form = OverrideForm(prefix=f"check-{check.pk}")
    context = {
        "live": live,
        "submission": submission,
        "application": submission.application,
        "checks": checks,
        "overrides": sorted((c for c in checks if c.overridden_at), key=lambda c: c.overridden_at),
        "result_changes": workflow.history(submission),
        "files": _files(submission),
    }
    return render(request, "applications/screening/detail.html", context)


def _files(submission) -> list[dict]:
    """The files this submission named; `stored` is False for one replaced or deleted after an earlier submission
    (downloads go through the permission-checked attachment view)."""
    files = submitted_files(submission.data)
    stored = set(
        Attachment.objects.filter(
            application_id=submission.application_id, pk__in=[f["id"] for f in files]
        ).values_list("pk", flat=True)
    )
    return [{**f, "stored": f["id"] in stored} for f in files]


def _submission_queryset():
    return Submission.objects.select_related(
        "application__round", "application__category", "application__consortium__lead_agency", "submitted_by"
    )


@login_required
def submission_detail(request, pk):
    submission = get_authorized(request.user, "applications.view_submissions", _submission_queryset(), pk=pk)
    return _render_detail(request, submission)


@login_required
@require_POST
def override(request, pk):
    check = get_object_or_404(ScreeningCheck, pk=pk)
    submission = get_authorized(
        request.user, "applications.override_screening", _submission_queryset(), pk=check.submission_id
    )
    form = OverrideForm(request.POST, prefix=f"check-{check.pk}")
    if form.is_valid():
        try:
            screening.override_check(check=check, by=request.user, reason=form.cleaned_data["reason"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Accepted “{check.label}”. The screening result was worked out again.")
            return redirect("applications:submission-screening", submission.pk)
    return _render_detail(request, submission, invalid=(check.pk, form))
