"""Money: dollars and cents as Decimal, never float; one way to store it and one way to write it."""

from decimal import Decimal

from django.db import models

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def money_field(verbose_name=None, **kwargs):
    """Dollars and cents, up to $999,999,999,999.99."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def format_money(amount: Decimal | None) -> str:
    """'$70,000.00', '-$500.00'; an empty string for None."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}${abs(amount):,.2f}"
