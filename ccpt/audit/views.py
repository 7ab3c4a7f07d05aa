"""The administrator's audit trail: every event, newest first, filtered, and exported as CSV for auditors."""

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ccpt.lib.csv import csv_response
from ccpt.lib.permissions import authorize

from .filters import EventFilter
from .models import Event

PAGE_SIZE = 50


def _has_page(content_type: ContentType | None) -> bool:
    model = content_type.model_class() if content_type else None
    return model is not None and hasattr(model, "get_absolute_url")


def _render_list(request, filterset: EventFilter, status: int = 200):
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        # A link through open_object, which loads the object only when it is followed: the page makes no query
        # per row. The object's own page still decides whether the administrator may see it.
        if event.object_id is not None and _has_page(event.content_type):
            event.object_url = reverse("audit:object", args=[event.content_type_id, event.object_id])
    context = {"filter": filterset, "page": page}
    return render(request, "audit/events.html", context, status=status)


@login_required
def event_list(request):
    authorize(request.user, "audit.view_audit_trail")
    return _render_list(request, EventFilter(request.GET))


CSV_HEADER = [
    "When (ISO 8601, Pacific)",
    "Who",
    "Person's current name",
    "What",
    "Action code",
    "Kind of object",
    "Object id",
    "Object",
    "Summary",
    "Address",
    "Browser",
    "Through",
]


def _csv_row(event: Event) -> list:
    return [
        event.at,
        event.actor_label,
        event.actor.get_full_name() if event.actor else "",
        event.get_action_display(),
        event.action,
        event.content_type.name if event.content_type else "",
        event.object_id,
        event.object_label,
        event.summary,
        event.ip_address,
        event.user_agent,
        event.via,
    ]


@login_required
def event_csv(request):
    authorize(request.user, "audit.view_audit_trail")
    filterset = EventFilter(request.GET)
    if not filterset.is_valid():  # show what is wrong, next to the field, rather than a file of nothing
        return _render_list(request, filterset, status=400)
    rows = (_csv_row(event) for event in filterset.qs.iterator(chunk_size=1000))
    return csv_response("audit-trail.csv", CSV_HEADER, rows)


@login_required
def open_object(request, content_type_id: int, object_id: int):
    """The page of an event's object, if it has one and still exists."""
    authorize(request.user, "audit.view_audit_trail")
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    if not _has_page(content_type):
        raise Http404("This kind of object has no page.")
    obj = get_object_or_404(content_type.model_class()._default_manager, pk=object_id)
    return redirect(obj.get_absolute_url())
