"""Where the current request comes from, for the audit trail: set by the middleware, read by `record()`."""

from contextvars import ContextVar
from dataclasses import dataclass, replace

from django.conf import settings


@dataclass(frozen=True)
class Origin:
    ip_address: str | None = None
    user_agent: str = ""
    via: str = ""  # what the request acts through, when not the site's pages: an API token ("API token #3 “…”")


_origin: ContextVar[Origin] = ContextVar("audit_origin", default=Origin())  # noqa: B039 - frozen, never changed


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or with CCPT_PROXY_COUNT trusted proxies in front, the address the
    outermost of them saw (X-Forwarded-For is otherwise set by the client and proves nothing)."""
    proxies = settings.CCPT_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or None


def origin_of(request) -> Origin:
    return Origin(client_address(request), request.META.get("HTTP_USER_AGENT", "")[:300])


def current_origin() -> Origin:
    return _origin.get()


def act_through(via: str) -> None:
    """Name what the current request acts through (the API's token authentication, once it knows the token): the
    audit records written for the rest of the request carry it. The middleware puts the origin back after it."""
    _origin.set(replace(_origin.get(), via=via))


class OriginMiddleware:
    """Remembers the request's address and browser for the audit records written while it is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _origin.set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            _origin.reset(token)
