"""Submitting, withdrawing, reopening and accepting late; the submitted snapshot, printable and as a PDF."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse

from ccpt.permissions import authorize, get_authorized
from grants.models import StatusChange

from ..forms.submissions import LateAcceptanceForm, ReopenForm, SubmitForm, WithdrawForm
from ..models import Application, Submission
from ..services import eligibility
from ..services import submission as service

A = Application.Status


def _application(request, pk, perm="applications.view_application") -> Application:
    queryset = Application.objects.select_related("round", "category", "consortium__lead_agency")
    return get_authorized(request.user, perm, queryset, pk=pk)


def _posted(request):
    """The POST data, even when empty (an empty QueryDict is falsy, and the form would be unbound)."""
    return request.POST if request.method == "POST" else None


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
    form = SubmitForm(_posted(request))
    refusal = None
    if request.method == "POST" and form.is_valid():
        try:
            submission = service.submit_application(application=application, by=request.user)
        except service.SubmissionRefused as refused:
            application.refresh_from_db(fields=["status", "submitted_at"])
            if application.status != A.DRAFT:
                return _not_a_draft(request, application)
            refusal = refused
        else:
            messages.success(
                request,
                f"Application {application.number} was submitted on {service.pacific(submission.submitted_at)}. "
                "A receipt will be emailed to the consortium's contacts.",
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


@login_required
def withdraw(request, pk):
    application = _application(request, pk, "applications.withdraw_application")
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service.withdraw_application(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except service.SubmissionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"Application {application.number} was withdrawn.")
            return redirect(application)
    return render(request, "applications/submissions/withdraw.html", {"application": application, "form": form})


@login_required
def reopen(request, pk):
    application = _application(request, pk, "applications.reopen_application")
    form = ReopenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service.reopen_application(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except service.SubmissionRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request,
                f"Application {application.number} is a draft again; the consortium can change it and must "
                "submit it again.",
            )
            return redirect(application)
    return render(request, "applications/submissions/reopen.html", {"application": application, "form": form})


@login_required
def accept_late(request, pk):
    application = _application(request, pk, "applications.accept_late_submission")
    form = LateAcceptanceForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            submission = service.accept_late_submission(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except service.SubmissionRefused as refused:
            form.add_error(None, str(refused))
            for problem in refused.problems:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                f"Application {application.number} was accepted late and submitted on "
                f"{service.pacific(submission.submitted_at)}.",
            )
            return redirect("applications:submission", pk=pk)
    context = {"application": application, "form": form, **_readiness(application)}
    return render(request, "applications/submissions/accept_late.html", context)


def _submission_context(request, pk) -> dict:
    application = _application(request, pk)
    submission = get_object_or_404(
        Submission.objects.select_related("submitted_by"), application=application, is_current=True
    )
    history = StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=application.pk
    ).select_related("by")
    return {
        "application": application,
        "submission": submission,
        "snapshot": service.readable_snapshot(
            submission.data, file_url=lambda pk: reverse("applications:attachment", args=[application.pk, pk])
        ),
        "verified": service.verify(submission),
        "history": history,
    }


@login_required
def submission_detail(request, pk):
    return render(request, "applications/submissions/detail.html", _submission_context(request, pk))


def _pdf(html: str, base_url: str) -> bytes:
    """Lay the page out with WeasyPrint, which may read our own stylesheets and nothing else."""
    # Imported here: WeasyPrint is heavy, and only this view needs it.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    prefix = base_url.rstrip("/") + "/" + settings.STATIC_URL.lstrip("/")

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(prefix):
                raise ValueError(f"Not fetched while making a PDF: {url}")
            name = url[len(prefix) :].split("?")[0]
            found = staticfiles_storage.path(name) if staticfiles_storage.exists(name) else finders.find(name)
            if not found:
                raise ValueError(f"No such static file: {name}")
            with open(found, "rb") as handle:
                body = handle.read()
            content_type = "text/css" if name.endswith(".css") else "application/octet-stream"
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return HTML(string=html, base_url=base_url, url_fetcher=StaticFilesOnly()).write_pdf()


@login_required
def submission_pdf(request, pk):
    """The same page as submission_detail, laid out by its print styles."""
    context = {**_submission_context(request, pk), "pdf": True}
    html = render_to_string("applications/submissions/detail.html", context, request=request)
    response = HttpResponse(_pdf(html, request.build_absolute_uri("/")), content_type="application/pdf")
    number = context["application"].number
    response["Content-Disposition"] = f'attachment; filename="{number}-submitted.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("applications/<int:pk>/submit/", submit, name="application-submit"),
    path("applications/<int:pk>/withdraw/", withdraw, name="application-withdraw"),
    path("applications/<int:pk>/reopen/", reopen, name="application-reopen"),
    path("applications/<int:pk>/accept-late/", accept_late, name="application-accept-late"),
    path("applications/<int:pk>/submission/", submission_detail, name="submission"),
    path("applications/<int:pk>/submission.pdf", submission_pdf, name="submission-pdf"),
]
