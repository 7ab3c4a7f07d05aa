"""What the application forms share: layout without a form tag, problems in words, amounts and counts typed
as people write them."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet

from ccpt.lib.forms import form_helper
from ccpt.lib.money import ZERO, MoneyField
from ccpt.lib.money import money_input as shared_money_input

from ..models import Application

Section = Application.Section


def inline_helper() -> FormHelper:
    """Crispy layout without its own <form> tag: section pages wrap fields with the version and buttons."""
    return form_helper(tag=False, csrf=False)


def problems(form) -> list[str]:
    """Every error of a form or formset, as "Label: message" sentences."""
    if isinstance(form, BaseFormSet):
        found = [str(e) for e in form.non_form_errors()]
        for number, member in enumerate(form.forms, 1):
            found += [f"{form.item_name} {number}: {p}" for p in problems(member)]
        return found
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        found += [f"{label}: {e}" if label else str(e) for e in errors]
    return found


# Counts typed as text: a type=number input silently submits nothing for "1,200", and nothing typed may be lost.
NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


def money_input(**attrs) -> forms.TextInput:
    return shared_money_input(**{"class": "form-control form-control-sm", **attrs})


def money_field(**kwargs) -> MoneyField:
    """An amount in a section's grid: optional, never negative."""
    kwargs.setdefault("widget", money_input())
    return MoneyField(required=False, **kwargs)


class CountField(forms.IntegerField):
    """A whole number, typed with or without thousands separators: "1,200" is 1200."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget.attrs.update(NUMERIC)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        return super().to_python(value)


def lenient_amount(value) -> Decimal:
    """The amount in a cell for the running totals shown beside the grid: what would be saved. An amount that
    would be refused (negative, unreadable, more than two decimals) counts nothing; its cell says why."""
    if isinstance(value, Decimal):
        return value if value.is_finite() and value >= 0 else ZERO
    try:
        return MoneyField(required=False).clean(value) or ZERO
    except ValidationError:
        return ZERO
