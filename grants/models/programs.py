"""The program (the Trust), its appropriations and its set-aside."""

from decimal import ROUND_DOWN, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.urls import reverse
from simple_history.models import HistoricalRecords

CENT = Decimal("0.01")


def money_field(verbose_name=None, **kwargs):
    """Dollars and cents, up to $999,999,999,999.99. Money is never a float."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


class Program(models.Model):
    name = models.CharField(max_length=200, unique=True)
    legal_basis = models.TextField(blank=True, help_text="Statutes that create and govern the program.")
    administering_agency = models.CharField(max_length=200, default="California Department of Education")
    set_aside_percent = models.DecimalField(
        "set-aside percentage",
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Share of all appropriations reserved for planning grants and technical assistance (EC 53015(e)).",
    )
    set_aside_funds_planning_grants = models.BooleanField("set-aside may fund planning grants", default=True)
    set_aside_funds_technical_assistance = models.BooleanField("set-aside may fund technical assistance", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("grants:program", args=[self.pk])

    @property
    def total_appropriated(self) -> Decimal:
        return self.appropriations.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")

    @property
    def set_aside_amount(self) -> Decimal:
        """Rounded down to the cent, so the reserve never exceeds the percentage."""
        return (self.total_appropriated * self.set_aside_percent / 100).quantize(CENT, rounding=ROUND_DOWN)

    @property
    def available_for_rounds(self) -> Decimal:
        return self.total_appropriated - self.set_aside_amount


class Appropriation(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="appropriations")
    amount = money_field(validators=[MinValueValidator(Decimal("0.01"))])
    source = models.CharField(max_length=100, help_text='The act that appropriated it, e.g. "AB 86 (2013)".')
    fiscal_years = models.CharField(max_length=50, help_text='e.g. "2013-14".')
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "fiscal_years", "source"]

    def __str__(self):
        return f"{self.source}: ${self.amount:,.2f}"
