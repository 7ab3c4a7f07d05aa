"""A fiscal year's expenditure report against the approved budget, budget revisions, and a program's payment
settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from ccpt.lib.views import posted
from consortia.accounts.reauth import reauthentication_required
from grants import workflow
from grants.programs.models import Program

from ..forms import DecisionForm, ExpenditureForm, PaymentSettingsForm, RevisionForm
from ..models import BudgetRevision, ExpenditureReport
from ..services import expenditures, revisions
from ..services.settings import save_settings, settings_for
from .payments import AWARDS

E = ExpenditureReport.Status
B = BudgetRevision.Status


def _award_year(request, pk, year):
    award = get_authorized(request.user, "payments.view_payments", AWARDS, pk=pk)
    if year not in award.fiscal_years:
        raise Http404("Not a fiscal year of the award")
    return award


@login_required
def expenditure_report(request, pk, year):
    award = _award_year(request, pk, year)
    user = request.user
    report = expenditures.report_of(award, year)
    can_file = user.has_perm("payments.file_reports", award)
    editable = can_file and award.status == award.Status.ACTIVE and (report is None or report.is_open)
    can_decide = (
        report is not None and report.status == E.SUBMITTED and user.has_perm("payments.decide_reports", report)
    )
    form = decision_form = None
    if editable:
        spent = dict(report.lines.values_list("object_code", "amount")) if report else {}
        form = ExpenditureForm(
            posted(request) if "save" in request.POST or "submit" in request.POST else None, initial=spent
        )
    if can_decide:
        decision_form = DecisionForm(
            request.POST if "decide" in request.POST else None,
            accept_label="Accept the report",
            refuse_label="Return it for changes",
        )
    if request.method == "POST":
        if form is not None and form.is_bound:
            if form.is_valid():
                try:
                    report = expenditures.save_expenditures(
                        award=award, fiscal_year=year, amounts=form.amounts(), by=user
                    )
                    if "submit" in request.POST:
                        expenditures.submit_report(report=report, by=user)
                except Refusal as refusal:
                    show_on_form(form, refusal)
                else:
                    done = "submitted to program staff" if "submit" in request.POST else "saved as a draft"
                    messages.success(request, f"The {year} expenditure report is {done}.")
                    return redirect("payments:expenditures", award.pk, year)
        elif decision_form is not None and decision_form.is_bound:
            if decision_form.is_valid():
                accept = decision_form.cleaned_data["decision"] == "accept"
                try:
                    expenditures.decide_report(
                        report=report, by=user, accept=accept, comment=decision_form.cleaned_data["comment"]
                    )
                except Refusal as refusal:
                    show_on_form(decision_form, refusal)
                else:
                    messages.success(request, f"The {year} expenditure report is {workflow.label(report)}.")
                    return redirect("payments:expenditures", award.pk, year)
        else:
            authorize(user, "payments.file_reports", award)  # a post nobody here may make
            messages.error(request, "This report cannot be changed now.")
            return redirect("payments:expenditures", award.pk, year)
    rows, total = expenditures.variance(award, year, report)
    context = {
        "award": award,
        "year": year,
        "report": report,
        "rows": rows,
        "total": total,
        "form": form,
        "decision_form": decision_form,
        "can_revise": can_file and award.status in revisions.REVISABLE,
        "history": workflow.history_lines(report) if report else [],
        "history_caption": f"Who moved the {year} expenditure report along",
    }
    return render(request, "payments/expenditures.html", context)


@login_required
def revision_new(request, pk, year):
    award = _award_year(request, pk, year)
    authorize(request.user, "payments.file_reports", award)
    budget = expenditures.approved_budget(award, year)
    form = RevisionForm(posted(request), budget=budget)
    if request.method == "POST" and form.is_valid():
        try:
            revision = revisions.request_revision(
                award=award,
                fiscal_year=year,
                amounts=form.amounts(),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            if revision.status == B.APPLIED:
                messages.success(
                    request, f"The {year} budget is revised: every change is within the program's threshold."
                )
            else:
                messages.success(request, f"Your revision of the {year} budget waits for program staff's approval.")
            return redirect("payments:revision", revision.pk)
    threshold = settings_for(award.round.program).revision_threshold_percent
    context = {"award": award, "year": year, "form": form, "budget": budget, "threshold": threshold}
    return render(request, "payments/revision_new.html", context)


@login_required
def revision_detail(request, pk):
    revision = get_object_or_404(
        BudgetRevision.objects.select_related(
            "award__round__program", "award__consortium", "requested_by", "decided_by"
        ),
        pk=pk,
    )
    authorize(request.user, "payments.view_payments", revision.award)
    can_decide = revision.status == B.PENDING and request.user.has_perm("payments.decide_reports", revision)
    form = None
    if can_decide:
        form = DecisionForm(posted(request), accept_label="Approve: the budget changes", refuse_label="Decline")
    elif request.method == "POST":
        authorize(request.user, "payments.decide_reports", revision)
        messages.error(request, f"This revision is {workflow.label(revision)}; nothing was changed.")
        return redirect("payments:revision", revision.pk)
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            revisions.decide_revision(
                revision=revision,
                by=request.user,
                approve=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"The revision is {workflow.label(revision)}.")
            return redirect("payments:revision", revision.pk)
    context = {
        "revision": revision,
        "award": revision.award,
        "lines": revision.lines.all(),
        "form": form,
        "history": workflow.history_lines(revision),
        "history_caption": "Who asked for the revision and who decided it",
    }
    return render(request, "payments/revision.html", context)


@login_required
@reauthentication_required("change a program's payment settings", methods=("POST",))
def payment_settings(request, pk):
    program = get_authorized(request.user, "payments.edit_settings", Program, pk=pk)
    current = settings_for(program)
    initial = {
        "second_approval_above": current.second_approval_above,
        "revision_threshold_percent": current.revision_threshold_percent,
    }
    form = PaymentSettingsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_settings(
                program=program,
                by=request.user,
                second_approval_above=data["second_approval_above"],
                revision_threshold_percent=data["revision_threshold_percent"],
            )
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Saved the payment settings of {program}.")
            return redirect("payments:settings", program.pk)
    return render(request, "payments/settings.html", {"program": program, "form": form, "current": current})
