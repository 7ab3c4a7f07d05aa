"""Run by test_site_without_weasyprint.py as `python -m tests.lib.site_without_weasyprint`, in a process where
WeasyPrint cannot be imported: it starts the site as gunicorn does, builds an award and a submitted application,
asks for pages as their users would, sends the award notice, and prints what it saw as JSON."""

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccpt.settings")

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

import ccpt.wsgi  # noqa: E402, F401 - the site starts as gunicorn starts it (and says why PDFs are unavailable)


def weasyprint_importable() -> bool:
    try:
        import weasyprint  # noqa: F401
    except ImportError:
        return False
    return True


def main() -> dict:
    call_command("migrate", verbosity=0)
    from grants.applications.services import submission as service
    from grants.awards.services.notices import deliver
    from tests.factories import (
        AwardFactory,
        ContactFactory,
        NoticeFactory,
        UserFactory,
        lead_of,
        submittable_application,
    )

    application = submittable_application()
    service.submit_application(application=application, by=lead_of(application))
    award = AwardFactory()
    notice = NoticeFactory(award=award)
    ContactFactory(consortium=award.consortium, user__email="lead@example.org")

    staff, lead = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    staff.force_login(UserFactory(role="Program staff"))
    lead.force_login(lead_of(application))
    pages = {
        "dashboard": staff.get(reverse("dashboard")),
        "awards": staff.get(reverse("awards:awards")),
        "award": staff.get(reverse("awards:award", args=[award.pk])),
        "award letter": staff.get(reverse("awards:award-letter", args=[award.pk])),
        "round awards": staff.get(reverse("awards:round-awards", args=[award.round_id])),
        "program": staff.get(reverse("programs:program", args=[award.round.program_id])),
        "submission": lead.get(reverse("applications:submission", args=[application.pk])),
        "submission pdf": lead.get(reverse("applications:submission-pdf", args=[application.pk])),
    }
    delivered = deliver(notice_id=notice.pk)
    return {
        "weasyprint importable": weasyprint_importable(),
        "pages": {name: [page.status_code, page.content.decode()] for name, page in pages.items()},
        "notice delivered": delivered,
        "emails": [{"body": message.body, "attachments": len(message.attachments)} for message in mail.outbox],
    }


if __name__ == "__main__":
    print(json.dumps(main()))  # noqa: T201 - read by the test
