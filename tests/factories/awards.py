"""Funding plans, awards and notices."""

from datetime import UTC, datetime
from decimal import Decimal

import factory
from django.utils import timezone

from consortia.models import Organization
from grants.applications.models import Application
from grants.programs.models import Round

from .applications import ApplicationFactory
from .consortia import ConsortiumFactory, OrganizationFactory, UserFactory, county
from .programs import FundingCategoryFactory, RoundFactory


class FundingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "awards.FundingPlan"

    round = factory.SubFactory(RoundFactory, status=Round.Status.IN_REVIEW)
    created_by = factory.SubFactory(UserFactory, role="Program staff", password=None)


def _approved_plan(round_):
    from grants.awards.models import FundingPlan

    return FundingPlan.objects.filter(round=round_, status="approved").first() or FundingPlanFactory(
        round=round_, status="approved", approved_at=timezone.now()
    )


class AwardFactory(factory.django.DjangoModelFactory):
    """An offered award of a decided round, with equal instalments over the round's grant period."""

    class Meta:
        model = "awards.Award"
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory, status=Round.Status.DECIDED)
    application = factory.SubFactory(
        ApplicationFactory,
        round=factory.SelfAttribute("..round"),
        status=Application.Status.SUBMITTED,
        requested_amount=Decimal("500000.00"),
    )
    consortium = factory.SelfAttribute("application.consortium")
    category = factory.SelfAttribute("application.category")
    plan = factory.LazyAttribute(lambda a: _approved_plan(a.round))
    number = factory.Sequence(lambda n: f"AW-{n:04d}")
    amount = Decimal("400000.00")
    start_year = factory.SelfAttribute("round.grant_start_year")
    years = factory.SelfAttribute("round.grant_years")
    offered_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def instalments(self, create, extracted, **kwargs):
        from grants.awards.models import Instalment
        from grants.awards.services.approval import instalment_amounts

        if create and extracted is not False:
            parts = instalment_amounts(self.amount, self.years, extracted or None)
            for year, part in zip(self.fiscal_years, parts, strict=True):
                Instalment.objects.create(award=self, fiscal_year=year, amount=part)


def award_in(
    round_, award_number, amount, *, lead=None, counties=(), consortium=None, category=None, status="offered", **fields
):
    """Award `award_number` of `amount` (a string) in `round_`, offered at 8 p.m. on May 30, 2014 in California.

    It goes to a new consortium led by `lead` (else a new school district) serving `counties`; `consortium` and
    `category` are keyword arguments for their factories; the other keyword arguments go to the application,
    which asks for `amount` unless given `requested_amount`.
    """
    consortium_ = ConsortiumFactory(
        lead_agency=lead or OrganizationFactory(kind=Organization.Kind.SCHOOL_DISTRICT), **(consortium or {})
    )
    consortium_.counties_served.set([county(name) for name in counties])
    application = ApplicationFactory(
        round=round_,
        consortium=consortium_,
        category=FundingCategoryFactory(round=round_, **(category or {})),
        status="submitted",
        **{"requested_amount": Decimal(amount), **fields},
    )
    return AwardFactory(
        round=round_,
        application=application,
        number=award_number,
        amount=Decimal(amount),
        status=status,
        # 8 p.m. on May 30, 2014 in California is already May 31 in UTC.
        offered_at=datetime(2014, 5, 31, 3, 0, tzinfo=UTC),
    )


class NoticeFactory(factory.django.DjangoModelFactory):
    """A queued award notice (pass kind="decline", award=None, application=... for a decline)."""

    class Meta:
        model = "awards.Notice"

    kind = "award"
    award = factory.SubFactory(AwardFactory)
    application = factory.LazyAttribute(lambda n: n.award.application)
    idempotency_key = factory.Sequence(lambda n: f"test-notice-{n}")
    requested_by = factory.SubFactory(UserFactory, role="Administrators", password=None)


def submit(plan, by=None, note="Ready for approval."):
    """`plan` submitted for approval (by its author unless `by`), as staff do before an administrator approves it."""
    from grants.awards.services.plans import submit_plan

    return submit_plan(plan=plan, by=by or plan.created_by, note=note)
