"""This app's part of an application's record (grants.applications.services.record): the answers to clarification
requests, beside the submitted snapshot on its page, in its printable copy and on the readers' page; and, for
readers, the messages staff shared with them."""

from grants.applications.services.record import add_part

from . import services


def clarifications_and_shared(application, *, for_readers: bool = False):
    answered = services.answered_clarifications(application)
    shared = services.shared_messages(application) if for_readers else []
    if not answered and not shared:
        return None
    return "conversations/_record.html", {"clarifications": answered, "shared": shared, "for_readers": for_readers}


add_part(clarifications_and_shared)
