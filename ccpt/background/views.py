from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.permissions import authorize

from . import services
from .models import Job


@login_required
def background_work(request):
    """System health: the background work that is late, retrying, stalled or failed."""
    authorize(request.user, "background.view_background_work")
    page = Paginator(services.attention(), 50).get_page(request.GET.get("page"))
    return render(request, "background/work.html", {"health": services.health(), "page": page})


@login_required
@require_POST
def retry(request, pk):
    authorize(request.user, "background.retry_job")
    job = get_object_or_404(Job, pk=pk)
    if job.state != Job.State.FAILED:
        messages.info(request, f"{job.label} is {job.get_state_display().lower()}: there is nothing to retry.")
        return redirect("background:work")
    services.retry(job=job)
    record(Event.Action.BACKGROUND, by=request.user, obj=job, summary=f"Retried after: {job.last_error}")
    messages.success(request, f"{job.label} will be tried again.")
    return redirect("background:work")
