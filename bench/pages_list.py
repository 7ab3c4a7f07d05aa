"""The pages bench/pages.py times, for each role, with the issue's targets and Hypha's figures; and the objects
they are about, found in the built database."""

from __future__ import annotations

from dataclasses import dataclass

import pages_build

# Hypha's p50 in ms (the comparison the issue cites: gunicorn, 2 sync workers), for the pages it has an equivalent of.
HYPHA = {
    "list": 681,
    "detail": 174,
    "dashboard": 194,
    "leaderboard": 242,
    "results": 243,
    "search": 821,
    "reader queue": 216,
    "applicant": 52,
}
APPLICANT_MS = 10  # the issue: applicant pages under 10 ms


@dataclass(frozen=True)
class Page:
    label: str
    role: str
    url: str
    hypha: str = ""  # a key of HYPHA
    target_ms: float | None = None  # the target; otherwise a fifth of Hypha's figure, if any
    max_queries: int | None = None

    @property
    def target(self) -> float | None:
        if self.target_ms is not None:
            return self.target_ms
        return HYPHA[self.hypha] / 5 if self.hypha else None


def fixture() -> dict:
    """The objects the pages are about, found in the built database: an awarded application and its lead contact,
    a reader (free of conflicts) with a submitted and (if any) a draft review, a flagged application, an overridden
    screening check, and (for --malformed) a low-ranked application with a submitted review."""
    from django.db.models import Count

    from consortia.models import Contact, User
    from grants.applications.models import Application, ScreeningCheck
    from grants.awards.models import Award
    from grants.programs.models import Round
    from grants.reviews.models import ApplicationScore, Assignment, Review

    round_ = Round.objects.select_related("program").get(code=pages_build.CODE)
    # The same shape at every size: an accepted award whose application lists the most partners.
    award = (
        Award.objects.filter(round=round_, status__in=["accepted", "active"])
        .annotate(partners=Count("application__partners"))
        .order_by("-partners", "number")
        .first()
    )
    app = award.application
    mine = Review.objects.filter(assignment__application__round=round_, assignment__status=Assignment.Status.ACCEPTED)
    # A reader with no affiliation and no recorded conflict (as most are): the same shape at every size.
    free = mine.exclude(assignment__reader__affiliations__isnull=False).exclude(
        assignment__reader__conflicts__isnull=False
    )
    draft = free.filter(status=Review.Status.DRAFT).select_related("assignment__reader").order_by("pk").first()
    submitted = free.filter(status=Review.Status.SUBMITTED)
    if draft is not None:
        submitted = submitted.filter(assignment__reader=draft.assignment.reader)
    submitted = submitted.select_related("assignment__reader").order_by("pk").first()
    flagged = ApplicationScore.objects.filter(
        round=round_, flagged=True, consensus__isnull=True, application__status=Application.Status.SUBMITTED
    ).order_by("rank")
    checks = ScreeningCheck.objects.filter(submission__application__round=round_, submission__is_current=True)
    check = checks.filter(overridden_at__isnull=False).first() or checks.first()
    last = ApplicationScore.objects.filter(round=round_, rank__isnull=False, application__award__isnull=True)
    damaged = mine.filter(status=Review.Status.SUBMITTED, assignment__application=last.order_by("-rank")[0].application)
    damaged = damaged.select_related("assignment__reader", "assignment__application").first()
    lead = Contact.objects.filter(consortium=damaged.assignment.application.consortium, role=Contact.Role.LEAD)
    return {
        "round": round_,
        "program": round_.program,
        "application": app,
        "award": award,
        "consortium": app.consortium,
        "submission": check.submission_id,
        "flagged": flagged.first().application_id,
        "submitted": submitted.assignment_id,
        "draft": draft.assignment_id if draft else None,
        "damaged": damaged,
        "people": {
            "staff": User.objects.get(email=pages_build.STAFF),
            "admin": User.objects.get(email=pages_build.ADMIN),
            "reader": submitted.assignment.reader,
            "applicant": Contact.objects.get(consortium=app.consortium, role=Contact.Role.LEAD).user,
            "damaged reader": damaged.assignment.reader,
            "damaged applicant": lead.get().user,
        },
    }


def pages(f: dict) -> list[Page]:
    from django.urls import reverse as r

    round_, program, app, award = f["round"].pk, f["program"].pk, f["application"].pk, f["award"].pk
    staff = [
        Page("staff dashboard", "staff", r("dashboard"), "dashboard"),
        Page("round page", "staff", r("programs:round", args=[round_])),
        Page("rounds list", "staff", r("programs:rounds")),
        Page("program page", "staff", r("programs:program", args=[program])),
        Page("submissions list", "staff", r("applications:submissions", args=[round_]), "list"),
        Page(
            "submissions search", "staff", r("applications:submissions", args=[round_]) + "?q=health+pathways", "search"
        ),
        Page("submissions CSV (all rows)", "staff", r("applications:submissions-csv", args=[round_])),
        Page("screening page", "staff", r("applications:submission-screening", args=[f["submission"]])),
        Page("application page (staff)", "staff", r("applications:application", args=[app]), "detail", 35, 15),
        Page("submitted snapshot (staff)", "staff", r("applications:submission", args=[app]), "detail"),
        Page("assignment board", "staff", r("reviews:assignment-board", args=[round_])),
        Page("conflicts of interest", "staff", r("reviews:round-conflicts", args=[round_])),
        Page("ranked list", "staff", r("reviews:scores-ranking", args=[round_]), "leaderboard", 45),
        Page("ranked list CSV (all rows)", "staff", r("reviews:scores-csv", args=[round_])),
        Page("score dashboard", "staff", r("reviews:scores", args=[round_]), "", 45),
        Page("reconcile (flagged application)", "staff", r("reviews:reconcile", args=[f["flagged"]]), "", 32),
        Page("results (staff)", "staff", r("reviews:results", args=[app]), "results"),
        Page("funding plan", "staff", r("awards:plan", args=[round_])),
        Page("awards list", "staff", r("awards:round-awards", args=[round_])),
        Page("program awards", "staff", r("awards:program-awards", args=[program])),
        Page("award page (staff)", "staff", r("awards:award", args=[award])),
        Page("notices list", "staff", r("awards:notices", args=[round_])),
        Page("program dashboard", "staff", r("awards:program-dashboard", args=[program])),
        Page("set-aside ledger", "staff", r("setaside:ledger", args=[program])),
        Page("consortia list", "staff", r("consortia:list")),
        Page("consortium page (staff)", "staff", r("consortia:detail", args=[f["consortium"].pk])),
        Page("organizations", "staff", r("consortia:organizations")),
        Page("background work", "staff", r("background:work")),
    ]
    admin = [
        Page("administrator dashboard", "admin", r("dashboard"), "dashboard"),
        Page("people", "admin", r("consortia:people")),
        Page("audit trail", "admin", r("audit:events")),
    ]
    reader = [
        Page("reader dashboard", "reader", r("dashboard"), "dashboard"),
        Page("reader queue", "reader", r("reviews:reviews"), "reader queue", 40),
        Page("review page (submitted)", "reader", r("reviews:review", args=[f["submitted"]])),
        *([Page("review page (draft)", "reader", r("reviews:review", args=[f["draft"]]))] if f["draft"] else []),
        Page("others' reviews", "reader", r("reviews:review-others", args=[f["submitted"]])),
    ]
    applicant = [
        Page("applicant dashboard", "applicant", r("dashboard"), "applicant", APPLICANT_MS),
        Page("my applications", "applicant", r("applications:applications"), "applicant", APPLICANT_MS),
        Page("application page (applicant)", "applicant", r("applications:application", args=[app]), "", APPLICANT_MS),
        Page(
            "application section (applicant)",
            "applicant",
            r("applications:application-section", args=[app, "narratives"]),
            "",
            APPLICANT_MS,
        ),
        Page("submitted snapshot (applicant)", "applicant", r("applications:submission", args=[app]), "", APPLICANT_MS),
        Page("results (applicant)", "applicant", r("reviews:results", args=[app]), "", APPLICANT_MS),
        Page("my awards", "applicant", r("awards:awards"), "", APPLICANT_MS),
        Page("award page (applicant)", "applicant", r("awards:award", args=[award]), "", APPLICANT_MS),
        Page("consortium page (applicant)", "applicant", r("consortia:detail", args=[f["consortium"].pk]), "", 10),
    ]
    return staff + admin + reader + applicant
