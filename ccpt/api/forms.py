from django import forms

from ccpt.lib.forms import CleanInput

from .models import Token


class TokenForm(CleanInput, forms.Form):
    name = forms.CharField(
        label="What is it for?",
        max_length=100,
        help_text='A name you will recognize in the list and the audit trail, e.g. "Nightly pull of awards".',
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        choices=Token.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Token.Scope.READ],
        help_text="Never more than you may do in the site yourself.",
    )
    expires_on = forms.DateField(
        label="Expires on (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="It stops working at the start of this day, Pacific time. Leave empty for no expiry.",
    )
