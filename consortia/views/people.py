"""People and their roles, for administrators: the list, and a person's roles and active flag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from ccpt.audit.models import Event
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from ccpt.lib.views import posted

from .. import services
from ..accounts.reauth import reauthentication_required
from ..filters import PeopleFilter
from ..forms import RolesForm
from ..models import User

PAGE_SIZE = 50


@login_required
def people(request):
    authorize(request.user, "consortia.manage_people")
    filterset = PeopleFilter(request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for person in page.object_list:
        person.roles_text = services.roles_text({group.name for group in person.role_groups})
    return render(request, "consortia/people/list.html", {"filter": filterset, "page": page})


@login_required
@reauthentication_required("change someone's roles")
def person_roles(request, pk):
    person = get_authorized(request.user, "consortia.change_roles", User.objects.all(), pk=pk)
    form = RolesForm(posted(request), person=person)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.change_roles(person=person, by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Saved. {person}: {event.summary}")
            return redirect("consortia:person-roles", person.pk)
    history = Event.objects.filter(
        action=Event.Action.ROLE_CHANGE, content_type=ContentType.objects.get_for_model(User), object_id=person.pk
    ).select_related("actor")
    context = {
        "person": person,
        "held": services.roles_text(set(person.groups.values_list("name", flat=True))),
        "form": form,
        "history": history[:50],
    }
    return render(request, "consortia/people/roles.html", context)
