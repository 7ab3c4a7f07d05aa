"""Organizations: the list (search, kind) and the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render

from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.views import posted

from ..forms import OrganizationForm
from ..models import Organization
from .common import search_text


@login_required
def organization_list(request):
    authorize(request.user, "consortia.add_organization")
    organizations = Organization.objects.select_related("county")
    query = search_text(request)
    kind = request.GET.get("kind", "")
    if query:
        organizations = organizations.filter(Q(name__icontains=query) | Q(code__iexact=query))
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
