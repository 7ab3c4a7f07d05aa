"""Forms of the payment pages: moving a payment along, holds, recoveries, closeout, expenditure reports, budget
revisions and the program's payment settings."""

from decimal import Decimal

from django import forms

from ccpt.lib.forms import CleanInput, CrispyForm, form_helper, reason_field
from ccpt.lib.money import CENT, MoneyField
from ccpt.lib.once import OncePerClickForm

from .models import ObjectCode, PaymentSettings

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Enter a date, for example 2015-08-14.", "required": "Enter the date."}


class _Fields(CleanInput):
    """Fields laid out inside the page's own <form> (its button is in the template)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(tag=False, csrf=False)  # the page's <form> has its token


class ReleaseForm(_Fields, forms.Form):
    override_reason = reason_field(
        label="Reason for overriding the condition",
        required=False,
        help_text="Only to release the payment before its condition is met. Kept in the record with your name.",
    )


class PaidForm(_Fields, forms.Form):
    reference = forms.CharField(
        label="Warrant or reference number",
        max_length=60,
        error_messages={"required": "Enter the warrant or reference number of the payment."},
    )
    paid_on = forms.DateField(label="Paid on", widget=DATE, error_messages=DATE_ERRORS)


class ReasonForm(_Fields, forms.Form):
    reason = reason_field()


class AddPaymentForm(_Fields, OncePerClickForm):
    fiscal_year = forms.ChoiceField(label="Fiscal year", error_messages={"required": "Choose the fiscal year."})
    amount = MoneyField(label="Amount", min_value=CENT)
    reason = reason_field(label="Why it is outside the schedule")

    def __init__(self, *args, years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [("", "Choose a fiscal year"), *((y, y) for y in years)]


class RecoveryForm(_Fields, OncePerClickForm):
    amount = MoneyField(label="Amount recovered", min_value=CENT)
    received_on = forms.DateField(label="Received on", widget=DATE, error_messages=DATE_ERRORS)
    reason = reason_field(label="Why it is recovered")


class CloseoutForm(_Fields, forms.Form):
    reason = reason_field(
        label="Note (optional)",
        required=False,
        help_text="Kept in the award's status history; without one, the figures of the closeout are kept.",
    )


class ExpenditureForm(_Fields, forms.Form):
    """What was spent in each budget category of one fiscal year."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in ObjectCode.choices:
            self.fields[code] = MoneyField(
                label=f"Spent: {label}", error_messages={"required": "Enter the amount spent; 0 if none."}
            )

    def amounts(self) -> dict[str, Decimal]:
        return {code: self.cleaned_data[code] for code in ObjectCode.values}


class DecisionForm(_Fields, forms.Form):
    decision = forms.ChoiceField(
        label="Decision", widget=forms.RadioSelect, error_messages={"required": "Choose a decision."}
    )
    comment = reason_field(
        label="Comment",
        required=False,
        help_text="Required to return or decline: say what to change. The consortium reads it.",
    )

    def __init__(self, *args, accept_label: str, refuse_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("accept", accept_label), ("refuse", refuse_label)]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not (data.get("comment") or "").strip():
            self.add_error("comment", "Say what the consortium should change; they read it.")
        return data


class RevisionForm(_Fields, forms.Form):
    reason = reason_field(label="Why the money moves")

    def __init__(self, *args, budget: dict[str, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for code, label in ObjectCode.choices:
            fields[code] = MoneyField(
                label=f"New amount: {label}",
                initial=budget[code],
                error_messages={"required": "Enter the amount; 0 if none."},
            )
        self.fields = {**fields, "reason": self.fields["reason"]}

    def amounts(self) -> dict[str, Decimal]:
        return {code: self.cleaned_data[code] for code in ObjectCode.values}


class PaymentSettingsForm(CrispyForm, forms.Form):
    submit_label = "Save the payment settings"

    second_approval_above = MoneyField(
        label="Second approval above",
        help_text=PaymentSettings._meta.get_field("second_approval_above").help_text,
    )
    revision_threshold_percent = forms.DecimalField(
        label="Budget revision threshold (percent)",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        help_text=PaymentSettings._meta.get_field("revision_threshold_percent").help_text,
        error_messages={
            "invalid": "Enter a percentage, such as 10.",
            "min_value": "Enter a percentage from 0 to 100.",
            "max_value": "Enter a percentage from 0 to 100.",
        },
    )
