"""A person's API tokens: each names what it is for, what it may do (its scopes) and when it stops working.

Only a hash of the secret is kept (tokens.py): the secret is shown once, when it is made, and never again. The short
public prefix finds the row without comparing every hash."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Token(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read what you may see in the site"
        REPORT_WRITE = "report-write", "Enter, submit and review progress reports"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text='What it is for, e.g. "Nightly pull of awards".')
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField("SHA-256 of the secret", max_length=64, editable=False)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField("expires", null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["user_id", "-created_at"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="api_token_user_revoked")]

    def __str__(self):
        return f"API token {self.prefix} “{self.name}”"

    @property
    def label(self) -> str:
        """How the audit trail names it: by its number and name."""
        return f"API token #{self.pk} “{self.name}”"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    def scope_labels(self) -> list[str]:
        labels = dict(self.Scope.choices)
        return [labels.get(scope, scope) for scope in self.scopes]
