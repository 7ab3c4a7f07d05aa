from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path

from ccpt.permissions import authorize

from ..models import Attachment


@login_required
def download(request, application_pk, pk):
    """Stream an attachment to someone allowed to see its application; files are never served directly."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("application__consortium"), pk=pk, application_id=application_pk
    )
    authorize(request.user, "grants.view_application", attachment.application)
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


urlpatterns = [
    path("applications/<int:application_pk>/files/<int:pk>/", download, name="attachment"),
]
