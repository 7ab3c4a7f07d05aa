"""A submitted snapshot that is damaged or from an older version must still render (with what it has), never 500:
bench/pages.py --malformed edits one submission's stored JSON in several ways, fetches every page that reads it
as staff, its reader and its applicant, records the status codes (and, for a 500, the error from the server's
log), and puts the snapshot back as it was."""

from __future__ import annotations

import copy
import re

import pages_http as web

ERROR = re.compile(r"^[\w.]*(Error|Exception|DoesNotExist)\b.*$", re.MULTILINE)


def _without(*keys):
    return lambda data: {k: v for k, v in data.items() if k not in keys}


VARIANTS = {
    "no round": _without("round"),
    # "sections" is not a key of format 1; dropping it with "round" is what a stub snapshot once lacked.
    "no round, no sections": _without("round", "sections"),
    "no consortium, category, budget, partners": _without("consortium", "category", "budget", "partners"),
    "no programs, narratives, attachments": _without("programs", "narratives", "attachments", "section_labels"),
    # The shape early scripts stored (bench/staff_submission_list.py still does): a few flat fields.
    "older flat format": lambda data: {
        "number": data["application"]["number"],
        "title": data["application"]["title"],
        "summary": "Pathways from grade 9 through community college.",
        "requested_amount": data["requested_amount"],
        "programs": ["Health Science pathway"],
    },
    "wrong types": lambda data: {
        **data,
        "submitted_at": "last Tuesday",
        "round": {"name": "Round 1"},
        "partners": None,
        "budget": "see the workbook",
        "narratives": {"text": 1},
        "attachments": [{"id": 1}],
    },
    "empty": lambda data: {},
}


def malformed(f: dict, server, sessions: dict, query_dir) -> list[dict]:
    from django.urls import reverse as r

    from grants.applications.models import Submission
    from grants.applications.services import snapshot

    review = f["damaged"]
    app, assignment = review.assignment.application, review.assignment_id
    submission = Submission.objects.get(application=app, is_current=True)
    original = copy.deepcopy(submission.data)
    urls = [
        ("application (staff)", "staff", r("applications:application", args=[app.pk])),
        ("snapshot (staff)", "staff", r("applications:submission", args=[app.pk])),
        ("snapshot PDF (staff)", "staff", r("applications:submission-pdf", args=[app.pk])),
        ("screening (staff)", "staff", r("applications:submission-screening", args=[submission.pk])),
        ("results (staff)", "staff", r("reviews:results", args=[app.pk])),
        ("review (reader)", "damaged reader", r("reviews:review", args=[assignment])),
        ("others (reader)", "damaged reader", r("reviews:review-others", args=[assignment])),
        ("snapshot (applicant)", "damaged applicant", r("applications:submission", args=[app.pk])),
        ("application (applicant)", "damaged applicant", r("applications:application", args=[app.pk])),
    ]
    found = []
    try:
        for name, change in [("as submitted", lambda data: data), *VARIANTS.items()]:
            Submission.objects.filter(pk=submission.pk).update(data=change(copy.deepcopy(original)))
            for label, role, url in urls:
                logged = server.log.stat().st_size
                answer = web.get(server.port, url, sessions[role], query_dir)
                error = _last_error(server.log, logged) if answer.status >= 500 else ""
                found.append({"variant": name, "page": label, "status": answer.status, "error": error})
    finally:
        Submission.objects.filter(pk=submission.pk).update(data=original)
    submission.refresh_from_db()
    assert snapshot.verify(submission), "the snapshot was not put back as it was"
    return found


def _last_error(log, offset: int) -> str:
    """The last exception line the server logged after `offset`."""
    with log.open(errors="replace") as handle:
        handle.seek(offset)
        matches = [m.group(0) for m in ERROR.finditer(handle.read())]
    return matches[-1][:200] if matches else ""
