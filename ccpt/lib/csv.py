"""CSV downloads: streamed row by row, every text cell escaped so that a spreadsheet never runs it as a formula."""

import csv
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.http import StreamingHttpResponse

from .dates import iso

# A cell starting with one of these would run as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """One value as a CSV cell: numbers plain, times in ISO 8601 (Pacific), yes/no, text escaped."""
    kind = type(value)
    if kind is str:  # the usual cells first: an export of 100,000 rows asks this a million times
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    if kind is int:
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return iso(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value):
        return value


# Rows sent together: each piece a streamed response yields is written to the socket on its own (a system call and,
# for a small piece, a packet each); 200 rows make pieces of some 20-40 kB.
ROWS_PER_PIECE = 200


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        piece = [writer.writerow(header)]
        for row in rows:
            piece.append(writer.writerow([cell(value) for value in row]))
            if len(piece) >= ROWS_PER_PIECE:
                yield "".join(piece)
                piece = []
        if piece:
            yield "".join(piece)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
