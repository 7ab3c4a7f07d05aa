"""Background work, recorded in the database in the same transaction as the change that causes it (an outbox).

A job is sent to the workers once its transaction commits; if the broker is down, or the message is lost, or the
worker running it dies, the sweeper sends it again. A job runs at most once at a time (a worker claims it with a
lease) and its work is idempotent, so running it again never does the work twice.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Job(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    task = models.CharField(max_length=200, help_text="The dotted path of the function that does the work.")
    args = models.JSONField(default=list, blank=True)
    # For work that is coalesced, a digest of the task and its arguments: at most one such job waits at a time.
    signature = models.CharField(max_length=64, null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # When it was last handed to the broker; empty when that failed (the sweeper sends it).
    dispatched_at = models.DateTimeField(null=True, blank=True)
    not_before = models.DateTimeField(null=True, blank=True, help_text="A retry waits until then.")
    started_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["signature"], condition=Q(state="pending"), name="background_job_one_waiting_per_signature"
            )
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], condition=~Q(state="done"), name="background_job_open"),
            models.Index(fields=["finished_at"], condition=Q(state="done"), name="background_job_done"),
        ]

    def __str__(self):
        arguments = ", ".join(str(arg) for arg in self.args)
        return f"{self.task.rpartition('.')[2]}({arguments})"

    @property
    def label(self) -> str:
        """The work in words: "Send notice 12"."""
        words = self.task.rpartition(".")[2].replace("_", " ").capitalize()
        return " ".join([words, *(str(arg) for arg in self.args)])
