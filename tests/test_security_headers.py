"""Every response carries the Content-Security-Policy, Permissions-Policy, Referrer-Policy and nosniff headers,
and no template or form writes the inline script, event handler or style attribute the policy would refuse."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
REFUSED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "serial", "display-capture"]


def directives(header: str) -> dict[str, str]:
    """A Content-Security-Policy header as {directive: sources} (django-csp writes them in no fixed order)."""
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def _assert_security_headers(response):
    assert directives(response["Content-Security-Policy"]) == STRICT_POLICY
    features = dict(item.split("=", 1) for item in response["Permissions-Policy"].split(", "))
    assert {feature: features.get(feature) for feature in REFUSED_FEATURES} == dict.fromkeys(REFUSED_FEATURES, "()")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "Server" not in response


@pytest.mark.django_db
def test_the_sign_in_page_carries_every_security_header(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    _assert_security_headers(response)


@pytest.mark.django_db
def test_a_signed_in_page_and_a_refusal_carry_them_too(client, staff_user):
    client.force_login(staff_user)

    dashboard, refused = client.get(reverse("dashboard")), client.get(reverse("audit:events"))

    assert (dashboard.status_code, refused.status_code) == (200, 403)
    _assert_security_headers(dashboard)
    _assert_security_headers(refused)


def _templates():
    for top in ("templates", "ccpt", "consortia", "grants"):
        yield from sorted((ROOT / top).rglob("*.html"))


# Rendered only into PDFs by WeasyPrint, never served to a browser: their <style> is outside the policy's reach.
PDF_ONLY = {"grants/awards/templates/awards/letter.html"}
REFUSED_IN_HTML = {
    "an inline <script>": re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "an event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "a style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}
# The same, written from Python: widget attributes and format_html.
REFUSED_IN_PYTHON = re.compile(r"""["'](style|on[a-z]+)["']\s*:|\s(style|on[a-z]+)=\\?["']|javascript:""")


def test_no_template_writes_inline_script_event_handlers_or_style():
    found = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1} has {what}"
        for path in _templates()
        if str(path.relative_to(ROOT)) not in PDF_ONLY
        for text in [path.read_text()]
        for what, pattern in REFUSED_IN_HTML.items()
        for match in pattern.finditer(text)
    ]
    assert found == []


def test_no_python_code_writes_them_either():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for top in ("ccpt", "consortia", "grants")
        for path in sorted((ROOT / top).rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if REFUSED_IN_PYTHON.search(line)
    ]
    assert found == []


def test_the_checks_catch_what_they_look_for():
    assert REFUSED_IN_HTML["an inline <script>"].search("<script>alert(1)</script>")
    assert not REFUSED_IN_HTML["an inline <script>"].search('<script src="/static/js/site.js"></script>')
    assert not REFUSED_IN_HTML["an inline <script>"].search('<script id="d" type="application/json">{}</script>')
    assert REFUSED_IN_HTML["an event handler attribute"].search('<button type="button" onclick="print()">')
    assert REFUSED_IN_HTML["a style attribute"].search('<section class="p-3" style="max-height: 85vh">')
    assert REFUSED_IN_PYTHON.search('widget=forms.Select(attrs={"onchange": "this.form.submit()"})')
    assert REFUSED_IN_PYTHON.search("format_html('<span style=\"color: red\">{}</span>', x)")
    assert not REFUSED_IN_PYTHON.search('label="Sectors the consortium focuses on"')
