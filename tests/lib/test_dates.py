import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from ccpt.lib.dates import at_pacific, fiscal_years, format_date, format_datetime, format_time, iso, start_of_day


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


ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("ccpt", "consortia", "grants", "templates")


def _files(*suffixes: str):
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in suffixes and "migrations" not in path.parts:
                yield path


def test_templates_write_dates_only_through_the_sites_two_formats():
    """|date_pt and |datetime_pt on pages, emails and PDFs; Django's |date only for machine-readable ISO 8601
    (<time datetime="{{ value|date:'c' }}">); no |time, naturaltime or naturalday."""
    other = re.compile(r"\|\s*(?:date(?![_a-z])(?!:\s*['\"]c['\"])|time(?![_a-z])|naturaltime|naturalday)")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for path in _files(".html", ".txt")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if other.search(line)
    ]
    assert found == []


def test_python_writes_dates_for_people_only_through_ccpt_lib_dates():
    """No strftime or f"{moment:%Y-%m-%d}" outside ccpt/lib: such text is in UTC and in a format of its own."""
    formatted = re.compile(r"\.strftime\(|\{[^{}]*:%[A-Za-z]")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}"
        for path in _files(".py")
        if ROOT / "ccpt" / "lib" not in path.parents
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if formatted.search(line)
    ]
    assert found == []


def test_a_submission_names_its_time_in_the_sites_format():
    from grants.applications.models import Application, Submission

    submission = Submission(application=Application(number="R1-0001"), submitted_at=datetime(2014, 3, 29, tzinfo=UTC))

    assert str(submission) == "R1-0001 submitted March 28, 2014, 5:00 PM PDT"


def test_a_time_of_day_is_written_as_date_times_write_it():
    assert [format_time(time(h)) for h in (0, 9, 12, 17)] == ["12:00 AM", "9:00 AM", "12:00 PM", "5:00 PM"]
