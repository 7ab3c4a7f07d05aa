from django import forms


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Reason for accepting this check",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Kept in the record with your name and the time.",
    )
