"""Interview panels (staff): create one, add and remove members (conflicts checked), see its interviews."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from ccpt.lib.views import posted
from grants.programs.models import Round

from ..forms import MemberForm, PanelForm
from ..models import Interview, Panel, PanelMember
from ..services import panels as panel_services


@login_required
@require_POST
def create(request, pk):
    round_ = get_authorized(request.user, "interviews.manage_interviews", Round.objects.all(), pk=pk)
    form = PanelForm(request.POST)
    if form.is_valid():
        try:
            panel = panel_services.create(round_=round_, name=form.cleaned_data["name"], by=request.user)
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, f"{panel} created. Add its members.")
            return redirect(panel)
    else:
        messages.error(request, "Give the panel a name.")
    return redirect("interviews:round", round_.pk)


@login_required
def panel(request, pk):
    found = get_object_or_404(Panel.objects.select_related("round"), pk=pk)
    authorize(request.user, "interviews.manage_interviews", found.round)
    form = MemberForm(posted(request), eligible=panel_services.eligible_members().exclude(interview_panels=found))
    if request.method == "POST" and form.is_valid():
        try:
            panel_services.add_member(panel=found, member=form.cleaned_data["member"], by=request.user)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"{form.cleaned_data['member']} added to {found}.")
            return redirect(found)
    interviews = Interview.objects.filter(panel=found).select_related("finalist__application__consortium")
    context = {
        "panel": found,
        "round": found.round,
        "memberships": list(found.memberships.select_related("member")),
        "interviews": list(interviews),
        "form": form,
    }
    return render(request, "interviews/panel.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def remove_member(request, pk):
    membership = get_object_or_404(PanelMember.objects.select_related("panel__round", "member"), pk=pk)
    authorize(request.user, "interviews.manage_interviews", membership.panel.round)
    try:
        panel_services.remove_member(membership=membership, by=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{membership.member} left {membership.panel}.")
    return redirect(membership.panel)
