"""The program's set-aside for planning grants and technical assistance (EC 53015(e)): its ledger of draws."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ccpt.lib.money import CENT, format_money, money_field
from ccpt.lib.once import click_token_field
from consortia.models import Consortium, Organization
from grants.programs.models import Program


class SetAsideEntry(models.Model):
    """A draw on the program's set-aside: a planning grant to a consortium or a technical-assistance contract."""

    class Kind(models.TextChoices):
        PLANNING_GRANT = "planning_grant", "Planning grant"
        TECHNICAL_ASSISTANCE = "technical_assistance", "Technical-assistance contract"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="set_aside_entries")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    amount = money_field(validators=[MinValueValidator(CENT)])
    description = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The one-time token of the form that recorded it: the same click posted twice records one draw.
    click_token = click_token_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "recorded_at"]
        verbose_name_plural = "set-aside entries"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="set_aside_amount_positive"),
            models.CheckConstraint(
                condition=Q(consortium__isnull=False) | Q(organization__isnull=False),
                name="set_aside_entry_has_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {format_money(self.amount)}"

    def get_absolute_url(self):
        return reverse("setaside:ledger", args=[self.program_id])  # an entry is read in its program's ledger
