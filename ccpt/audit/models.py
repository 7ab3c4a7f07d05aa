"""The audit trail: one row for every state change and sign-in that matters, with who, when, what and from where.

It is written beside the domain's own records (a status change keeps its StatusChange; a sign-in has no other
record) so that an auditor reads one chronological list, filters it and exports it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from ccpt.lib.dates import format_datetime


class Event(models.Model):
    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        SIGN_OUT = "sign_out", "Signed out"
        LOCKED_OUT = "locked_out", "Locked out"
        PASSWORD_RESET = "password_reset", "Password reset"
        REAUTHENTICATED = "reauthenticated", "Confirmed identity"
        REAUTHENTICATION_FAILED = "reauthentication_failed", "Identity not confirmed"
        SECOND_FACTOR = "second_factor", "Two-factor authentication"
        STATUS_CHANGE = "status_change", "Status changed"
        ROLE_CHANGE = "role_change", "Role changed"
        SETTING_CHANGE = "setting_change", "Setting changed"
        MONEY = "money", "Money moved"
        BACKGROUND = "background", "Background work"
        DATA_ENTRY = "data_entry", "Data entered"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Who, as written at the time (the email typed at a failed sign-in, or of a person since removed).
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # What the person acted through when not the site's pages: "API token #3 “Nightly pull”" (ccpt/api).
    via = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["actor", "at"]),
            models.Index(fields=["action", "at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self):
        return f"{format_datetime(self.at)} {self.actor_label}: {self.get_action_display()} {self.object_label}"
