from datetime import UTC, date, datetime

import pytest

from ccpt.lib.dates import at_pacific, fiscal_years, format_date, format_datetime, iso, start_of_day


def test_date_times_are_written_in_pacific_time_with_the_zone_of_the_day():
    assert format_datetime(datetime(2014, 3, 29, 0, 0, tzinfo=UTC)) == "March 28, 2014, 5:00 PM PDT"
    assert format_datetime(datetime(2014, 1, 22, 1, 30, tzinfo=UTC)) == "January 21, 2014, 5:30 PM PST"


def test_dates_are_the_pacific_calendar_day():
    assert format_date(datetime(2014, 3, 29, 0, 0, tzinfo=UTC)) == "March 28, 2014"
    assert format_date(date(2014, 7, 1)) == "July 1, 2014"
    assert format_date(None) == format_datetime(None) == ""


def test_files_get_iso_8601_in_pacific_time():
    assert iso(datetime(2014, 3, 29, 0, 0, tzinfo=UTC)) == "2014-03-28T17:00:00-07:00"
    assert iso(date(2014, 7, 1)) == "2014-07-01"


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        format_datetime(datetime(2014, 3, 28, 17))


def test_the_day_starts_at_midnight_in_california():
    assert start_of_day(at_pacific(2026, 3, 2, 23, 30)) == at_pacific(2026, 3, 2)


def test_fiscal_years_run_july_to_june():
    assert fiscal_years(2014, 4) == ["2014-15", "2015-16", "2016-17", "2017-18"]
    assert fiscal_years(1999, 2) == ["1999-00", "2000-01"]
