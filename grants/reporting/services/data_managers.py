"""A consortium's data managers: the people its lead agency names to enter one member organization's values."""

from django.db import transaction

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.refusal import Refusal
from consortia.models import Consortium, Contact, Organization

from ..models import DataManager


def member_organizations(consortium: Consortium) -> list[Organization]:
    """The organizations whose values a consortium reports: its lead agency and its members, by name."""
    members = Organization.objects.filter(memberships__consortium=consortium)
    return list((members | Organization.objects.filter(pk=consortium.lead_agency_id)).distinct().order_by("name"))


@transaction.atomic
def name_data_manager(*, consortium: Consortium, organization_id: int, user_id: int, by) -> DataManager:
    """`user`, who has access to the consortium, enters and uploads `organization`'s values from now on."""
    errors = {}
    organization = next((o for o in member_organizations(consortium) if o.pk == organization_id), None)
    if organization is None:
        errors["organization"] = "Choose one of the consortium's member organizations."
    contact = Contact.objects.filter(consortium=consortium, user_id=user_id).select_related("user").first()
    if contact is None:
        errors["user"] = "Choose a person with access to the consortium; invite them first if they have none."
    if errors:
        raise Refusal("Nobody was named: " + " ".join(errors.values()), errors=errors)
    if DataManager.objects.filter(consortium=consortium, organization=organization, user_id=user_id).exists():
        raise Refusal(f"{contact.user} is already a data manager of {organization}.")
    manager = DataManager.objects.create(
        consortium=consortium, organization=organization, user=contact.user, named_by=by
    )
    record(
        Event.Action.ROLE_CHANGE, by=by, obj=consortium, summary=f"{contact.user} named data manager of {organization}"
    )
    return manager


@transaction.atomic
def remove_data_manager(*, manager: DataManager, by) -> None:
    record(
        Event.Action.ROLE_CHANGE,
        by=by,
        obj=manager.consortium,
        summary=f"{manager.user} no longer data manager of {manager.organization}",
    )
    manager.delete()
