from ccpt.background.jobs import job

from . import services


@job(promise="the applicant will be emailed the decision when the mail service is back")
def notify_outcome(appeal_id: int) -> int:
    """Email an appeal's decision to the applicant, once."""
    return services.notify_outcome(appeal_id)
