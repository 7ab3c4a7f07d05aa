from ccpt.background.jobs import job

from . import rereading, services


@job(promise="the applicant will be emailed the decision when the mail service is back")
def notify_outcome(appeal_id: int) -> int:
    """Email an appeal's decision to the applicant, once."""
    return services.notify_outcome(appeal_id)


@job(promise="the applicant will be emailed the new reading's outcome when the mail service is back")
def notify_rereading(appeal_id: int) -> int:
    """Email the outcome of an appeal's new reading to the applicant, once."""
    return rereading.notify_rereading(appeal_id)
