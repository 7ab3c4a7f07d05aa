"""Organizations: the list (search, kind) and the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render

from ccpt.lib.identifiers import clean_cds_code, clean_ein
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.views import posted

from ..forms import OrganizationForm
from ..models import Organization
from .common import search_text


def _identifier_is(query: str) -> Q:
    """Organizations with this code, CDS code or EIN, however it was typed ("34-67439-0000000", "941234567")."""
    found = Q(code__iexact=query)
    for field, clean in (("cds_code", clean_cds_code), ("ein", clean_ein)):
        try:
            if value := clean(query):
                found |= Q(**{field: value})
        except ValidationError:
            pass
    return found


@login_required
def organization_list(request):
    authorize(request.user, "consortia.add_organization")
    organizations = Organization.objects.select_related("county")
    query = search_text(request)
    kind = request.GET.get("kind", "")
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | _identifier_is(query))
    if kind in Organization.Kind.values:
        organizations = organizations.filter(kind=kind)
    page = Paginator(organizations, 50).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "kind": kind, "kinds": Organization.Kind.choices}
    return render(request, "consortia/organization_list.html", context)


@login_required
def organization_form(request, pk=None):
    if pk is None:
        authorize(request.user, "consortia.add_organization")
        organization = Organization()
    else:
        organization = get_authorized(request.user, "consortia.change_organization", Organization, pk=pk)
    form = OrganizationForm(posted(request), instance=organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {form.instance}.")
        return redirect("consortia:organizations")
    return render(request, "consortia/organization_form.html", {"form": form, "organization": organization})
