from django import forms

from ccpt.lib.forms import CleanInput


class CodeForm(CleanInput, forms.Form):
    """A second-factor code: six digits from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows for CCPT Grants, or one of your recovery codes.",
        error_messages={"required": "Type the code your authenticator app shows, or a recovery code."},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
    )


class AuthenticatorCodeForm(CodeForm):
    """The first code of an authenticator being set up: there are no recovery codes yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.help_text = "The 6-digit code your authenticator app shows now for CCPT Grants."
        field.error_messages["required"] = "Type the 6-digit code your authenticator app shows."
        field.widget.attrs["inputmode"] = "numeric"
