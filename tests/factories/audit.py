"""Events of the audit trail, as ccpt.audit.services.record() writes them."""

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ccpt.audit.models import Event

from .consortia import UserFactory


class EventFactory(factory.django.DjangoModelFactory):
    """A sign-in by a new person from 192.0.2.10; pass obj=... for an event about an object."""

    class Meta:
        model = Event
        exclude = ["obj"]

    obj = None
    at = factory.LazyFunction(timezone.now)
    actor = factory.SubFactory(UserFactory)
    actor_label = factory.LazyAttribute(lambda e: e.actor.email if e.actor else "")
    action = Event.Action.SIGN_IN
    content_type = factory.LazyAttribute(lambda e: ContentType.objects.get_for_model(e.obj) if e.obj else None)
    object_id = factory.LazyAttribute(lambda e: e.obj.pk if e.obj else None)
    object_label = factory.LazyAttribute(lambda e: str(e.obj) if e.obj else "")
    summary = ""
    ip_address = "192.0.2.10"
    user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0"
