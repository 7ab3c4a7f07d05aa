"""Request bodies larger than any page of ours sends are refused before Django reads them.

Django reads a request's body when a view (or the CSRF check) first asks for its fields; by then a 2 GB post has
gone to memory or temporary files. This middleware, placed before any that reads the body, compares the declared
length with the upload limit plus a margin for the form's other fields and answers 413 with a page that says the
limit.
The proxy in front should cap bodies a little above the same figure (README, "Request size").
"""

from django.conf import settings
from django.http import HttpResponse
from django.template import loader

MB = 1024 * 1024


def max_request_bytes() -> int:
    return (settings.CCPT_MAX_UPLOAD_MB + settings.CCPT_REQUEST_MARGIN_MB) * MB


def _page(status: int, **context) -> HttpResponse:
    context.update(upload_mb=settings.CCPT_MAX_UPLOAD_MB, request_mb=max_request_bytes() // MB)
    # No "Connection: close": WSGI forbids hop-by-hop headers. The server skips what is left of the body, without
    # keeping it; the proxy's cap (README) is what spares the bandwidth.
    return HttpResponse(loader.get_template("413.html").render(context), status=status)


class RequestSizeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not declared:
            if chunked:
                # Without a length Django reads no body at all: the form would arrive empty and say nothing was
                # filled in. Browsers always send a length; ask for one instead of pretending.
                return _page(411, missing_length=True)
            return self.get_response(request)
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return _page(400, bad_length=True)
        if length > max_request_bytes():
            return _page(413, sent_mb=length / MB)
        return self.get_response(request)
