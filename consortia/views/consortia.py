"""Consortia: the list, a consortium's page and form, its members, invitations of its contacts."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.queries import count_of
from ccpt.lib.views import posted

from .. import services
from ..accounts import backends
from ..forms import ConsortiumForm, InvitationForm, MembershipForm, NewAccountForm
from ..models import Consortium, Invitation, Membership, User
from .common import search_text


def _consortium(request, pk, perm="consortia.view_consortium"):
    return get_authorized(request.user, perm, Consortium.objects.select_related("lead_agency", "region"), pk=pk)


@login_required
def consortium_list(request):
    consortia = (
        Consortium.objects.visible_to(request.user)
        .select_related("lead_agency", "region")
        .annotate(member_count=count_of(Membership.objects.all(), "consortium"))
        .order_by("name")
    )
    query = search_text(request)
    if query:
        consortia = consortia.filter(Q(name__icontains=query) | Q(lead_agency__name__icontains=query))
    page = Paginator(consortia, 50).get_page(request.GET.get("page"))
    return render(request, "consortia/list.html", {"page": page, "query": query})


@login_required
def consortium_detail(request, pk):
    consortium = _consortium(request, pk)
    memberships = list(consortium.memberships.select_related("organization__county"))
    context = {
        "consortium": consortium,
        "memberships": memberships,
        "contacts": consortium.contacts.select_related("user"),
        "invitations": consortium.invitations.pending(),
        "checklist": consortium.composition_checklist(m.organization.kind for m in memberships),
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
    form = ConsortiumForm(posted(request), instance=consortium)
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
    form = MembershipForm(posted(request), consortium=consortium)
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
    form = InvitationForm(posted(request), consortium=consortium)
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
    form = NewAccountForm(posted(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        services.accept_invitation(invitation=invitation, user=user)
        login(request, user, backend=backends.PATH)
        messages.success(request, f"Welcome. You now have access to {invitation.consortium}.")
        return redirect(invitation.consortium)
    return render(request, "consortia/accept_invitation.html", {"invitation": invitation, "form": form})
