from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from consortia.models import Consortium
from grants import dashboard as figures


@login_required
def dashboard(request):
    """What each role must do next."""
    user = request.user
    context = {"consortia": Consortium.objects.visible_to(user).select_related("lead_agency")[:20]}
    if user.is_applicant or not user.is_program_staff:
        context.update(figures.for_applicant(user))
    if user.is_reader:
        context.update(figures.for_reader(user))
    if user.is_reader or user.is_program_staff:
        context.update(figures.for_panel_member(user))
    if user.is_program_staff:
        context.update(figures.for_staff())
    if user.is_administrator:
        context.update(figures.for_administrator())
    return render(request, "dashboard.html", context)
