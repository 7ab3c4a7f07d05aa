"""Template filters every template has without loading them (TEMPLATES builtins): money and Pacific time."""

from django import template

from .dates import format_date, format_datetime
from .money import format_money

register = template.Library()
register.filter("money", format_money)
register.filter("date_pt", format_date)
register.filter("datetime_pt", format_datetime)
