from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal

from ..forms.submissions import AttachmentUploadForm
from ..models import Application, Attachment
from ..services import attachments as service

TYPE_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
}


@login_required
def download(request, application_pk, pk):
    """Stream an attachment to someone allowed to see its application; files are never served directly."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("application__consortium"), pk=pk, application_id=application_pk
    )
    authorize(request.user, "applications.view_application", attachment.application)
    return stream(attachment)


def stream(attachment: Attachment) -> FileResponse:
    """The file as a download, never shown inline and never cached; call it after authorizing."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404("The stored file is missing.") from missing
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _application(request, pk, perm="applications.view_application") -> Application:
    queryset = Application.objects.select_related("round", "consortium")
    return get_authorized(request.user, perm, queryset, pk=pk)


def _page(request, application: Application, posted: AttachmentUploadForm | None = None):
    can_edit = request.user.has_perm("applications.change_application", application)
    files = list(application.attachments.select_related("required_attachment", "uploaded_by"))
    slots = []
    for required in application.round.required_attachments.all():
        uploaded = [f for f in files if f.required_attachment_id == required.pk]
        form = None
        if can_edit:
            form = AttachmentUploadForm(application=application, required=required, replacing=bool(uploaded))
            if posted is not None and posted.required == required:
                form = posted
        slots.append({"required": required, "files": uploaded, "form": form})
    other_form = None
    if can_edit:
        other_posted = posted is not None and posted.required is None
        other_form = posted if other_posted else AttachmentUploadForm(application=application)
    context = {
        "application": application,
        "slots": slots,
        "other_form": other_form,
        "rows": [{"attachment": f, "type": TYPE_LABELS.get(f.content_type, f.content_type)} for f in files],
        "can_edit": can_edit,
        "max_mb": settings.CCPT_MAX_UPLOAD_MB,
    }
    return render(request, "applications/attachments/list.html", context)


@login_required
def attachment_list(request, pk):
    return _page(request, _application(request, pk))


@login_required
def upload(request, pk):
    application = _application(request, pk, "applications.change_application")
    if request.method != "POST":
        return redirect("applications:attachments", pk=application.pk)
    form = AttachmentUploadForm.from_post(request.POST, request.FILES, application=application)
    if form.is_valid():
        try:
            attachment = service.upload_attachment(
                application=application,
                upload=form.cleaned_data["file"],
                by=request.user,
                required_attachment=form.required,
            )
        except Refusal as refusal:
            form.add_error("file", refusal.message)
        else:
            what = f" as “{form.required.name}”" if form.required else ""
            messages.success(request, f"Uploaded “{attachment.original_name}”{what}.")
            return redirect("applications:attachments", pk=application.pk)
    return _page(request, application, posted=form)


@login_required
def delete(request, pk, attachment_pk):
    application = _application(request, pk, "applications.change_application")
    attachment = get_object_or_404(application.attachments.select_related("required_attachment"), pk=attachment_pk)
    if request.method == "POST":
        service.delete_attachment(attachment=attachment, by=request.user)
        messages.success(request, f"Deleted “{attachment.original_name}”.")
        return redirect("applications:attachments", pk=application.pk)
    cancel = reverse("applications:attachments", args=[application.pk])
    return render(
        request,
        "applications/attachments/delete.html",
        {"application": application, "attachment": attachment, "cancel": cancel},
    )
