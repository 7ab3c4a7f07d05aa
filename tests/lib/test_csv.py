from datetime import UTC, datetime
from decimal import Decimal

import pytest

from ccpt.lib.csv import cell, csv_response


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_made_plain(text):
    assert cell(text) == "'" + text


def test_values_are_written_plainly():
    assert [cell(v) for v in (None, True, False, Decimal("-500.00"), 3, "Fresno USD")] == [
        "",
        "yes",
        "no",
        "-500.00",
        "3",
        "Fresno USD",
    ]
    assert cell(datetime(2014, 3, 29, tzinfo=UTC)) == "2014-03-28T17:00:00-07:00"


def test_a_download_streams_every_row_escaped():
    response = csv_response("x.csv", ["Name", "Amount"], [["=cmd|' /C calc'!A0", Decimal("1.50")]])
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines() == ["Name,Amount", "'=cmd|' /C calc'!A0,1.50"]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response["Cache-Control"] == "private, no-store"
