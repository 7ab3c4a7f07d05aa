"""Money: dollars and cents as Decimal, never float; one way to store it, read it from a form and write it."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.db import models

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money_field(verbose_name=None, **kwargs):
    """Dollars and cents, up to $999,999,999,999.99."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def format_money(amount: Decimal | int | str | None) -> str:
    """'$70,000.00', '-$500.00'; an empty string for None. A string is read as people write amounts (snapshots
    keep money as "70000.00", a form shows back "12,500.00"); text that is no amount is given back as it is."""
    if amount is None or amount == "":
        return ""
    if isinstance(amount, str):
        try:
            amount = Decimal(amount.replace("$", "").replace(",", "").strip())
        except InvalidOperation:
            return amount
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"


def money_input(**attrs) -> forms.TextInput:
    # Text, not type=number: browsers refuse "12,500" in number inputs and would silently drop it.
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs})


class MoneyField(forms.DecimalField):
    """Dollars and cents, typed as people write them ("$1,250,000.00", "70,000") and shown back the same way."""

    def __init__(self, *, min_value: Decimal | None = ZERO, **kwargs):
        kwargs.setdefault("widget", money_input())
        lowest = "more than $0" if min_value is not None and min_value > 0 else "of $0 or more"
        messages = {
            "invalid": "Enter an amount in dollars, such as 12500 or 12,500.00.",
            "min_value": f"Enter an amount {lowest}.",
            "max_digits": "Enter an amount under one trillion dollars.",
            "max_whole_digits": "Enter an amount under one trillion dollars.",
            "max_decimal_places": "Enter dollars and cents: at most two digits after the decimal point.",
        }
        kwargs["error_messages"] = {**messages, **kwargs.get("error_messages", {})}
        super().__init__(max_digits=14, decimal_places=2, min_value=min_value, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("$", "").replace(",", "").strip()
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return f"{value:,.2f}"
        return value
