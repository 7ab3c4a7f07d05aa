from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def posted(request):
    # Not `request.POST or None`: an empty POST must still be validated (and told what is missing).
    return request.POST if request.method == "POST" else None


def next_url(request) -> str:
    """Where to go once this step is done: the page asked for (on this site only), else the dashboard."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    # A path, never a bare word: redirect() would take "x" for the name of a view and fail to find it.
    if url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)
