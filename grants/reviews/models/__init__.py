"""Review: conflicts of interest, reader assignments, rubric scores, and the scores the round computes."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from consortia.models import Consortium, Organization
from grants.applications.models import Application
from grants.programs.models import CompetitivePriority, Criterion, Round

# The reader pool's models live in their own module; imported here so that Django finds them.
from .readers import ReaderInvitation, ReaderLoadCap, ReaderProfile, ReaderSector  # noqa: F401


class Conflict(models.Model):
    """A declared or staff-recorded conflict of interest between a reader and a consortium or organization.

    Conflicts from affiliations (the reader works for the lead agency or a member) are computed, not stored:
    see grants.services.conflicts.
    """

    class Source(models.TextChoices):
        DECLARED = "declared", "Declared by the reader"
        STAFF = "staff", "Recorded by staff"

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts")
    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    source = models.CharField(max_length=10, choices=Source.choices)
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reader", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consortium__isnull=False) | Q(organization__isnull=False),
                name="conflict_names_a_consortium_or_organization",
            )
        ]

    def __str__(self):
        return f"{self.reader} conflicted with {self.consortium or self.organization}"

    def clean(self):
        if not self.consortium_id and not self.organization_id:
            raise ValidationError("Name the consortium or the organization the conflict is with.")


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Assignment.ACTIVE)

    def with_due(self):
        """Each assignment's `due`: its own due date when staff extended it, else its round's."""
        return self.annotate(due=Coalesce("due_at", "application__round__review_due_at"))


class Assignment(models.Model):
    """A reader asked to score one application."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "Assigned: conflict attestation needed"
        ACCEPTED = "accepted", "Attested: no conflict"
        DECLINED = "declined", "Declined: conflict declared"
        REMOVED = "removed", "Removed"

    ACTIVE = (Status.ASSIGNED, Status.ACCEPTED)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when assigned automatically.",
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    attested_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    # Staff's extension of this reader's due date (the round's review_due_at applies when empty), and why.
    due_at = models.DateTimeField("review due", null=True, blank=True)
    due_reason = models.TextField(blank=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reader"],
                condition=Q(status__in=["assigned", "accepted"]),
                name="one_active_assignment_per_reader_and_application",
            )
        ]
        indexes = [
            models.Index(fields=["reader", "status"]),
            # The score dashboard asks whether an assignment ended after the last scoring (ranking.changed_since).
            models.Index(fields=["ended_at"], name="assignment_ended_at"),
        ]

    def __str__(self):
        return f"{self.reader} reads {self.application.number}"


class Review(models.Model):
    """A reader's scores for one application, against the round's rubric."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    overall_comment = models.TextField(blank=True)
    # Weighted sum of the scores, kept on submit so that aggregation reads one number per review.
    total = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assignment_id"]
        # The score dashboard asks whether a review changed after the last scoring (ranking.changed_since).
        indexes = [models.Index(fields=["updated_at"], name="review_updated_at")]

    def __str__(self):
        return f"Review of {self.assignment.application.number} by {self.assignment.reader}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["review_id", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="score_once_per_criterion")]

    def __str__(self):
        return f"{self.criterion}: {self.points}"


class PriorityClaim(models.Model):
    """A competitive priority that staff confirmed applies to an application (bonus points or tie-breaks)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="priority_claims")
    priority = models.ForeignKey(CompetitivePriority, on_delete=models.CASCADE, related_name="claims")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "priority"], name="priority_claim_unique")]

    def __str__(self):
        return f"{self.application.number}: {self.priority}"


class Reconciliation(models.Model):
    """What staff did about an application whose readers disagreed."""

    class Action(models.TextChoices):
        REVISIT = "revisit", "Asked readers to revisit"
        EXTRA_READER = "extra_reader", "Added a further reader"
        CONSENSUS = "consensus", "Recorded a consensus score"
        CLEARED = "cleared", "Cleared the consensus score"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reconciliations")
    action = models.CharField(max_length=20, choices=Action.choices)
    consensus_total = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "at"]

    def __str__(self):
        return f"{self.application.number}: {self.get_action_display()}"


class ApplicationScore(models.Model):
    """The round's computed result for one application, written only by the scoring service."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="score")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="application_scores")
    readers = models.PositiveSmallIntegerField(default=0)
    raw_mean = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    normalized = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    spread = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    flagged = models.BooleanField("discrepancy flagged", default=False)
    consensus = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    bonus = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    final = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    # A round with an interview stage (grants.interviews): whether the application is a finalist, the reading score
    # before the interview was combined in (consensus or normalized or mean, plus bonus), and the panel's interview
    # score on the reading rubric's scale. Empty in a round without interviews, where final is the reading score.
    finalist = models.BooleanField(default=False)
    reading = models.DecimalField("reading score", max_digits=8, decimal_places=2, null=True)
    interview = models.DecimalField("interview score", max_digits=8, decimal_places=2, null=True)
    fundable = models.BooleanField(default=False)
    rank = models.PositiveIntegerField(null=True)
    category_rank = models.PositiveIntegerField(null=True)
    # How many applications of the round, and of this one's funding category, have a rank ("rank 3 of 40"): ranks
    # run 1..n, and every row of the round is written at each computation, so these are never out of date.
    ranked_in_round = models.PositiveIntegerField(default=0)
    ranked_in_category = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["round", "rank"]
        # (round, computed_at): when the round was last scored, read from the index (ranking.last_computed).
        indexes = [
            models.Index(fields=["round", "rank"]),
            models.Index(fields=["round", "computed_at"], name="score_round_computed_at"),
        ]

    def __str__(self):
        return f"{self.application.number}: {self.final} (rank {self.rank})"
