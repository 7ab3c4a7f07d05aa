"""Progress reports: an award's reports, one report's values (entered, uploaded, submitted), its versions, and staff's
review; and the list of every report for program staff."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal
from grants.applications.services.attachments import ALLOWED_DESCRIPTION
from grants.awards.models import Award

from ..filters import ReportFilter
from ..models import IndicatorVersion, ProgressReport, ReportValue, ReportVersion
from ..services import reports, review, values
from ..services.values import Entry

S = ProgressReport.Status
RATE = IndicatorVersion.Unit.RATE


@login_required
def award_reports(request, pk):
    award = get_object_or_404(Award.objects.select_related("round", "consortium"), pk=pk)
    authorize(request.user, "awards.view_award", award)
    context = {"award": award, "reports": reports.open_reports(award), "now": timezone.now()}
    return render(request, "reporting/reports/award.html", context)


def report_or_404(request, pk, perm="reporting.view_report") -> ProgressReport:
    report = get_object_or_404(
        ProgressReport.objects.select_related("award__consortium__lead_agency", "award__round", "extra"), pk=pk
    )
    authorize(request.user, perm, report)
    return report


@dataclass
class Cell:
    version: IndicatorVersion
    name: str  # the input's name without its prefix: "<organization>-<indicator>"
    label: str
    value: str = ""
    numerator: str = ""
    denominator: str = ""
    breakdowns: list = field(default_factory=list)
    problem: str = ""
    comment: str = ""

    @property
    def is_rate(self) -> bool:
        return self.version.unit == RATE


def _text(number) -> str:
    if number is None:
        return ""
    return values._plain(number) if not isinstance(number, int) else str(number)


def _grid(report, organizations, versions, *, posted=None, problems=None, comments=None):
    """A block per organization, a cell per indicator it reports, with what is saved (or what was just typed), and
    whether the block needs attention."""
    values = {}
    breakdowns = {}
    for value in ReportValue.objects.filter(report=report, organization__in=organizations):
        if value.breakdown:
            breakdowns.setdefault((value.organization_id, value.indicator_id), []).append(value)
        else:
            values[(value.organization_id, value.indicator_id)] = value
    problems, comments = problems or {}, comments or {}
    blocks = []
    for organization in organizations:
        cells = []
        for version in versions:
            if not reports.reports_it(version, organization):
                continue
            name = f"{organization.pk}-{version.indicator_id}"
            cell = Cell(version=version, name=name, label=f"{version.name}, {organization.name}")
            saved = values.get((organization.pk, version.indicator_id))
            if posted is not None and f"v-{name}" in posted or posted is not None and f"n-{name}" in posted:
                cell.value = posted.get(f"v-{name}", "")
                cell.numerator = posted.get(f"n-{name}", "")
                cell.denominator = posted.get(f"d-{name}", "")
            elif saved is not None:
                cell.value, cell.numerator, cell.denominator = (
                    _text(saved.value),
                    _text(saved.numerator),
                    _text(saved.denominator),
                )
            cell.breakdowns = [
                (reports.breakdown_label(b.breakdown), _shown(b))
                for b in breakdowns.get((organization.pk, version.indicator_id), [])
            ]
            cell.problem = problems.get(f"{organization.pk}:{version.indicator.code}:", "")
            cell.comment = comments.get(f"value:{organization.pk}:{version.indicator.code}", "")
            cells.append(cell)
        if cells:  # shown open when something in it needs the reader: a problem, or staff's comment
            blocks.append((organization, cells, any(cell.problem or cell.comment for cell in cells)))
    return blocks


def _shown(value) -> str:
    if value.numerator is not None:
        return f"{value.numerator} of {value.denominator}"
    return _text(value.value)


def _latest_comments(report) -> tuple[ReportVersion | None, dict[str, str]]:
    """The last returned version and its comments by item, for the grantee correcting it."""
    if report.status != S.RETURNED:
        return None, {}
    version = report.versions.order_by("-number").prefetch_related("comments").first()
    return version, {comment.item: comment.text for comment in version.comments.all()}


def _entries(post, organizations, versions) -> list[Entry]:
    """The values typed in the page's grid (`v-`, `n-`, `d-<organization>-<indicator>`); a cell that was not on the
    page sent is left as it is."""
    entries = []
    for organization in organizations:
        for version in versions:
            name = f"{organization.pk}-{version.indicator_id}"
            if not reports.reports_it(version, organization) or not any(f"{p}-{name}" in post for p in "vnd"):
                continue
            entries.append(
                Entry(
                    organization_id=str(organization.pk),
                    code=version.indicator.code,
                    value=post.get(f"v-{name}", ""),
                    numerator=post.get(f"n-{name}", ""),
                    denominator=post.get(f"d-{name}", ""),
                )
            )
    return entries


def render_report(request, report, *, posted=None, problems=None, upload_problems=None, status=200):
    user = request.user
    full = user.has_perm("reporting.view_member_values", report)
    can_enter = user.has_perm("reporting.enter_values", report)
    can_submit = user.has_perm("reporting.submit_report", report)
    organizations = reports.organizations_for(user, report, full=full)
    versions = reports.report_versions(report)
    returned, comments = _latest_comments(report)
    blocks = _grid(report, organizations, versions, posted=posted, problems=problems, comments=comments)
    totals = values.totals(report)
    history = list(report.versions.select_related("submitted_by", "decided_by").prefetch_related("comments"))
    context = {
        "report": report,
        "award": report.award,
        "now": timezone.now(),
        "blocks": blocks,
        "versions": versions,
        "totals": [(version, totals.get(version.indicator_id)) for version in versions],
        "full": full,
        "can_enter": can_enter,
        "can_submit": can_submit,
        "can_narrate": can_submit,
        "can_review": user.has_perm("reporting.review_report", report),
        "missing": review.missing_values(report) if can_submit else [],
        "returned": returned,
        "comments": comments,
        "narrative": [
            (name, ProgressReport._meta.get_field(name).verbose_name, (posted or {}).get(name, getattr(report, name)))
            for name in ProgressReport.NARRATIVE
        ],
        "history": history[::-1],
        "files": list(report.attachments.select_related("uploaded_by")),
        "allowed_files": ALLOWED_DESCRIPTION,
        "problems": list((problems or {}).values()) + (upload_problems or []),
        "late": reports.is_late(report),
        "review_items": review.items_to_comment(history[-1]) if history else [],
    }
    return render(request, "reporting/reports/detail.html", context, status=status)


@login_required
def report_detail(request, pk):
    report = report_or_404(request, pk)
    if request.method != "POST":
        return render_report(request, report)
    authorize(request.user, "reporting.enter_values", report)
    full = request.user.has_perm("reporting.view_member_values", report)
    organizations = reports.organizations_for(request.user, report, full=full)
    versions = reports.report_versions(report)
    narrative = (
        {name: request.POST[name] for name in ProgressReport.NARRATIVE if name in request.POST}
        if request.user.has_perm("reporting.submit_report", report)
        else None
    )
    try:
        outcome = values.enter_values(
            report=report,
            entries=_entries(request.POST, organizations, versions),
            by=request.user,
            allowed={organization.pk for organization in organizations},
            versions=versions,
            narrative=narrative,
        )
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("reporting:report", report.pk)
    if outcome.problems:
        messages.warning(
            request,
            f"Saved what was valid ({outcome.saved} values). Correct the {len(outcome.problems)} marked below: what "
            "you typed is kept on this page until you save it again.",
        )
        return render_report(request, report, posted=request.POST, problems=outcome.problems, status=422)
    messages.success(request, f"Draft saved: {outcome.saved} values saved, {outcome.cleared} cleared.")
    return redirect("reporting:report", report.pk)


@login_required
@require_POST
def report_submit(request, pk):
    report = report_or_404(request, pk, "reporting.submit_report")
    try:
        version = review.submit(report=report, by=request.user)
    except Refusal as refusal:
        return render_report(request, report, upload_problems=refusal.problems or [refusal.message], status=422)
    messages.success(request, f"Submitted {report.title} (version {version.number}). Program staff will review it.")
    return redirect("reporting:report", report.pk)


@login_required
@require_POST
def report_review(request, pk):
    report = report_or_404(request, pk, "reporting.review_report")
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
    labels = dict(review.items_to_comment(report.versions.order_by("-number").first()))
    item_comments = {}
    for index in range(1, 4):
        item, text = request.POST.get(f"item-{index}", ""), request.POST.get(f"item-comment-{index}", "")
        if text.strip() and item in labels:
            label, earlier = labels[item], item_comments.get(item, ("", ""))[1]
            item_comments[item] = (label, f"{earlier}\n{text}".strip())
    try:
        if decision == "accept":
            review.accept_report(report=report, by=request.user, comment=comment)
            messages.success(request, f"Accepted {report.title}.")
        elif decision == "return":
            review.return_report(report=report, by=request.user, comment=comment, item_comments=item_comments)
            messages.success(request, f"Returned {report.title} to {report.award.consortium} for changes.")
        else:
            raise Refusal("Choose whether to accept the report or return it for changes.")
    except Refusal as refusal:
        return render_report(request, report, upload_problems=[refusal.message], status=422)
    return redirect("reporting:report", report.pk)


@login_required
def version_detail(request, pk, number):
    report = report_or_404(request, pk)
    version = get_object_or_404(
        report.versions.select_related("submitted_by", "decided_by").prefetch_related("comments"), number=number
    )
    rows = version.values
    if not request.user.has_perm("reporting.view_member_values", report):
        mine = reports.managed_organizations(request.user, report)
        rows = [row for row in rows if row["organization_id"] in mine]
    context = {
        "report": report,
        "award": report.award,
        "version": version,
        "rows": [{**row, "breakdown_label": reports.breakdown_label(row["breakdown"])} for row in rows],
        "narrative": [
            (ProgressReport._meta.get_field(name).verbose_name, version.narrative.get(name, ""))
            for name in ProgressReport.NARRATIVE
        ],
    }
    return render(request, "reporting/reports/version.html", context)


@login_required
def report_list(request):
    authorize(request.user, "reporting.view_every_report")
    now = timezone.now()
    shown = request.GET.get("show", "attention")
    queryset = ProgressReport.objects.select_related("award__consortium", "award__round").order_by("due_at", "pk")
    choices = {
        "attention": (
            "Needing attention (overdue or waiting for review)",
            Q(status=S.SUBMITTED) | Q(status=S.DRAFT, due_at__lt=now),
        ),
        "overdue": ("Overdue", Q(status=S.DRAFT, due_at__lt=now)),
        "submitted": ("Waiting for review", Q(status=S.SUBMITTED)),
        "returned": ("Returned for changes", Q(status=S.RETURNED)),
        "accepted": ("Accepted", Q(status=S.ACCEPTED)),
        "all": ("All", Q()),
    }
    if shown not in choices:
        shown = "attention"
    counts = ProgressReport.objects.aggregate(
        overdue=Count("pk", filter=choices["overdue"][1]),
        submitted=Count("pk", filter=choices["submitted"][1]),
        returned=Count("pk", filter=choices["returned"][1]),
    )
    found = ReportFilter(request.GET or None, queryset=queryset)
    rows = found.qs if found.is_bound and found.is_valid() else queryset
    page = Paginator(rows.filter(choices[shown][1]), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filter": found,
        "shown": shown,
        "choices": [(key, label) for key, (label, _) in choices.items()],
        "counts": counts,
        "now": now,
    }
    return render(request, "reporting/reports/list.html", context)
