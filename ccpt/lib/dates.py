"""Time as people read it: Pacific time, one format for dates and one for date-times, on every page, email and
PDF (ISO 8601 in CSV files). Everything is stored in UTC."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django import forms
from django.utils import dateformat, timezone

PACIFIC = ZoneInfo("America/Los_Angeles")
# Django date-format strings; ccpt/formats/en/formats.py makes them Django's defaults too.
DATE_FORMAT = "F j, Y"  # December 1, 2026
DATETIME_FORMAT = "F j, Y, g:i A T"  # December 1, 2026, 5:00 PM PST
TIME_FORMAT = "g:i A"  # 5:00 PM, as in DATETIME_FORMAT


def pacific(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("A naive datetime has no place in time; make it timezone-aware.")
    return timezone.localtime(moment, PACIFIC)


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = pacific(value).date()
    return dateformat.format(value, DATE_FORMAT)


def format_datetime(value: datetime | None) -> str:
    return "" if value is None else dateformat.format(pacific(value), DATETIME_FORMAT)


def format_time(value: time) -> str:
    """A time of day on its own (a due hour), written as date-times write it."""
    return dateformat.time_format(value, TIME_FORMAT)


def iso(value: date | datetime | None) -> str:
    """For CSV and machine-readable files: 2026-12-01T17:00:00-08:00 (Pacific), or 2026-12-01."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return pacific(value).isoformat(timespec="seconds")
    return value.isoformat()


def at_pacific(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in California, as an aware datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=PACIFIC)


def start_of_day(moment: datetime) -> datetime:
    """Midnight Pacific time of the day `moment` falls on."""
    return datetime.combine(pacific(moment).date(), time.min, tzinfo=PACIFIC)


def fiscal_year(start_year: int) -> str:
    """California's fiscal year that starts on July 1 of start_year: 2014 -> "2014-15"."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def fiscal_years(start_year: int, count: int) -> list[str]:
    return [fiscal_year(year) for year in range(start_year, start_year + count)]


class PacificDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in Pacific time, whatever time zone is active."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": "Enter a date and time, for example 2014-03-28 17:00."}

    def prepare_value(self, value):
        with timezone.override(PACIFIC):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(PACIFIC):
            return super().to_python(value)
