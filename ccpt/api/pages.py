"""The site's pages for a person's API tokens: the list, making one (its secret shown once, on the next page) and
revoking one. Making and revoking ask for the password again like other sensitive pages."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.lib.dates import PACIFIC
from ccpt.lib.refusal import Refusal, show_on_form
from consortia.accounts.reauth import reauthentication_required

from . import tokens
from .forms import TokenForm
from .models import Token

SHOWN_ONCE = "api_token_secret"  # the session key that holds a new secret until its page shows it


@login_required
def token_list(request):
    context = {"tokens": Token.objects.filter(user=request.user).order_by("revoked_at", "-created_at")}
    return render(request, "api/tokens.html", context)


@login_required
@reauthentication_required("make an API token", methods=("POST",))
def token_new(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires_on = form.cleaned_data["expires_on"]
        try:
            token, secret = tokens.make_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=datetime.combine(expires_on, time.min, tzinfo=PACIFIC) if expires_on else None,
            )
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            request.session[SHOWN_ONCE] = {"id": token.pk, "secret": secret}
            return redirect("api:token-made", token.pk)
    return render(request, "api/token_form.html", {"form": form}, status=422 if form.errors else 200)


@login_required
def token_made(request, pk):
    token = get_object_or_404(Token, pk=pk, user=request.user)
    kept = request.session.get(SHOWN_ONCE) or {}
    secret = kept.get("secret") if kept.get("id") == token.pk else None
    if secret:
        del request.session[SHOWN_ONCE]
    return render(request, "api/token_made.html", {"token": token, "secret": secret})


@login_required
@require_POST
@reauthentication_required("revoke an API token", methods=("POST",))
def token_revoke(request, pk):
    token = get_object_or_404(Token, pk=pk, user=request.user)
    tokens.revoke_token(token=token, by=request.user)
    messages.success(request, f"Revoked {token.label}: it no longer works.")
    return redirect("api:tokens")
