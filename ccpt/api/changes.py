"""What counts as a change of an award or a progress report, for the API's `?modified_since=`, ETag and
Last-Modified: the row's `updated_at`, moved whenever the row or a part of it changes.

`auto_now` moves it on a plain save(); a save with `update_fields` that leaves it out (the workflow's status
changes, an amendment) and the parts kept in other tables (an award's schedule, payments, holds and recoveries; a
report's values are saved with the report, its files are not) move it here, with one UPDATE that sends no signal."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from grants.awards.models import Amendment, Award, Instalment
from grants.payments.models import AwardHold, Payment, Recovery
from grants.reporting.models import ProgressReport, ReportAttachment, ReportVersion


def _touch(model, pk) -> None:
    if pk is not None:
        model.objects.filter(pk=pk).update(updated_at=timezone.now())


@receiver(post_save, sender=Award, dispatch_uid="api.award_saved")
@receiver(post_save, sender=ProgressReport, dispatch_uid="api.report_saved")
def _saved_in_part(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or update_fields is None or "updated_at" in update_fields:
        return  # auto_now moved it
    _touch(sender, instance.pk)


@receiver(post_save, sender=Instalment, dispatch_uid="api.instalment_saved")
@receiver(post_save, sender=Amendment, dispatch_uid="api.amendment_saved")
@receiver(post_save, sender=Payment, dispatch_uid="api.payment_saved")
@receiver(post_save, sender=Recovery, dispatch_uid="api.recovery_saved")
@receiver(post_save, sender=AwardHold, dispatch_uid="api.hold_saved")
@receiver(post_delete, sender=Instalment, dispatch_uid="api.instalment_deleted")
@receiver(post_delete, sender=Payment, dispatch_uid="api.payment_deleted")
def _award_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(Award, instance.award_id)


@receiver(post_save, sender=ReportVersion, dispatch_uid="api.report_version_saved")
@receiver(post_save, sender=ReportAttachment, dispatch_uid="api.report_file_saved")
@receiver(post_delete, sender=ReportAttachment, dispatch_uid="api.report_file_deleted")
def _report_part_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _touch(ProgressReport, instance.report_id)
