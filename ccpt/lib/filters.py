"""Template filters and tags every template has without loading them (TEMPLATES builtins): money, Pacific time,
CDS codes, and links to PDFs."""

from django import template

from .dates import format_date, format_datetime
from .identifiers import format_cds_code
from .money import format_money
from .pdf import UNAVAILABLE, pdf_available

register = template.Library()
register.filter("money", format_money)
register.filter("date_pt", format_date)
register.filter("datetime_pt", format_datetime)
register.filter("cds_code", format_cds_code)


@register.inclusion_tag("includes/pdf_link.html")
def pdf_link(url: str, label: str, css_class: str = "btn btn-outline-primary") -> dict:
    """A link to a PDF, or where this server cannot make PDFs, the sentence saying so instead of a dead link."""
    return {"available": pdf_available(), "url": url, "label": label, "css_class": css_class, "message": UNAVAILABLE}
