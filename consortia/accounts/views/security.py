"""The Security page: turn two-factor authentication on, see the recovery codes once, make new ones, turn it off."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, show_on_form

from .. import second_factor, sessions
from ..forms import AuthenticatorCodeForm, CodeForm
from .common import next_url, posted

# New recovery codes are shown (and downloadable) for a short while after they are made, then never again.
CODES_SHOWN_UNTIL = "recovery_codes_shown_until"
SHOW_CODES_FOR = timedelta(minutes=15)


def _show_codes(request) -> None:
    request.session[CODES_SHOWN_UNTIL] = (timezone.now() + SHOW_CODES_FOR).isoformat()


def _codes_shown(request) -> bool:
    until = request.session.get(CODES_SHOWN_UNTIL)
    return bool(until) and timezone.now() < datetime.fromisoformat(until)


def _page(request, *, new_codes_form=None, turn_off_form=None):
    user = request.user
    context = {
        "on": second_factor.has_second_factor(user),
        "required": second_factor.is_required(user),
        "can_turn_off": user.has_perm("accounts.turn_off_second_factor"),
        "codes_left": len(second_factor.recovery_codes(user)),
        "new_codes_form": new_codes_form or CodeForm(prefix="new"),
        "turn_off_form": turn_off_form or CodeForm(prefix="off"),
    }
    return render(request, "accounts/security.html", context)


@login_required
def security(request):
    return _page(request)


@login_required
def set_up(request):
    user = request.user
    if second_factor.has_second_factor(user):
        messages.info(request, "Two-factor authentication is already on.")
        return redirect("accounts:security")
    device = second_factor.authenticator_being_set_up(user=user)
    destination = next_url(request)
    form = AuthenticatorCodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = second_factor.turn_on(user=user, code=form.cleaned_data["code"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            otp_login(request, device)
            request.session.cycle_key()
            sessions.mark_authenticated(request)
            _show_codes(request)
            messages.success(request, "Two-factor authentication is on. Save your recovery codes now.")
            return redirect(f"{reverse('accounts:recovery-codes')}?{urlencode({'next': destination})}")
    context = {
        "form": form,
        "qr_code": second_factor.qr_code_svg(device),
        "key": second_factor.key_to_type(device),
        "required": second_factor.is_required(user),
        "next": destination,
    }
    return render(request, "accounts/set_up.html", context)


@login_required
def recovery_codes(request):
    if request.method == "POST":  # "I have saved them"
        request.session.pop(CODES_SHOWN_UNTIL, None)
        return redirect(next_url(request))
    if not _codes_shown(request):
        messages.info(request, "Recovery codes are shown only when they are made. Make new ones if you need them.")
        return redirect("accounts:security")
    context = {"codes": second_factor.recovery_codes(request.user), "next": next_url(request)}
    return render(request, "accounts/recovery_codes.html", context)


@login_required
def recovery_codes_text(request):
    if not _codes_shown(request):
        return redirect("accounts:security")
    codes = second_factor.recovery_codes(request.user)
    text = (
        f"CCPT Grants recovery codes for {request.user.email}\n"
        "Each code works once, in place of your authenticator app's code.\n\n" + "\n".join(codes) + "\n"
    )
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ccpt-grants-recovery-codes.txt"'
    return response


@login_required
@require_POST
def new_recovery_codes(request):
    form = CodeForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            second_factor.new_recovery_codes(user=request.user, code=form.cleaned_data["code"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            _show_codes(request)
            messages.success(request, "New recovery codes made: the old ones no longer work. Save these now.")
            return redirect("accounts:recovery-codes")
    return _page(request, new_codes_form=form)


@login_required
@require_POST
def turn_off(request):
    authorize(request.user, "accounts.turn_off_second_factor")
    form = CodeForm(request.POST, prefix="off")
    if form.is_valid():
        try:
            second_factor.turn_off(user=request.user, code=form.cleaned_data["code"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, "Two-factor authentication is off: signing in asks for your password only.")
            return redirect("accounts:security")
    return _page(request, turn_off_form=form)
