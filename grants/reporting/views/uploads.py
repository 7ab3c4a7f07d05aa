"""A report's CSV (its template, and the upload of its values) and the files attached to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from ccpt.lib.csv import csv_response
from ccpt.lib.refusal import Refusal
from grants.applications.views.attachments import stream

from ..services import files, reports, values
from .reports import render_report, report_or_404


@login_required
def report_template(request, pk):
    report = report_or_404(request, pk)
    full = request.user.has_perm("reporting.view_member_values", report)
    organizations = reports.organizations_for(request.user, report, full=full)
    filename = f"{report.award.number}-{report.period}-values.csv"
    return csv_response(filename, values.CSV_HEADER, values.template_rows(report, organizations))


@login_required
@require_POST
def report_upload(request, pk):
    report = report_or_404(request, pk, "reporting.enter_values")
    upload = request.FILES.get("file")
    if upload is None:
        return render_report(request, report, upload_problems=["Choose the CSV file to upload."], status=422)
    full = request.user.has_perm("reporting.view_member_values", report)
    allowed = {organization.pk for organization in reports.organizations_for(request.user, report, full=full)}
    try:
        outcome = values.upload(
            report=report, data=upload.read(values.MAX_UPLOAD_BYTES + 1), by=request.user, allowed=allowed
        )
    except Refusal as refusal:
        return render_report(request, report, upload_problems=[refusal.message], status=422)
    if outcome.problems:
        problems = [
            f"Nothing from {upload.name} was saved: correct these rows and upload it again.",
            *outcome.messages,
        ]
        return render_report(request, report, upload_problems=problems, status=422)
    messages.success(request, f"Uploaded {upload.name}: {outcome.saved} values saved, {outcome.cleared} cleared.")
    return redirect("reporting:report", report.pk)


@login_required
@require_POST
def report_attach(request, pk):
    report = report_or_404(request, pk, "reporting.submit_report")
    upload = request.FILES.get("attachment")
    if upload is None:
        return render_report(request, report, upload_problems=["Choose the file to attach."], status=422)
    try:
        attachment = files.attach_file(report=report, upload=upload, by=request.user)
    except Refusal as refusal:
        return render_report(request, report, upload_problems=[refusal.message], status=422)
    messages.success(request, f"Attached {attachment.original_name}.")
    return redirect("reporting:report", report.pk)


@login_required
@require_POST
def report_detach(request, pk, attachment_pk):
    report = report_or_404(request, pk, "reporting.submit_report")
    attachment = get_object_or_404(report.attachments, pk=attachment_pk)
    try:
        files.remove_file(attachment=attachment)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"Removed {attachment.original_name}.")
    return redirect("reporting:report", report.pk)


@login_required
def report_file(request, pk, attachment_pk):
    """A report's file, to anyone who may see the report; files are never served directly."""
    report = report_or_404(request, pk)
    return stream(get_object_or_404(report.attachments, pk=attachment_pk))
