"""Deliberate actions done once per click: pressing "Send it again" twice, or a form posted twice by a double click
or a refreshed page, does the work once and tells the person it was done already.

The form carries a one-time token, made when the form is shown (OncePerClickForm). The service stores the token
with what the click made, in a unique column (`click_token_field()`), and looks it up under the same lock it takes
for the work: a second post of the same token finds it and raises AlreadyDone instead of doing the work again. A
new page (a new form) is a new token: doing it again on purpose stays possible.
"""

import re
import secrets
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect

from .forms import CleanInput
from .refusal import Refusal, show_on_form

TOKEN = re.compile(r"\A[0-9a-f]{32}\Z")


def new_token() -> str:
    return secrets.token_hex(16)


class OncePerClickForm(CleanInput, forms.Form):
    """A form whose posts carry its one-time token in `cleaned_data["click"]` (a fresh one on every unbound form)."""

    click = forms.CharField(required=False, widget=forms.HiddenInput, initial=new_token)

    def clean(self):
        cleaned = super().clean()
        # No token (a page opened before tokens existed, a script) is served as before, without the protection;
        # a token we did not make is refused.
        if cleaned.get("click") and not TOKEN.match(cleaned["click"]):
            self.add_error(None, "This page is out of date: reload it, then try again.")
        return cleaned


def click_token_field() -> models.CharField:
    """The column keeping the token of the click that made a record; empty for records made otherwise."""
    return models.CharField(max_length=32, unique=True, null=True, blank=True, editable=False, default=None)


class AlreadyDone(Refusal):
    """The same click arrived again; `done` is what its first arrival made. Views may show it as good news."""

    def __init__(self, message: str, *, done):
        super().__init__(message)
        self.done = done


def act_once(request, form: OncePerClickForm, act: Callable, *, then: str, said: Callable) -> HttpResponse | None:
    """A valid once-per-click form's action, as views run it: `act(form.cleaned_data)` does the work, `said(what it
    made)` is the message, and the person goes to `then`. A second post of the same click says what was done already
    and goes there too. A refusal goes on the form, and None comes back: the caller shows the form again."""
    try:
        made = act(form.cleaned_data)
    except AlreadyDone as done:
        messages.info(request, done.message)
        return redirect(then)
    except Refusal as refusal:
        show_on_form(form, refusal)
        return None
    messages.success(request, said(made))
    return redirect(then)
