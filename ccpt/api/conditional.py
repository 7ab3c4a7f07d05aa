"""ETag and Last-Modified on awards and reports, from their `updated_at` (changes.py keeps it), so that a client
asks again with If-None-Match or If-Modified-Since and gets 304 Not Modified when nothing changed; and the
`?modified_since=` filter a nightly pull uses to fetch only what changed."""

from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django_filters import rest_framework as filters
from rest_framework import status
from rest_framework.response import Response

MODIFIED_SINCE_HELP = "Only what changed at or after this moment (ISO 8601, e.g. 2026-07-01T00:00:00-07:00)."


def modified_since(field_name: str = "updated_at") -> filters.IsoDateTimeFilter:
    return filters.IsoDateTimeFilter(field_name=field_name, lookup_expr="gte", help_text=MODIFIED_SINCE_HELP)


class ConditionalRetrieve:
    """retrieve() with ETag and Last-Modified, answering 304 to a client that has the current version."""

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        changed = obj.updated_at
        etag = quote_etag(f"{obj.pk}-{int(changed.timestamp() * 1_000_000)}")
        since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
        if request.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in request.headers and since is not None and int(changed.timestamp()) <= since
        ):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(self.get_serializer(obj).data)
        response["ETag"] = etag
        response["Last-Modified"] = http_date(changed.timestamp())
        response["Vary"] = "Authorization"
        return response
