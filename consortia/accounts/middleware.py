"""Sessions that expire, and the second factor: a signed-in person who owes one reaches nothing else."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse

from . import second_factor, sessions

# While the second step is owed, these pages only (by view name).
WHILE_UNVERIFIED = {"accounts:verify", "logout"}
# A person whose role requires a second factor and who has none yet sets one up first.
WHILE_SETTING_UP = {"accounts:security", "accounts:set-up", "logout"}


class SessionExpiryMiddleware:
    """Signs out a person idle too long (CCPT_SESSION_IDLE_MINUTES[_STAFF]) or signed in too long ago
    (CCPT_SESSION_MAX_HOURS), and sends them to sign in again, then back to the page they asked for (GET only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if reason := sessions.why_expired(request):
                request.ccpt_sign_out_reason = reason
                logout(request)
                messages.info(request, "Your session expired; sign in again.")
                if request.method == "GET":
                    return redirect_to_login(request.get_full_path())
                return redirect(settings.LOGIN_URL)
            sessions.touch(request)
        return self.get_response(request)


class SecondFactorMiddleware:
    """After the password, a person with an authenticator is asked for a code (accounts:verify) before anything
    else; program staff and administrators without one, when CCPT_REQUIRE_STAFF_2FA is on, set one up first. The
    admin's login is covered too: its session is unverified like any other."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        view_name = request.resolver_match.view_name
        if second_factor.has_second_factor(user, known=getattr(user, "has_authenticator", None)):
            if view_name not in WHILE_UNVERIFIED:
                return self._to("accounts:verify", request)
        elif second_factor.is_required(user) and view_name not in WHILE_SETTING_UP:
            return self._to("accounts:set-up", request)
        return None

    @staticmethod
    def _to(view_name, request):
        url = reverse(view_name)
        if request.method == "GET":
            return redirect_to_login(request.get_full_path(), url)
        return redirect(url)
