from django import forms

from ccpt.lib.forms import CleanInput, reason_field


class OverrideForm(CleanInput, forms.Form):
    reason = reason_field(
        "Reason for accepting this check", required_message="Give a reason for the override; it is kept in the record."
    )
