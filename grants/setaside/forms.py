"""Recording a draw on the set-aside."""

from crispy_forms.helper import FormHelper
from django import forms

from ccpt.lib.forms import NameChoiceField, form_helper
from ccpt.lib.money import CENT, MoneyField
from ccpt.lib.once import OncePerClickForm
from consortia.models import Consortium, Organization

from .models import SetAsideEntry


def _helper(*layout) -> FormHelper:
    return form_helper(*layout, tag=False)


# ---- Funding plans ----------------------------------------------------------------------------------------------


class SetAsideDrawForm(OncePerClickForm):
    kind = forms.ChoiceField(
        label="Kind of draw", widget=forms.RadioSelect, error_messages={"required": "Choose the kind of draw."}
    )
    consortium = NameChoiceField(
        label="Consortium receiving the planning grant",
        queryset=Consortium.objects.order_by("name"),
        required=False,
        empty_label="Choose a consortium",
    )
    organization = NameChoiceField(
        label="Local educational agency holding the technical-assistance contract",
        queryset=Organization.objects.filter(kind__in=Organization.K12_KINDS).order_by("name"),
        required=False,
        empty_label="Choose a local educational agency",
    )
    amount = MoneyField(label="Amount", min_value=CENT)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What the money is for, e.g. the contract number or the planning work funded.",
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = []
        if program.set_aside_funds_planning_grants:
            kinds.append(SetAsideEntry.Kind.PLANNING_GRANT)
        if program.set_aside_funds_technical_assistance:
            kinds.append(SetAsideEntry.Kind.TECHNICAL_ASSISTANCE)
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.helper = _helper()

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == SetAsideEntry.Kind.PLANNING_GRANT:
            if not data.get("consortium") and "consortium" not in self.errors:
                self.add_error("consortium", "Choose the consortium that receives the planning grant.")
            if data.get("organization"):
                self.add_error("organization", "A planning grant goes to a consortium; leave this empty.")
        elif kind == SetAsideEntry.Kind.TECHNICAL_ASSISTANCE:
            if not data.get("organization") and "organization" not in self.errors:
                self.add_error("organization", "Choose the local educational agency that holds the contract.")
            if data.get("consortium"):
                self.add_error(
                    "consortium", "A technical-assistance contract goes to an organization; leave this empty."
                )
        return data
