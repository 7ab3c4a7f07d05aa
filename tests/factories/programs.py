"""Programs, rounds and a round's configuration."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from grants.programs.models import Criterion, FundingCategory, Program, RequiredAttachment, Round


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        django_get_or_create = ["name"]
        skip_postgeneration_save = True

    name = "California Career Pathways Trust"

    @factory.post_generation
    def appropriations(self, create, extracted, **kwargs):
        if create and not self.appropriations.exists():
            self.appropriations.create(amount=Decimal("250000000"), source="AB 86 (2013)", fiscal_years="2013-14")
            self.appropriations.create(amount=Decimal("250000000"), source="SB 858 (2014)", fiscal_years="2014-15")


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    code = factory.Sequence(lambda n: f"t{n}")
    funds_available = Decimal("10000000.00")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    grant_start_year = 2026
    grant_years = 2


class FundingCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingCategory

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    maximum_award = Decimal("1000000.00")
    planned_grants = 2


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    max_points = Decimal("20")
    response_limit = 2000


class RequiredAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredAttachment

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Attachment {n}")


class OpenRoundFactory(RoundFactory):
    """A round published and accepting applications now (opened yesterday, closes in 30 days)."""

    status = Round.Status.OPEN
    opened_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class CompetitivePriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "programs.CompetitivePriority"

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"Priority {n}")
    bonus_points = Decimal("2")


def one_criterion_round(maximum="100", **kwargs) -> Round:
    """A round (keyword arguments go to RoundFactory) whose rubric is one criterion worth `maximum` points."""
    round_ = RoundFactory(**kwargs)
    CriterionFactory(round=round_, max_points=Decimal(maximum))
    return round_


def configured_round(**kwargs) -> Round:
    """A round ready to open (a draft unless status= is given): a funding category within its funds,
    a two-criterion rubric worth 100 points, a competitive priority and a required attachment."""
    round_ = RoundFactory(**kwargs)
    FundingCategoryFactory(round=round_, name="Large", maximum_award=Decimal("1000000.00"), planned_grants=2)
    CriterionFactory(round=round_, name="Need", max_points=Decimal("60"))
    CriterionFactory(round=round_, name="Budget", max_points=Decimal("40"))
    CompetitivePriorityFactory(round=round_, name="High dropout region")
    RequiredAttachmentFactory(round=round_, name="Consortium agreement")
    return round_
