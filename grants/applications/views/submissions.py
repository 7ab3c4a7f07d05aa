"""Submitting, withdrawing, reopening and accepting late; the submitted snapshot, printable and as a PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from ccpt.background.services import take_deferred
from ccpt.lib.dates import format_datetime
from ccpt.lib.pdf import PdfUnavailable, render_pdf, unavailable_page
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal
from ccpt.lib.views import posted
from grants import workflow
from grants.programs.closing import closing

from ..forms.submissions import LateAcceptanceForm, ReopenForm, SubmitForm, WithdrawForm
from ..models import Application, Submission
from ..services import eligibility, record, snapshot
from ..services import submission as service

A = Application.Status


def _application(request, pk, perm="applications.view_application") -> Application:
    queryset = Application.objects.select_related("round", "category", "consortium__lead_agency")
    return get_authorized(request.user, perm, queryset, pk=pk)


def _readiness(application: Application) -> dict:
    checks = eligibility.all_checks(application)
    return {"checks": checks, "ready": all(c.passed for c in checks)}


def _not_a_draft(request, application: Application):
    """A second tab or a second click: say what happened, and show where the application stands."""
    messages.warning(request, service.not_draft_reason(application))
    if application.submissions.filter(is_current=True).exists():
        return redirect("applications:submission", pk=application.pk)
    return redirect(application)


@login_required
def submit(request, pk):
    application = _application(request, pk)
    if application.status != A.DRAFT:
        return _not_a_draft(request, application)
    authorize(request.user, "applications.submit_application", application)
    form = SubmitForm(posted(request))
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            submission = service.submit_application(application=application, by=request.user)
        except Refusal as refused:
            refusal = refused
        else:
            receipt = (
                "The receipt will be emailed to the consortium's contacts when the mail service is back."
                if take_deferred()
                else "A receipt will be emailed to the consortium's contacts."
            )
            messages.success(
                request,
                f"Application {application.number} was submitted on {format_datetime(submission.submitted_at)}. "
                + receipt,
            )
            return redirect("applications:submission", pk=pk)
    context = {
        "application": application,
        "form": form,
        "refusal": refusal,
        "accepting": application.round.is_accepting_applications(),
        **_readiness(application),
    }
    return render(request, "applications/submissions/submit.html", context)


def _reasoned_change(request, pk, *, rule: str, form_class, change, done: str, template: str):
    """A page that changes an application's status once a person says why: refusals are shown on the form."""
    application = _application(request, pk, rule)
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            change(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except Refusal as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, done.format(number=application.number))
            return redirect(application)
    return render(request, template, {"application": application, "form": form, "now": timezone.now()})


@login_required
def withdraw(request, pk):
    return _reasoned_change(
        request,
        pk,
        rule="applications.withdraw_application",
        form_class=WithdrawForm,
        change=service.withdraw_application,
        done="Application {number} was withdrawn.",
        template="applications/submissions/withdraw.html",
    )


@login_required
def reopen(request, pk):
    return _reasoned_change(
        request,
        pk,
        rule="applications.reopen_application",
        form_class=ReopenForm,
        change=service.reopen_application,
        done="Application {number} is a draft again; the consortium can change it and must submit it again.",
        template="applications/submissions/reopen.html",
    )


@login_required
def accept_late(request, pk):
    application = _application(request, pk, "applications.accept_late_submission")
    form = LateAcceptanceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submission = service.accept_late_submission(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except Refusal as refused:
            for message in [refused.message, *refused.problems]:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"Application {application.number} was accepted late and submitted on "
                f"{format_datetime(submission.submitted_at)}.",
            )
            return redirect("applications:submission", pk=pk)
    context = {
        "application": application,
        "form": form,
        "closing": closing(application.round),
        **_readiness(application),
    }
    return render(request, "applications/submissions/accept_late.html", context)


def _submission_context(request, pk) -> dict:
    application = _application(request, pk)
    submission = get_object_or_404(
        Submission.objects.select_related("submitted_by"), application=application, is_current=True
    )
    readable = snapshot.readable_snapshot(
        submission.data, file_url=lambda pk: reverse("applications:attachment", args=[application.pk, pk])
    )
    # What is stored now (snapshot.verify compares it with what was submitted); names the rendered copy's cache too.
    content_checksum = snapshot.checksum(submission.data)
    return {
        "application": application,
        "submission": submission,
        "snapshot": readable,
        # A snapshot of another shape (older, or altered) is shown part by part, as stored.
        "snapshot_outline": [] if readable else snapshot.outline(submission.data).get("children", []),
        "content_checksum": content_checksum,
        "verified": content_checksum == submission.checksum,
        "closing": closing(application.round),
        "history": workflow.history_lines(application),
        "history_caption": "Every change of the application's status: who, when and why",
        # Kept beside the snapshot, never in it: answers to clarification requests (grants/conversations).
        "record_parts": record.parts_of(application),
    }


@login_required
def submission_detail(request, pk):
    return render(request, "applications/submissions/detail.html", _submission_context(request, pk))


@login_required
def submission_pdf(request, pk):
    """The same page as submission_detail, laid out by its print styles."""
    context = {**_submission_context(request, pk), "pdf": True}
    try:
        pdf = render_pdf("applications/submissions/detail.html", context, request=request)
    except PdfUnavailable:
        back_url = reverse("applications:submission", args=[pk])
        return unavailable_page(request, back_url=back_url, back_to="the submitted application")
    response = HttpResponse(pdf, content_type="application/pdf")
    number = context["application"].number
    response["Content-Disposition"] = f'attachment; filename="{number}-submitted.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
