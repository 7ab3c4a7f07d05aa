"""A program and its appropriations."""

from decimal import Decimal

from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.forms import inlineformset_factory

from ccpt.lib.forms import CleanInput, form_helper
from ccpt.lib.identifiers import clean_360g_prefix
from ccpt.lib.money import CENT, MoneyField

from ..models import (
    SET_ASIDE_LIMIT,
    Appropriation,
    Program,
)
from .rows import LabelledRowsFormSet


class ProgramForm(CleanInput, forms.ModelForm):
    set_aside_percent = forms.DecimalField(
        label="Set-aside percentage",
        min_value=Decimal("0"),
        max_value=SET_ASIDE_LIMIT,
        max_digits=5,
        decimal_places=2,
        help_text="Share of all appropriations reserved for planning grants and technical assistance "
        "(EC 53015(e) allows up to 1 percent).",
        error_messages={
            "min_value": "The set-aside cannot be negative.",
            "max_value": "EC 53015(e) allows a set-aside of at most 1 percent; enter a percentage from 0 to 1.",
        },
    )

    class Meta:
        model = Program
        fields = [
            "name",
            "legal_basis",
            "administering_agency",
            "threesixtygiving_prefix",
            "set_aside_percent",
            "set_aside_funds_planning_grants",
            "set_aside_funds_technical_assistance",
        ]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(tag=False, csrf=False)

    def clean_threesixtygiving_prefix(self):
        return clean_360g_prefix(self.cleaned_data["threesixtygiving_prefix"])


class AppropriationForm(CleanInput, forms.ModelForm):
    noun = "appropriation"
    amount = MoneyField(min_value=CENT)

    class Meta:
        model = Appropriation
        fields = ["source", "fiscal_years", "amount", "description"]
        widgets = {"description": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(tag=False, csrf=False, hidden=True)
        layout = [
            Row(
                Column("source", css_class="col-md-4"),
                Column("fiscal_years", css_class="col-md-3"),
                Column("amount", css_class="col-md-5"),
            ),
            "description",
        ]
        self.helper.layout = Layout(*layout)


AppropriationFormSet = inlineformset_factory(
    Program,
    Appropriation,
    form=AppropriationForm,
    formset=LabelledRowsFormSet,
    extra=1,
    can_delete=True,
    can_delete_extra=False,
)
