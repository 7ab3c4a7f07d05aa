"""Requests are counted per token (CCPT_API_TOKEN_RATE), and without one per address (CCPT_API_ANONYMOUS_RATE), in
the cache every worker shares (settings.CACHES["default"])."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class PerToken(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.CCPT_API_TOKEN_RATE if self.scope == "token" else settings.CCPT_API_ANONYMOUS_RATE

    def get_cache_key(self, request, view):
        token = request.auth
        self.scope = "token" if token is not None else "anonymous"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        ident = f"{token.pk}" if token is not None else self.get_ident(request)
        return f"api-throttle-{self.scope}-{ident}"
