from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from consortia.models import Consortium, Invitation, Organization


@login_required
def dashboard(request):
    """What each role must do next."""
    user = request.user
    consortia = Consortium.objects.visible_to(user).select_related("lead_agency", "region")
    context = {"consortia": consortia[:20] if user.is_program_staff else consortia}
    if user.is_program_staff:
        context["counts"] = {
            "consortia": Consortium.objects.count(),
            "organizations": Organization.objects.count(),
            "pending_invitations": Invitation.objects.pending().count(),
        }
    return render(request, "dashboard.html", context)
