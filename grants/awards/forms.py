"""Forms of the funding-decision pages: plans and their changes, approval, awards, the set-aside and notices."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Row
from django import forms

from ccpt.lib.forms import CleanInput, LongSelect, form_helper, reason_field
from ccpt.lib.money import CENT, MoneyField, format_money
from ccpt.lib.once import OncePerClickForm

from .models import Award, FundingPlan, PlanLine
from .services.plans import LineAction


def _helper(*layout) -> FormHelper:
    return form_helper(*layout, tag=False)


# ---- Funding plans ----------------------------------------------------------------------------------------------


class GeneratePlanForm(CleanInput, forms.Form):
    last_application = forms.ChoiceField(
        label="When the money runs short",
        choices=FundingPlan.LastApplication.choices,
        initial=FundingPlan.LastApplication.SKIP,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happens to the application the money cannot fully fund."},
    )
    minimum_partial = MoneyField(
        label="Smallest partial award",
        required=False,
        min_value=Decimal("0"),
        help_text="With partial funding, a partial award smaller than this is not offered. Empty for no minimum.",
        error_messages={"min_value": "The smallest partial award cannot be negative."},
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = list(regions)
        names = []
        for region in self.regions:
            name = f"region_{region.pk}"
            self.fields[name] = forms.IntegerField(
                label=region.name,
                required=False,
                min_value=0,
                max_value=1000,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                error_messages={
                    "invalid": "Enter a whole number of grants, or leave it empty.",
                    "min_value": "The minimum cannot be negative.",
                    "max_value": "Enter at most 1,000 grants.",
                },
            )
            names.append(name)
        self.helper = _helper(
            "last_application",
            "minimum_partial",
            Fieldset(
                "Minimum number of grants per region (optional)",
                Row(*(Column(name, css_class="col-sm-6 col-lg-3") for name in names)),
            ),
        )

    def region_minimums(self) -> dict[str, int]:
        return {
            str(region.pk): self.cleaned_data[f"region_{region.pk}"]
            for region in self.regions
            if self.cleaned_data.get(f"region_{region.pk}")
        }


class PlanLineForm(CleanInput, forms.Form):
    action = forms.ChoiceField(
        label="Change",
        choices=LineAction.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to change."},
    )
    amount = MoneyField(label="New amount", required=False, min_value=CENT)
    reason = reason_field()

    def __init__(self, *args, line: PlanLine, **kwargs):
        super().__init__(*args, **kwargs)
        self.line = line
        self.limit = min(line.requested, line.category.maximum_award)
        self.fields["amount"].help_text = (
            f"Only when changing the amount: at most the {format_money(line.requested)} requested and the "
            f"{line.category.name} category's maximum of {format_money(line.category.maximum_award)}."
        )
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        action, amount = data.get("action"), data.get("amount")
        if action == LineAction.AMOUNT:
            if amount is None and "amount" not in self.errors:
                self.add_error("amount", "Enter the amount to fund.")
            elif amount is not None and amount > self.line.requested:
                self.add_error("amount", f"Enter at most the {format_money(self.line.requested)} requested.")
            elif amount is not None and amount > self.line.category.maximum_award:
                self.add_error(
                    "amount",
                    f"Enter at most the {self.line.category.name} category's maximum of "
                    f"{format_money(self.line.category.maximum_award)}.",
                )
        no_override = self.line.override_amount is None and self.line.override_funded is None
        if action == LineAction.CLEAR and no_override:
            self.add_error("action", "This application has no staff change to remove.")
        return data


class SwapForm(CleanInput, forms.Form):
    # A plan has a line per application of the round: thousands of options.
    exclude = forms.ChoiceField(
        label="Exclude this funded application",
        error_messages={"required": "Choose the application to exclude."},
        widget=LongSelect,
    )
    include = forms.ChoiceField(
        label="Fund this application instead",
        error_messages={"required": "Choose the application to fund instead."},
        widget=LongSelect,
    )
    reason = reason_field()

    def __init__(self, *args, plan: FundingPlan | None, choices: list[tuple[int, bool, str]], **kwargs):
        """`choices`: (line id, funded, label) of the plan's lines (services.plan_lines.swap_choices)."""
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["exclude"].choices = [("", "Choose a funded application")] + [
            (str(pk), label) for pk, funded, label in choices if funded
        ]
        self.fields["include"].choices = [("", "Choose an application not funded")] + [
            (str(pk), label) for pk, funded, label in choices if not funded
        ]
        self.helper = _helper()

    def clean_exclude(self):
        return PlanLine.objects.get(plan=self.plan, pk=self.cleaned_data["exclude"])

    def clean_include(self):
        return PlanLine.objects.get(plan=self.plan, pk=self.cleaned_data["include"])


class NoAwardsForm(CleanInput, forms.Form):
    reason = reason_field(
        "Why the round makes no awards",
        help_text="Required. Every applicant is sent a decline notice; the reason is kept in the round's record.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class SubmitPlanForm(CleanInput, forms.Form):
    note = reason_field(
        "Note to the administrator",
        help_text="Required. What the administrator should know; kept in the plan's record with your name.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ReturnPlanForm(CleanInput, forms.Form):
    comments = reason_field(
        "Comments for staff",
        help_text="Required. What staff should change; the plan goes back to them as a draft, with your comments.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ApproveForm(CleanInput, forms.Form):
    conditions = forms.CharField(
        label="Conditions of the awards",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Printed on every award letter, above the conditions every grant carries.",
    )

    def __init__(self, *args, fiscal_years: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.share_names = []
        for index, year in enumerate(fiscal_years):
            name = f"share_{index}"
            self.fields[name] = forms.DecimalField(
                label=f"{year} (% of each award)",
                required=False,
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                max_digits=5,
                decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
                error_messages={
                    "invalid": "Enter a percentage, such as 40 or 12.5.",
                    "min_value": "A percentage cannot be negative.",
                    "max_value": "A percentage cannot be more than 100.",
                    "max_decimal_places": "Use at most two decimal places.",
                },
            )
            self.share_names.append(name)
        self.helper = _helper(
            "conditions",
            Fieldset(
                "Payment schedule (optional)",
                HTML(
                    '<p class="form-text">The share of each award paid in each fiscal year, in percent. Leave all '
                    "empty for equal payments; a front-loaded schedule might be 40, 30, 20, 10.</p>"
                ),
                *self.share_names,
            ),
        )

    def clean(self):
        data = super().clean()
        if any(name in self.errors for name in self.share_names):
            return data
        values = [data.get(name) for name in self.share_names]
        if all(v is None for v in values):
            data["shares"] = None
            return data
        if any(v is None for v in values):
            for name, value in zip(self.share_names, values, strict=True):
                if value is None:
                    self.add_error(name, "Enter a percentage for every fiscal year, or leave them all empty.")
            return data
        total = sum(values, Decimal("0"))
        if total != 100:
            raise forms.ValidationError(
                f"The percentages of the payment schedule add up to {total.normalize():f}%; they must add up to 100%."
            )
        data["shares"] = values
        return data


# ---- Awards ---------------------------------------------------------------------------------------------------------


class AwardResponseForm(CleanInput, forms.Form):
    decision = forms.ChoiceField(
        label="Your answer",
        choices=[("accept", "Accept the award and its conditions"), ("decline", "Decline the award")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you accept or decline the award."},
    )
    reason = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you decline: tell the program staff why.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        if data.get("decision") == "decline" and not data.get("reason", "").strip():
            self.add_error("reason", "Tell the program staff why you decline the award; it is kept in the record.")
        return data


class AwardStatusForm(CleanInput, forms.Form):
    target = forms.ChoiceField(
        label="Change the status", widget=forms.RadioSelect, error_messages={"required": "Choose a status change."}
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required to withdraw an award or record a recovery. Kept in the record.",
    )

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = {step.target: step for step in steps}
        self.fields["target"].choices = [(step.target, step.label) for step in steps]
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        step = self.steps.get(data.get("target"))
        if step and step.needs_reason and not data.get("reason", "").strip():
            self.add_error("reason", f"Give a reason to {step.label.lower()}; it is kept in the record.")
        return data


class AmendmentForm(CleanInput, forms.Form):
    amount = MoneyField(label="Amount", min_value=CENT)
    start_year = forms.IntegerField(
        label="Grant period starts in fiscal year",
        min_value=2000,
        max_value=2100,
        help_text="The calendar year the first fiscal year starts: 2014 for 2014-15.",
        error_messages={
            "invalid": "Enter a year, such as 2014.",
            "min_value": "Enter a year from 2000 to 2100.",
            "max_value": "Enter a year from 2000 to 2100.",
        },
    )
    years = forms.IntegerField(
        label="Number of fiscal years",
        min_value=1,
        max_value=10,
        error_messages={
            "invalid": "Enter a whole number of fiscal years.",
            "min_value": "A grant period lasts 1 to 10 fiscal years.",
            "max_value": "A grant period lasts 1 to 10 fiscal years.",
        },
    )
    reason = reason_field()

    def __init__(self, *args, award: Award, **kwargs):
        kwargs.setdefault("initial", {"amount": award.amount, "start_year": award.start_year, "years": award.years})
        super().__init__(*args, **kwargs)
        self.award = award
        self.fields["amount"].help_text = (
            f"Now {format_money(award.amount)}; at most the {award.category.name} category's maximum of "
            f"{format_money(award.category.maximum_award)}. An increase must fit in the round's and the "
            "program's money."
        )
        self.helper = _helper()

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount > self.award.category.maximum_award:
            raise forms.ValidationError(
                f"Enter at most the {self.award.category.name} category's maximum of "
                f"{format_money(self.award.category.maximum_award)}."
            )
        return amount

    def clean(self):
        data = super().clean()
        unchanged = (data.get("amount"), data.get("start_year"), data.get("years")) == (
            self.award.amount,
            self.award.start_year,
            self.award.years,
        )
        if unchanged:
            raise forms.ValidationError("Change the amount or the grant period; as typed, nothing would change.")
        return data


# ---- The set-aside and notices ---------------------------------------------------------------------------------------


class ResendForm(OncePerClickForm):
    reason = reason_field(
        "Why send it again?", "Kept with the new notice, with your name and the time. The first notice is kept too."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
