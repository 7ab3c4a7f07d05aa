"""Finalist interviews: a round's interview stage, its rubric, finalists, panels, scheduled interviews, the panel
members' scores and the finalists' requests for another slot.

A round's interview settings live here, one-to-one with the round (as appeals do): programs sits below reviews and
must not know of interviews, and a round without settings has no interview stage. How the interview score
combines with the reading score into the final rank is grants.interviews.services.ranking.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from grants.applications.models import Application
from grants.programs.models import Round


class InterviewSettings(models.Model):
    class Combination(models.TextChoices):
        WEIGHTED = "weighted", "Weighted: the final score blends the reading and interview scores"
        TIE_BREAK = "tie_break", "Tie-break: the reading score ranks; the interview score breaks ties"

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="interview_settings")
    has_interviews = models.BooleanField("the round interviews finalists", default=True)
    combination = models.CharField(
        "how the interview score counts", max_length=10, choices=Combination.choices, default=Combination.WEIGHTED
    )
    interview_weight = models.DecimalField(
        "weight of the interview (percent of the final score)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("40"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("100"))],
        help_text="Used when the interview is weighted: 40 means final = 60% reading + 40% interview.",
    )
    finalists_per_category = models.PositiveSmallIntegerField(
        "finalists per funding category",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text="What 'choose the top N' proposes; staff may add or remove finalists one by one.",
    )
    interview_minutes = models.PositiveSmallIntegerField(
        "length of an interview (minutes)", default=60, validators=[MinValueValidator(10), MaxValueValidator(480)]
    )
    panel_size = models.PositiveSmallIntegerField(
        "panel members needed", default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )

    class Meta:
        verbose_name_plural = "interview settings"

    def __str__(self):
        return f"Interview settings of {self.round}"

    @property
    def weight_fraction(self) -> Decimal:
        return self.interview_weight / Decimal("100")


class InterviewCriterion(models.Model):
    """One criterion of the round's interview rubric."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="interview_criteria")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True, help_text="What the panel looks for.")
    max_points = models.DecimalField(
        "maximum points", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.5"))]
    )
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("1.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round_id", "position", "pk"]
        verbose_name_plural = "interview criteria"
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="interview_criterion_name_unique")]

    def __str__(self):
        return self.name


class Panel(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="interview_panels")
    name = models.CharField(max_length=100)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="PanelMember",
        through_fields=("panel", "member"),
        related_name="interview_panels",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_id", "name"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="panel_name_unique_in_round")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("interviews:panel", args=[self.pk])


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="memberships")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_memberships")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["panel_id", "added_at"]
        constraints = [models.UniqueConstraint(fields=["panel", "member"], name="panel_member_once")]

    def __str__(self):
        return f"{self.member} on {self.panel}"


class Finalist(models.Model):
    """An application invited to interview."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="finalist")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="finalists")
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round_id", "chosen_at", "pk"]

    def __str__(self):
        return f"Finalist {self.application.number}"


class Interview(models.Model):
    """A finalist's interview: its slot (Pacific time on every page), its panel, and where it happens."""

    finalist = models.OneToOneField(Finalist, on_delete=models.CASCADE, related_name="interview")
    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="interviews")
    starts_at = models.DateTimeField()
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(10), MaxValueValidator(480)])
    place = models.CharField(max_length=300, blank=True, help_text="Room and address, when in person.")
    video_link = models.URLField("video link", blank=True, help_text="When held by video.")
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    scheduled_at = models.DateTimeField(auto_now=True)
    # Which version of the slot the finalist was emailed: the email goes once per slot, not once per save.
    slot_version = models.PositiveIntegerField(default=1)
    notified_version = models.PositiveIntegerField(default=0)
    panel_notified_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["panel", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(place="", video_link=""), name="interview_has_place_or_link")
        ]

    def __str__(self):
        return f"Interview of {self.finalist.application.number}"

    def get_absolute_url(self):
        return reverse("interviews:interview", args=[self.pk])

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.minutes)


class SlotRequest(models.Model):
    """A finalist's request for another interview slot, and staff's answer."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for staff"
        MOVED = "moved", "Moved to another slot"
        DECLINED = "declined", "Declined"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="slot_requests")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.TextField()
    preferred = models.TextField("times that would suit", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["interview_id", "requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["interview"], condition=Q(status="open"), name="one_open_slot_request")
        ]

    def __str__(self):
        return f"Another slot for {self.interview}"


class InterviewReview(models.Model):
    """A panel member's scores of one interview, against the round's interview rubric."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="reviews")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interview_reviews")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    overall_comment = models.TextField(blank=True)
    total = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["interview_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["interview", "member"], name="interview_review_once")]

    def __str__(self):
        return f"{self.member}'s scores of {self.interview}"


class InterviewScore(models.Model):
    review = models.ForeignKey(InterviewReview, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(InterviewCriterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["review_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="interview_score_once_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"
