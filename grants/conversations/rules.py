"""Who may do what in an application's conversations: the one place these checks live.

Program staff (administrators among them) read and write both threads, ask for clarifications and share messages
with readers. A consortium's contacts read and write the conversation with staff, and answer clarification
requests; never the staff notes. Readers see only the messages shared with them, on their review page
(grants/reviews), and nobody else sees anything.
"""

import rules

from consortia.rules import is_program_staff, not_administrator
from grants.applications.rules import is_application_contact


@rules.predicate
def is_unanswered(user, clarification):
    return clarification is not None and not clarification.is_answered


def _of_application(predicate: rules.Predicate) -> rules.Predicate:
    def asked(user, clarification):
        return predicate.test(user, clarification.application if clarification is not None else None)

    return rules.Predicate(asked, name=f"{predicate.name}_of_application")


# obj: Application
rules.add_perm("conversations.view_conversation", is_program_staff | is_application_contact)
rules.add_perm("conversations.write_to_staff", not_administrator & ~is_program_staff & is_application_contact)
rules.add_perm("conversations.write_to_consortium", is_program_staff)
rules.add_perm("conversations.use_staff_notes", is_program_staff)  # read and write
rules.add_perm("conversations.ask_clarification", is_program_staff)
rules.add_perm("conversations.share_with_readers", is_program_staff)
# obj: Clarification
rules.add_perm(
    "conversations.answer_clarification",
    not_administrator & _of_application(is_application_contact) & is_unanswered,
)
