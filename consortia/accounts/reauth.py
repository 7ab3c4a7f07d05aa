"""Re-authentication before actions that move money or power (approving a funding plan, drawing on the set-aside,
changing a program's money, changing someone's roles): the person must have entered their password, or their
second-factor code, within the last CCPT_REAUTH_MINUTES.

`session["authenticated_at"]` (sessions.AUTHENTICATED_AT) is the moment of the last such check: signing in sets it,
confirming here renews it. A view asks for it with `@reauthentication_required("approve a funding plan")`:

- a stale GET is sent to the "Confirm it's you" page (`confirm_identity`), which returns to the page after;
- a stale POST is answered in place by the same page, carrying every field that was posted as a hidden input and
  posting back to the same address: with the right password the original action proceeds in that same request,
  with a wrong one the page says so and keeps the fields. (Files are not carried: no protected action takes any.)

Passwords are checked by `django.contrib.auth.authenticate(request, ...)`, so that sign-in throttling (axes) counts
failures here as at the sign-in page. Every confirmation and every failure is written to the audit trail.
"""

import functools
from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.forms import CleanInput
from ccpt.lib.refusal import Refusal

from . import second_factor, throttling
from .sessions import AUTHENTICATED_AT, mark_authenticated

PREFIX = "reauth"  # the confirm form's fields ("reauth-password", "reauth-code"), never passed on to the view
CONTINUE = f"{PREFIX}-continue"  # marks the confirm page's post back to the protected view
# A server whose clock runs a little behind the one that wrote the time must not find it in the future.
CLOCK_SKEW = timedelta(minutes=1)


def authenticated_recently(request) -> bool:
    try:
        at = datetime.fromisoformat(request.session.get(AUTHENTICATED_AT, ""))
    except (TypeError, ValueError):
        return False
    if timezone.is_naive(at):
        return False
    age = timezone.now() - at
    return -CLOCK_SKEW <= age <= timedelta(minutes=settings.CCPT_REAUTH_MINUTES)


class ConfirmIdentityForm(CleanInput, forms.Form):
    """The person's password, or their 6-digit code when they have a second factor."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, prefix=PREFIX, **kwargs)
        self.request = request
        self.by_code = second_factor.has_second_factor(request.user)
        self.wrong = False  # a password or code was given, and was not right
        if self.by_code:
            self.fields["code"] = forms.CharField(
                label="6-digit code from your authenticator app, or a recovery code",
                max_length=32,
                error_messages={"required": "Enter the 6-digit code your authenticator app shows now."},
                widget=forms.TextInput(
                    attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
                ),
            )
        else:
            self.fields["password"] = forms.CharField(
                label="Your password",
                strip=False,
                error_messages={"required": "Enter your password."},
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
            )

    def clean(self):
        user = self.request.user
        if self.by_code:
            code = self.cleaned_data.get("code")
            try:
                if code:
                    second_factor.check_code(user=user, code=code)
            except second_factor.WrongCode as wrong:
                self.wrong = True
                throttling.count_wrong_code(self.request, user)  # counted like a wrong password
                self.add_error("code", wrong.message)
            except Refusal as refusal:  # wrong codes come too fast: says how long to wait
                self.add_error("code", refusal.message)
        else:
            password = self.cleaned_data.get("password")
            if password:
                # Through authenticate(), never check_password(): throttling counts this attempt.
                confirmed = authenticate(self.request, username=user.get_username(), password=password)
                if confirmed is None or confirmed.pk != user.pk:
                    self.wrong = True
                    self.add_error("password", "That password is not right. Nothing you entered was lost; try again.")
        return self.cleaned_data

    @property
    def means(self) -> str:
        return "authentication code" if self.by_code else "password"


def _confirmed(request, form: ConfirmIdentityForm, purpose: str) -> bool:
    """Check the form; write the outcome to the session and the audit trail."""
    if form.is_valid():
        mark_authenticated(request)
        record(Event.Action.REAUTHENTICATED, by=request.user, summary=f"Confirmed with {form.means} to {purpose}")
        return True
    if form.wrong:
        record(
            Event.Action.REAUTHENTICATION_FAILED,
            by=request.user,
            summary=f"Wrong {form.means} when asked to confirm, to {purpose}",
        )
    return False


def _page(request, form: ConfirmIdentityForm, *, purpose: str, action: str, carried=(), continues: bool):
    context = {
        "form": form,
        "purpose": purpose,
        "action": action,
        "carried": carried,
        "continue_name": CONTINUE if continues else "",
        "minutes": settings.CCPT_REAUTH_MINUTES,
    }
    return render(request, "accounts/confirm_identity.html", context)


def _carried(data) -> list[tuple[str, str]]:
    """The posted fields to send again, each value of a repeated field on its own."""
    return [
        (name, value)
        for name, values in data.lists()
        if name != "csrfmiddlewaretoken" and not name.startswith(f"{PREFIX}-")
        for value in values
    ]


def _without_confirmation(data):
    """The original POST, as the view would have had it without the confirm page."""
    original = data.copy()
    for name in [name for name in original if name.startswith(f"{PREFIX}-")]:
        del original[name]
    original._mutable = False
    return original


def reauthentication_required(purpose: str, *, methods: tuple[str, ...] = ("GET", "HEAD", "POST")):
    """Decorate a view (under @login_required) so that `methods` need a recent password; `purpose` completes
    "Confirm it's you to …" ("approve a funding plan"). `methods=("POST",)` asks only before a change."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated or request.method not in methods:
                return view(request, *args, **kwargs)
            if request.method == "POST":
                confirming = CONTINUE in request.POST  # the confirm page posted back, with the original fields
                if not authenticated_recently(request):
                    form = ConfirmIdentityForm(request.POST if confirming else None, request=request)
                    if not (confirming and _confirmed(request, form, purpose)):
                        carried = _carried(request.POST)
                        path = request.get_full_path()
                        return _page(request, form, purpose=purpose, action=path, carried=carried, continues=True)
                if confirming:
                    request.POST = _without_confirmation(request.POST)
                return view(request, *args, **kwargs)
            if authenticated_recently(request):
                return view(request, *args, **kwargs)
            return redirect(f"{reverse('confirm-identity')}?{urlencode({'next': request.get_full_path()})}")

        wrapped.reauthentication_purpose = purpose
        return wrapped

    return decorator


def _purpose_of(path: str) -> str:
    """What the page at `path` does, as its view's decorator says ("approve a funding plan")."""
    try:
        view = resolve(path.split("?", 1)[0]).func
    except Resolver404:
        return ""
    return getattr(view, "reauthentication_purpose", "")


@login_required
def confirm_identity(request):
    """The "Confirm it's you" page before opening a page that needs a recent password; back to it (`next`) after."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # A path, never a bare word: redirect() would take "x" for the name of a view and fail to find it.
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("dashboard")
    purpose = _purpose_of(target) or "continue"
    if request.method != "POST" and authenticated_recently(request):
        return redirect(target)
    if request.method == "POST":
        form = ConfirmIdentityForm(request.POST, request=request)
        if _confirmed(request, form, purpose):
            return redirect(target)
    else:
        form = ConfirmIdentityForm(request=request)
    return _page(request, form, purpose=purpose, action=request.path, carried=[("next", target)], continues=False)
