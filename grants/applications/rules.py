"""Who may do what with applications, their files and submissions: the one place these checks live.

Readers do not appear here: they read a submitted application through their assignment (grants.reviews.rules).
What a consortium does (change, submit, withdraw, start, file a letter of intent) is never an administrator's to
do, even one listed as a contact (`not_administrator`, consortia/rules.py).
"""

import rules

from consortia.rules import is_contact, is_lead_contact, is_program_staff, not_administrator, of_consortium

from .models import Application

is_application_contact = of_consortium(is_contact)
is_application_lead = of_consortium(is_lead_contact)


@rules.predicate
def is_draft(user, application):
    return application is not None and application.status == Application.Status.DRAFT


@rules.predicate
def is_uploaded(required, files) -> bool:
    """Is there a file for this required attachment among an application's files?"""
    return any(f.required_attachment_id == required.pk for f in files)


# Applications (obj: Application)
rules.add_perm("applications.view_application", is_program_staff | is_application_contact)
rules.add_perm("applications.view_every_application", is_program_staff)  # no object: lists of applications
rules.add_perm("applications.change_application", not_administrator & is_application_contact & is_draft)
rules.add_perm("applications.submit_application", not_administrator & is_application_lead & is_draft)
rules.add_perm("applications.withdraw_application", not_administrator & is_application_lead)
rules.add_perm("applications.reopen_application", is_program_staff)
rules.add_perm("applications.accept_late_submission", is_program_staff)

# Starting an application or filing a letter of intent (obj: Consortium)
rules.add_perm("applications.start_application", not_administrator & is_lead_contact)
rules.add_perm("applications.file_letter_of_intent", not_administrator & is_lead_contact)

# Staff work on submissions (obj: Round or Submission)
rules.add_perm("applications.view_submissions", is_program_staff)
rules.add_perm("applications.override_screening", is_program_staff)

# For templates that have only the application:
#   {% test_rule "applications.is_uploaded" required files as x %}  (files: the application's attachments)
rules.add_rule("applications.is_uploaded", is_uploaded)
