"""The second half of bench/pages.py's data, through the site's services: staff close the round and start review,
readers are assigned automatically (some readers work for a member college: conflicts the assignment avoids),
attest and score, a few declare a conflict and are replaced; the round is scored, staff reconcile flagged
applications, confirm competitive priorities and publish the results; a funding plan is generated and changed,
the administrator approves it (awards, their payment schedules, notices sent on commit); consortia answer their
awards, staff start, amend and resend; the set-aside is drawn on.

Reviews are saved in batches of one transaction each (fewer commits). Background work waits for the end of each
phase (pages_workers.run_jobs): the round's scoring, which every submitted review asks for, then runs once.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pages_text as text
import pages_workers as workers

BATCH = 1500  # reviews per transaction, and per scoring of the round


def start_review(round_, staff, readers, colleges, rng: random.Random) -> None:
    """Staff close the round and start review; a fifth of the readers work for a member college."""
    from consortia.models import Affiliation
    from grants import workflow
    from grants.programs.models import Round

    workflow.transition(round_, Round.Status.CLOSED, by=staff)
    workflow.transition(round_, Round.Status.IN_REVIEW, by=staff)
    Affiliation.objects.bulk_create(
        Affiliation(user=reader, organization=rng.choice(colleges), position="Faculty")
        for reader in readers
        if rng.random() < 0.2
    )


def read(round_, staff, readers, rng: random.Random, report, jobs: int) -> int:
    """Assign readers automatically; each reader attests and submits their scores, except one assignment in a
    hundred declared a conflict (then a second automatic run replaces that reader), one left awaiting attestation
    and one left as a draft. Returns how many reviews were submitted."""
    from grants.reviews.models import Assignment
    from grants.reviews.services import assignment

    submitted = 0
    for run in range(2):
        done = set(Assignment.objects.filter(application__round=round_).values_list("pk", flat=True))
        assignment.auto_assign(round_=round_, by=staff)
        new = Assignment.objects.filter(application__round=round_, status=Assignment.Status.ASSIGNED).exclude(
            pk__in=done
        )
        submitted += _score(list(new.select_related("application").order_by("pk")), readers, rng, report, run)
        workers.run_jobs(jobs)  # the round is scored
    return submitted


def _score(assignments, readers, rng: random.Random, report, run: int) -> int:
    from django.db import transaction

    from grants.reviews.services import reviews

    by_id = {reader.pk: reader for reader in readers}  # one object per reader: its roles are read once
    severity = {reader.pk: random.Random(reader.pk).gauss(0, 0.05) for reader in readers}
    criteria = None
    submitted = 0
    for start in range(0, len(assignments), BATCH):
        with transaction.atomic():
            for item in assignments[start : start + BATCH]:
                reader = by_id[item.reader_id]
                chance = rng.random() if run == 0 else 1.0
                if chance < 0.01:
                    reviews.declare_conflict(assignment=item, by=reader, reason="My spouse teaches at the lead agency.")
                    continue
                if chance < 0.02:
                    continue  # not opened yet
                reviews.attest(assignment=item, by=reader)
                criteria = criteria or list(item.application.round.criteria.all())
                quality = 0.35 + 0.55 * random.Random(item.application_id).random()
                data = text.scores(rng, quality, severity[reader.pk], criteria)
                reviews.save_review(assignment=item, by=reader, data=data, submit=chance >= 0.03)
                submitted += chance >= 0.03
        text.forget_mail()
        report(submitted)
    return submitted


def reconcile(round_, staff, readers, rng: random.Random, jobs: int) -> None:
    """Staff confirm competitive priorities for one application in ten, record a consensus score for a quarter of
    the flagged applications, ask two applications' readers to revisit (they submit again) and add a reader to one;
    then the round is scored again."""
    from django.db import transaction

    from grants.applications.models import Application
    from grants.reviews.models import ApplicationScore, Review
    from grants.reviews.services import reconciliation, reviews

    by_id = {reader.pk: reader for reader in readers}
    priorities = list(round_.priorities.all())
    with transaction.atomic():
        for app in Application.objects.filter(round=round_, status=Application.Status.SUBMITTED).order_by("pk")[::10]:
            chosen = rng.sample(priorities, rng.randint(1, 2))
            reconciliation.confirm_priorities(application=app, priorities=chosen, by=staff)
        flagged = list(
            ApplicationScore.objects.filter(round=round_, flagged=True).select_related("application").order_by("rank")
        )
        for score in flagged[1::4]:
            reconciliation.record_consensus(
                application=score.application,
                total=score.raw_mean.quantize(Decimal("1")),
                by=staff,
                reason="The panel met and agreed on the total.",
            )
        for score in flagged[2:4]:
            app = score.application
            submitted = list(
                Review.objects.filter(assignment__application=app, status=Review.Status.SUBMITTED).select_related(
                    "assignment__reader"
                )
            )
            reconciliation.ask_to_revisit(
                application=app, reviews_to_reopen=submitted[:2], by=staff, reason="Re-read the budget section."
            )
            for review in submitted[:2]:
                reader = by_id[review.assignment.reader_id]
                data = {"overall_comment": "Revisited the budget as asked."}
                reviews.save_review(assignment=review.assignment, by=reader, data=data, submit=True)
        if len(flagged) > 4:
            app = flagged[4].application
            extra = reconciliation.eligible_readers(application=app)[0]
            added = reconciliation.add_reader(application=app, reader=extra, by=staff, reason="A third opinion.")
            reviews.attest(assignment=added, by=by_id[extra.pk])
            quality = 0.35 + 0.55 * random.Random(app.pk).random()
            data = text.scores(rng, quality, 0, list(round_.criteria.all()))
            reviews.save_review(assignment=added, by=by_id[extra.pk], data=data, submit=True)
    workers.run_jobs(jobs)
    text.forget_mail()


def decide(round_, program, staff, admin, jobs: int) -> None:
    """Results published; a funding plan generated (partial last award, two grants per region first), one line
    excluded by staff and the plan approved by the administrator; then the consortia answer, staff start and
    amend awards, resend a notice, and draw on the set-aside."""
    from consortia.models import Contact, Organization
    from grants.awards.models import Award, FundingPlan, Notice, PlanLine
    from grants.awards.services import approval, awards, notices, plans
    from grants.reviews.services import results
    from grants.setaside.services import draw_set_aside

    results.publish_results(round_=round_, by=staff)
    text.forget_mail()
    regions = {str(pk): 2 for pk in round_.applications.values_list("consortium__region", flat=True).distinct()}
    plan = plans.generate_plan(
        round_=round_,
        by=staff,
        last_application=FundingPlan.LastApplication.PARTIAL,
        minimum_partial=Decimal("100000"),
        region_minimums=regions,
    )
    line = PlanLine.objects.filter(plan=plan, funded=True).order_by("category__position", "rank")[2]
    plans.change_line(
        line=line, by=staff, action=plans.LineAction.EXCLUDE, reason="The consortium merged with another."
    )
    plans.submit_plan(plan=plan, by=staff, note="Ready for approval.")
    approval.approve_plan(plan=plan, by=admin, conditions="Annual reports are due each September 30.")
    workers.run_jobs(jobs)  # the award and decline notices are sent

    leads = {c.consortium_id: c.user for c in Contact.objects.filter(role=Contact.Role.LEAD).select_related("user")}
    offered = list(Award.objects.filter(round=round_).order_by("number"))
    for n, award in enumerate(offered):
        if n % 10 == 9:
            awards.respond(award=award, by=leads[award.consortium_id], accept=False, reason="Our board declined.")
        elif n % 10 < 7:
            awards.respond(award=award, by=leads[award.consortium_id], accept=True)
            if n % 2 == 0:
                awards.change_status(award=award, target=Award.Status.ACTIVE, by=staff)
    active = Award.objects.filter(round=round_, status=Award.Status.ACTIVE).order_by("number").first()
    if active is not None:
        awards.amend(
            award=active,
            by=staff,
            amount=active.amount - Decimal("10000"),
            start_year=active.start_year,
            years=active.years,
            reason="Equipment bought with other funds.",
        )
    notice = Notice.objects.filter(application__round=round_, kind=Notice.Kind.DECLINE).order_by("pk").first()
    notices.resend(notice=notice, by=staff, reason="The consortium's lead contact changed.")
    unfunded = list(round_.applications.filter(award__isnull=True).select_related("consortium").order_by("pk")[:4])
    for app in unfunded:
        draw_set_aside(
            program=program,
            kind="planning_grant",
            amount=Decimal("250000"),
            by=staff,
            consortium=app.consortium,
            description="Bench planning grant",
        )
    college = Organization.objects.filter(kind=Organization.Kind.COMMUNITY_COLLEGE).order_by("pk").first()
    draw_set_aside(
        program=program,
        kind="technical_assistance",
        amount=Decimal("400000"),
        by=staff,
        organization=college,
        description="Bench technical assistance to pathway coordinators",
    )
    workers.run_jobs(jobs)
    text.forget_mail()
