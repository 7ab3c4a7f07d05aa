from decimal import Decimal

import pytest
from django import forms

from ccpt.lib.money import CENT, MoneyField, format_money


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("70000"), "$70,000.00"),
        (Decimal("-500"), "-$500.00"),
        (Decimal("0.5"), "$0.50"),
        (None, ""),
        ("70000.00", "$70,000.00"),  # a snapshot's text
        ("12,500.00", "$12,500.00"),  # a form's value shown back
        ("12,5OO", "12,5OO"),  # what someone typed that is no amount: shown as typed, never an error page
    ],
)
def test_money_is_written_one_way(amount, written):
    assert format_money(amount) == written


class Form(forms.Form):
    amount = MoneyField()
    grant = MoneyField(min_value=CENT, required=False)


@pytest.mark.parametrize("typed", ["70000", "70,000", "$70,000.00", " $70,000 "])
def test_amounts_are_read_as_people_write_them(typed):
    form = Form({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("70000")


def test_a_saved_amount_is_shown_back_with_thousands_separators():
    assert 'value="70,000.00"' in str(Form(initial={"amount": Decimal("70000")})["amount"])


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"amount": "-500"}, "amount", "Enter an amount of $0 or more."),
        ({"amount": "1", "grant": "0"}, "grant", "Enter an amount more than $0."),
        ({"amount": "ten"}, "amount", "Enter an amount in dollars, such as 12500 or 12,500.00."),
        ({"amount": "10.005"}, "amount", "Enter dollars and cents: at most two digits after the decimal point."),
    ],
)
def test_bad_amounts_get_a_plain_message(data, field, message):
    form = Form(data)
    assert not form.is_valid()
    assert form.errors[field] == [message]
