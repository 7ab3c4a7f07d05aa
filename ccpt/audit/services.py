"""Write to the audit trail. Every app calls `record()`; nothing else writes an Event."""

from django.contrib.contenttypes.models import ContentType

from .context import Origin, current_origin
from .models import Event


def record(
    action: str,
    *,
    by=None,
    obj=None,
    summary: str = "",
    actor_label: str = "",
    origin: Origin | None = None,
) -> Event:
    """Record that `by` did `action` (to `obj`), from the current request's address unless `origin` is given."""
    origin = origin or current_origin()
    if by is not None and not getattr(by, "is_authenticated", False):
        by = None
    return Event.objects.create(
        action=action,
        actor=by,
        actor_label=actor_label or (by.email if by is not None else ""),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=obj.pk if obj is not None else None,
        object_label=str(obj)[:200] if obj is not None else "",
        summary=summary,
        ip_address=origin.ip_address,
        user_agent=origin.user_agent,
        via=origin.via,
    )
