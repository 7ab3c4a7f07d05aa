"""Who may find which applications: the one place the search's "who may" is written, as a queryset, so that no
page can list what its reader may not open (a template never filters).

Program staff and administrators: every application. A consortium's contacts: their consortia's applications
(Application.objects.visible_to). A reader: what `reviews.read_application` lets them read, attested and free of
conflict (grants.reviews.rules.readable_applications). Someone who is both sees both.
"""

from django.db.models import Q, QuerySet

from consortia.rules import spoken_for
from grants.applications.models import Application
from grants.reviews.rules import readable_applications


def searchable(user) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    if user.has_perm("applications.view_every_application"):
        return Application.objects.all()
    return Application.objects.filter(Q(consortium_id__in=spoken_for(user)) | readable_applications(user))
