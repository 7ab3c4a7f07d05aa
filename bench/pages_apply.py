"""The consortia and their applications of bench/pages.py's data, made through the site's services in `jobs`
processes at once (pages_workers.py): each consortium registered by staff (consortia.services.save_consortium,
which makes its lead agency a member) with its partners (what add_member makes, inserted in bulk), its lead
contact invited (the invitation is emailed) and signed up (accept_invitation); then each consortium's application
made by its lead contact (pages_build.application), submitted and screened by the background work.

Each consortium and application draws its random figures from its own seed, so that the data do not depend on
how many processes made them.
"""

from __future__ import annotations

import random
import time

import pages_build
import pages_text as text
import pages_workers as workers

BATCH = 100  # consortia per transaction


def consortia(leads, partners, seed: int, staff, jobs: int) -> list[int]:
    """Each lead agency's consortium, registered and with its lead contact signed up; their ids in `leads`' order."""
    from consortia.models import Consortium, Invitation, Organization

    plan = list(enumerate(lead.pk for lead in leads))
    districts = [o.pk for o in leads[:50] if o.kind == Organization.Kind.SCHOOL_DISTRICT]
    others = [[o.pk for o in group] for group in partners]
    workers.in_parallel(_register, [(plan[w::jobs], others, districts, seed, staff.pk) for w in range(jobs)], jobs)
    workers.run_jobs(jobs)  # the invitations are emailed
    invitations = list(Invitation.objects.filter(accepted_at__isnull=True).order_by("pk").values_list("pk", flat=True))
    workers.in_parallel(_sign_up, [(invitations[w::jobs], seed) for w in range(jobs)], jobs)
    by_lead = dict(Consortium.objects.values_list("lead_agency_id", "pk"))
    return [by_lead[lead.pk] for lead in leads]


def _register(plan, partners, districts, seed: int, staff_id: int) -> None:
    from django.db import transaction
    from simple_history.utils import bulk_create_with_history

    from consortia import services
    from consortia.models import Consortium, Contact, Membership, Organization, Region, User

    staff = User.objects.get(pk=staff_id)
    regions = list(Region.objects.all())
    organizations = Organization.objects.in_bulk(
        [pk for _, pk in plan] + [pk for g in partners for pk in g] + districts
    )
    colleges, employers, boards = ([organizations[pk] for pk in group] for group in partners)
    for start in range(0, len(plan), BATCH):
        memberships = []
        with transaction.atomic():
            for i, lead_pk in plan[start : start + BATCH]:
                rng, lead = random.Random(seed * 7919 + i), organizations[lead_pk]
                consortium = services.save_consortium(
                    consortium=Consortium(
                        name=f"{rng.choice(text.WORDS)} Career Pathways Consortium {i + 1:05d}",
                        lead_agency=lead,
                        region=regions[i % len(regions)],
                        labor_market_region=text.prose(rng, 300),
                    ),
                    by=staff,
                    counties=[lead.county],
                )
                members = rng.sample(colleges, rng.randint(1, 3)) + rng.sample(employers, rng.randint(2, 5))
                members += rng.sample(boards, 1) if rng.random() < 0.3 else []
                if lead.kind not in Organization.K12_KINDS:  # a college-led consortium has a school district too
                    members.append(organizations[rng.choice(districts)])
                memberships += [
                    Membership(consortium=consortium, organization=o, role=Membership.role_for(o.kind)) for o in members
                ]
                services.invite(
                    consortium=consortium,
                    email=pages_build.LEAD.format(i=i),
                    organization=lead,
                    role=Contact.Role.LEAD,
                    by=staff,
                )
            bulk_create_with_history(memberships, Membership)  # what add_member makes for each partner


def _sign_up(invitations: list[int], seed: int) -> None:
    """Each invited lead contact makes an account (no password: the benchmark signs in by session) and accepts."""
    from django.db import transaction

    from consortia import services
    from consortia.models import Invitation, User

    for start in range(0, len(invitations), BATCH):
        with transaction.atomic():
            for invitation in Invitation.objects.filter(pk__in=invitations[start : start + BATCH]).order_by("pk"):
                rng = random.Random(seed * 104_729 + invitation.pk)
                person = User(email=invitation.email, first_name=rng.choice(text.FIRST), last_name="Lead")
                person.set_unusable_password()
                person.save()
                services.accept_invitation(invitation=invitation, user=person)
        text.forget_mail()


def applications(round_, groups: list[int], size: int, seed: int, staff, jobs: int) -> None:
    """`size` submitted applications, then drafts (one per 50) and withdrawn ones (one per 100), one per consortium
    of `groups`; then the screening. One submission in 30 fails screening: its consortium drops its business
    partners after submitting, before the screening runs; staff accept a third of those anyway (override_check)."""
    from grants.applications.models import ScreeningCheck
    from grants.applications.services import screening

    drafts, withdrawn = max(1, size // 50), max(1, size // 100)
    plan = list(enumerate(groups[: size + drafts + withdrawn]))
    workers.in_parallel(_apply, [(round_.pk, plan[w::jobs], size, drafts, seed, w) for w in range(jobs)], jobs)
    started = time.perf_counter()
    ran = workers.run_jobs(jobs)
    print(f"    screened {ran:,} submissions in {time.perf_counter() - started:.1f} s", flush=True)
    failed = ScreeningCheck.objects.filter(
        submission__application__round=round_, passed=False, overridden_at__isnull=True
    ).order_by("pk")
    for check in list(failed)[::3]:
        screening.override_check(check=check, by=staff, reason="Business partner letters were received by mail.")


def _apply(round_id: int, plan, size: int, drafts: int, seed: int, worker: int) -> None:
    from consortia.models import Consortium, Contact, Organization
    from grants.applications.services import submission
    from grants.programs.models import Round

    round_ = Round.objects.get(pk=round_id)
    categories = list(round_.categories.all())
    ids = [pk for _, pk in plan]
    groups = Consortium.objects.in_bulk(ids)
    leads = {c.consortium_id: c.user for c in Contact.objects.filter(consortium__in=ids).select_related("user")}
    started, step = time.perf_counter(), max(1, len(plan) // 5)
    for n, (i, pk) in enumerate(plan, start=1):
        rng, consortium, lead = random.Random(seed * 1_000_003 + i), groups[pk], leads[pk]
        category = rng.choices(categories, weights=[15, 35, 50])[0]
        app = pages_build.application(round_, consortium, category, lead, rng, submit=not size <= i < size + drafts)
        if i >= size + drafts:
            submission.withdraw_application(application=app, by=lead, reason="The consortium will apply next year.")
        elif i < size and i % 30 == 29:
            consortium.memberships.filter(organization__kind=Organization.Kind.BUSINESS).delete()
        if n % step == 0 or n == len(plan):
            text.forget_mail()
            rate = n / (time.perf_counter() - started)
            print(f"    process {worker + 1}: {n:,} of {len(plan):,} applications ({rate:.1f}/s)", flush=True)
