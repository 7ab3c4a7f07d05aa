"""The one helper views use to authorize: 404 when the object does not exist, 403 when it is not yours."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def authorize(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def get_authorized(user, perm: str, queryset, **lookup):
    obj = get_object_or_404(queryset, **lookup)
    authorize(user, perm, obj)
    return obj
