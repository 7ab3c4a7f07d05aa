"""Award letters as PDF, rendered by WeasyPrint from the same template the site shows."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from ..models import Award


def award_letter_context(award: Award) -> dict:
    return {
        "award": award,
        "instalments": list(award.instalments.all()),
        "consortium": award.consortium,
        "lead_agency": award.consortium.lead_agency,
        "program": award.round.program,
    }


def award_letter_pdf(award: Award) -> bytes:
    html = render_to_string("awards/letter.html", award_letter_context(award))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def award_letter_filename(award: Award) -> str:
    return f"award-letter-{award.number}.pdf"
