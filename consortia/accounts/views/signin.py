"""Signing in: the password step (throttled), the second step (a code), and the password-reset pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.refusal import Refusal, show_on_form
from consortia.models import User

from .. import second_factor, sessions, throttling
from ..forms import CodeForm
from .common import next_url, posted

# Say how many attempts are left once this many have failed; before that a typo needs no warning.
WARN_AFTER_FAILURES = 2


def _warn_of_lock(request, form, email) -> None:
    left = throttling.attempts_left(request, email)
    if 0 < left <= settings.AXES_FAILURE_LIMIT - WARN_AFTER_FAILURES:
        tries = "1 more try" if left == 1 else f"{left} more tries"
        form.add_error(
            None,
            f"You have {tries} before signing in is locked for {settings.CCPT_SIGNIN_LOCK_MINUTES} minutes.",
        )


class SignInView(auth_views.LoginView):
    """Email and password. A refused sign-in says how many tries are left before the lock; once locked, axes
    answers with throttling.locked_out_page. The second step, when the person has one, is asked next by
    SecondFactorMiddleware."""

    def form_invalid(self, form):
        if form.data.get("username") and form.data.get("password"):
            _warn_of_lock(self.request, form, throttling.typed_email(self.request, None))
        return super().form_invalid(form)


@login_required
def verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code (each works once)."""
    user = request.user
    destination = next_url(request)
    if user.is_verified() or not second_factor.has_second_factor(user):
        return redirect(destination)
    if throttling.is_locked(request, user.email):
        return throttling.locked_out_page(request, credentials={"username": user.email})
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.check_code(user=user, code=form.cleaned_data["code"])
        except second_factor.WrongCode as wrong:
            show_on_form(form, wrong)
            # Counted with wrong passwords: at the limit, axes answers with the locked page and signs the person out.
            throttling.count_wrong_code(request, user)
            _warn_of_lock(request, form, user.email)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            otp_login(request, device)
            request.session.cycle_key()
            sessions.mark_authenticated(request)
            throttling.forget_failures(request, user)
            return redirect(destination)
    return render(request, "accounts/verify.html", {"form": form, "next": destination})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, limited per address and per email typed. The answer never tells whether an account
    uses the email: the limits count every email alike, and the page after is the same."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if throttling.password_reset_limited(self.request, email):
            record(Event.Action.PASSWORD_RESET, actor_label=email, summary="Reset link refused: too many requests")
            form.add_error(
                None,
                "Too many password-reset requests from here or for this email in the last hour. If you asked "
                "already, look for our email (and in your spam folder); otherwise try again in an hour.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        known = User.objects.filter(email__iexact=email, is_active=True).exists()
        summary = "Asked for a password-reset link" + ("" if known else "; no active account uses this email")
        record(Event.Action.PASSWORD_RESET, actor_label=email, summary=summary)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        # Holding the account's email proves enough: a lock on the account (not on an address) is lifted.
        throttling.unlock_account(form.user)
        record(Event.Action.PASSWORD_RESET, by=form.user, summary="Chose a new password with a reset link")
        return response
