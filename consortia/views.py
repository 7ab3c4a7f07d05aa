from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.lib.permissions import authorize, get_authorized

from . import services
from .forms import ConsortiumForm, InvitationForm, MembershipForm, NewAccountForm, OrganizationForm
from .models import Consortium, Invitation, Membership, Organization, User


def _posted(request):
    # Not `request.POST or None`: an empty POST must still be validated (and told what is missing).
    return request.POST if request.method == "POST" else None


def _search_text(request) -> str:
    # PostgreSQL refuses NUL characters in a query; nobody means to search for one.
    return request.GET.get("q", "").replace("\x00", "").strip()


def _consortium(request, pk, perm="consortia.view_consortium"):
    return get_authorized(request.user, perm, Consortium.objects.select_related("lead_agency", "region"), pk=pk)


@login_required
def consortium_list(request):
    consortia = (
        Consortium.objects.visible_to(request.user)
        .select_related("lead_agency", "region")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name")
    )
    query = _search_text(request)
    if query:
        consortia = consortia.filter(Q(name__icontains=query) | Q(lead_agency__name__icontains=query))
    page = Paginator(consortia, 50).get_page(request.GET.get("page"))
    return render(request, "consortia/list.html", {"page": page, "query": query})


@login_required
def consortium_detail(request, pk):
    consortium = _consortium(request, pk)
    memberships = consortium.memberships.select_related("organization__county")
    context = {
        "consortium": consortium,
        "memberships": memberships,
        "contacts": consortium.contacts.select_related("user"),
        "invitations": consortium.invitations.pending(),
        "checklist": consortium.composition_checklist(),
        "counties": consortium.counties_served.all(),
        "can_change": request.user.has_perm("consortia.change_consortium", consortium),
        "can_invite": request.user.has_perm("consortia.invite_contact", consortium),
    }
    return render(request, "consortia/detail.html", context)


@login_required
def consortium_form(request, pk=None):
    if pk is None:
        authorize(request.user, "consortia.add_consortium")
        consortium = Consortium()
    else:
        consortium = _consortium(request, pk, "consortia.change_consortium")
    form = ConsortiumForm(_posted(request), instance=consortium)
    if request.method == "POST" and form.is_valid():
        services.save_consortium(
            consortium=form.save(commit=False), by=request.user, counties=form.cleaned_data["counties_served"]
        )
        messages.success(request, f"Saved {form.instance}.")
        return redirect(form.instance)
    return render(request, "consortia/form.html", {"form": form, "consortium": consortium})


@login_required
def member_add(request, pk):
    consortium = _consortium(request, pk, "consortia.change_consortium")
    form = MembershipForm(_posted(request), consortium=consortium)
    if request.method == "POST" and form.is_valid():
        membership = services.add_member(consortium=consortium, **form.cleaned_data)
        messages.success(request, f"Added {membership.organization} to the consortium.")
        return redirect(consortium)
    return render(request, "consortia/member_form.html", {"form": form, "consortium": consortium})


@login_required
@require_POST
def member_remove(request, pk, membership_pk):
    consortium = _consortium(request, pk, "consortia.change_consortium")
    membership = get_object_or_404(Membership, pk=membership_pk, consortium=consortium)
    if membership.organization_id == consortium.lead_agency_id:
        messages.error(request, "The lead agency cannot be removed; choose another lead agency first.")
    else:
        membership.delete()
        messages.success(request, f"Removed {membership.organization} from the consortium.")
    return redirect(consortium)


@login_required
def invite(request, pk):
    consortium = _consortium(request, pk, "consortia.invite_contact")
    form = InvitationForm(_posted(request), consortium=consortium)
    if request.method == "POST" and form.is_valid():
        invitation = services.invite(consortium=consortium, by=request.user, **form.cleaned_data)
        messages.success(request, f"Invitation sent to {invitation.email}.")
        return redirect(consortium)
    return render(request, "consortia/invite.html", {"form": form, "consortium": consortium})


def accept_invitation(request, token):
    invitation = get_object_or_404(Invitation.objects.select_related("consortium"), token=token)
    if not invitation.is_usable:
        return render(request, "consortia/invitation_unusable.html", {"invitation": invitation}, status=410)
    if request.user.is_authenticated:
        if request.user.email != invitation.email:
            messages.error(request, f"This invitation is for {invitation.email}. Sign out, then open the link again.")
            return redirect("dashboard")
        if request.method == "POST":
            services.accept_invitation(invitation=invitation, user=request.user)
            messages.success(request, f"You now have access to {invitation.consortium}.")
            return redirect(invitation.consortium)
        return render(request, "consortia/accept_invitation.html", {"invitation": invitation})
    if User.objects.filter(email=invitation.email).exists():
        messages.info(request, "Sign in to accept the invitation.")
        return redirect(f"/accounts/login/?next={invitation.get_absolute_url()}")
    form = NewAccountForm(_posted(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        services.accept_invitation(invitation=invitation, user=user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome. You now have access to {invitation.consortium}.")
        return redirect(invitation.consortium)
    return render(request, "consortia/accept_invitation.html", {"invitation": invitation, "form": form})


@login_required
def organization_list(request):
    authorize(request.user, "consortia.add_organization")
    organizations = Organization.objects.select_related("county")
    query = _search_text(request)
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
    form = OrganizationForm(_posted(request), instance=organization)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved {form.instance}.")
        return redirect("consortia:organizations")
    return render(request, "consortia/organization_form.html", {"form": form, "organization": organization})
