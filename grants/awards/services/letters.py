"""Award letters as PDF, rendered by WeasyPrint from the same template the site shows."""

from ccpt.lib.pdf import render_pdf

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
    return render_pdf("awards/letter.html", award_letter_context(award))


def award_letter_filename(award: Award) -> str:
    return f"award-letter-{award.number}.pdf"
