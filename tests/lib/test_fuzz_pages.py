"""Every page reachable without an id, fuzzed: its query string and every field of its forms filled with NUL and
other control characters. PostgreSQL refuses NUL in text, so an unguarded path would answer 500; none may."""

import re

import pytest
from django.urls import URLResolver, get_resolver

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')
QUERY = ["q", "status", "kind", "page", "delivery", "show", "who", "action", "object_kind", "since", "until", "next"]
BAD = "x\x00\x01\x1b"
# Signing out, and downloads of recovery codes, are not forms to fill in.
SKIP = {"accounts/logout/", "accounts/security/recovery-codes.txt"}


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif "<" not in str(pattern.pattern):
            yield prefix + str(pattern.pattern)


ROUTES = sorted({r for r in _routes(get_resolver().url_patterns) if not r.startswith("admin/") and r not in SKIP})


@pytest.mark.parametrize("route", ROUTES)
def test_control_characters_in_any_field_or_query_get_a_page_not_an_error(client, admin_user, route):
    client.force_login(admin_user)
    url = f"/{route}"

    plain = client.get(url)
    html = "" if plain.streaming else plain.content.decode()  # a CSV download has no form
    fields = set(FIELD.findall(html)) - {"csrfmiddlewaretoken"}

    page = client.get(url, dict.fromkeys(fields | set(QUERY), BAD))  # filter forms are sent by GET
    posted = client.post(url, dict.fromkeys(fields, BAD)) if fields else None

    assert page.status_code < 500
    assert posted is None or posted.status_code < 500
