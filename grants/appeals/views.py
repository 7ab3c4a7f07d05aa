"""Filing an appeal (the lead contact), a round's appeals and an appeal's decision (staff), a round's settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ccpt.lib.once import act_once
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from grants import workflow
from grants.applications.models import Application
from grants.applications.views.attachments import stream
from grants.programs.models import Round

from . import rereading, services
from .forms import AppealForm, DecisionForm, SettingsForm
from .models import Appeal, AppealSettings, Evidence
from .rules import took_part


@login_required
def file_appeal(request, pk):
    application = get_authorized(
        request.user, "applications.view_application", Application.objects.select_related("round", "consortium"), pk=pk
    )
    problem = services.filing_problem(application, request.user)
    form = None
    if not problem:
        grounds = services.settings_of(application.round).grounds_list
        form = AppealForm(request.POST or None, request.FILES or None, grounds=grounds)
        if request.method == "POST" and form.is_valid():
            done = act_once(
                request,
                form,
                lambda data: services.file_appeal(
                    application=application,
                    by=request.user,
                    grounds=data["grounds"],
                    statement=data["statement"],
                    files=data["files"],
                    click=data["click"],
                ),
                then=reverse("appeals:mine", args=[application.pk]),
                said=lambda appeal: "Appeal filed. Program staff decide it; you will be emailed the decision.",
            )
            if done:
                return done
    elif request.method == "POST":
        messages.error(request, problem)
    appeal_settings = services.settings_of(application.round)
    context = {
        "application": application,
        "problem": problem,
        "form": form,
        "appeals": application.appeals.order_by("-filed_at") if not request.user.is_program_staff else [],
        "last_day": appeal_settings.last_day(application.round.results_published_at)
        if appeal_settings and application.round.results_published_at
        else None,
    }
    return render(request, "appeals/file.html", context, status=422 if form is not None and form.errors else 200)


@login_required
def mine(request, pk):
    """The application's appeals as its lead contact sees them (the newest first)."""
    application = get_authorized(
        request.user, "applications.view_application", Application.objects.select_related("round"), pk=pk
    )
    appeals = [a for a in application.appeals.order_by("-filed_at") if request.user.has_perm("appeals.view_appeal", a)]
    if len(appeals) >= 1:
        return redirect(appeals[0])
    return redirect("appeals:file", application.pk)


def _appeal_page(request, appeal, form=None, status=200):
    user = request.user
    may_decide = user.has_perm("appeals.decide_appeal", appeal)
    new_readings = list(rereading.new_readings(appeal)) if user.is_program_staff and appeal.is_new_reading else []
    context = {
        "appeal": appeal,
        "application": appeal.application,
        "evidence": list(appeal.evidence.all()),
        "history": workflow.history_lines(appeal),
        "history_caption": f"Who changed the status of the appeal on {appeal.application.number}, when and why",
        "form": (form or DecisionForm()) if may_decide else None,
        "not_independent": took_part(user, appeal.application)
        if user.is_program_staff and appeal.status == Appeal.Status.FILED and not may_decide
        else [],
        "staff": user.is_program_staff,
        "new_readings": new_readings,
        # Closing needs a submitted new review; before one, the page says so instead of offering a refused button.
        "new_reviews": [a for a in new_readings if getattr(getattr(a, "review", None), "status", "") == "submitted"],
    }
    return render(request, "appeals/appeal.html", context, status=status)


@login_required
@require_POST
def close_rereading(request, pk):
    found = get_authorized(request.user, "appeals.view_appeal", Appeal.objects.all(), pk=pk)
    if not request.user.is_program_staff:
        raise PermissionDenied
    try:
        closed = rereading.close_rereading(appeal=found, by=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, f"Re-reading closed: {closed.rereading_final}. The applicant is being emailed the outcome."
        )
    return redirect(found)


@login_required
def appeal(request, pk):
    found = get_authorized(
        request.user,
        "appeals.view_appeal",
        Appeal.objects.select_related("application__round", "application__consortium", "filed_by", "decided_by"),
        pk=pk,
    )
    if request.method != "POST":
        return _appeal_page(request, found)
    authorize(request.user, "appeals.decide_appeal", found)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            decided = services.decide(
                appeal=found,
                by=request.user,
                upheld=data["decision"] == "upheld",
                reasons=data["reasons"],
                remedy=data["remedy"],
            )
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Appeal {workflow.label(decided)}. The applicant is being emailed the decision.")
            return redirect(found)
    return _appeal_page(request, found, form=form, status=422)


@login_required
def round_appeals(request, pk):
    round_ = get_authorized(request.user, "appeals.view_round_appeals", Round.objects.all(), pk=pk)
    appeals = Appeal.objects.filter(application__round=round_).select_related("application__consortium", "decided_by")
    context = {
        "round": round_,
        "appeals": appeals.order_by("status", "filed_at"),
        "settings": services.settings_of(round_),
        "can_configure": request.user.has_perm("appeals.configure_appeals", round_),
    }
    return render(request, "appeals/round.html", context)


@login_required
def round_settings(request, pk):
    round_ = get_authorized(request.user, "appeals.configure_appeals", Round.objects.all(), pk=pk)
    instance = services.settings_of(round_) or AppealSettings(round=round_)
    form = SettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.configure(round_=round_, by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, "Appeal settings saved.")
            return redirect("appeals:round", round_.pk)
    return render(request, "appeals/settings.html", {"round": round_, "form": form}, status=422 if form.errors else 200)


@login_required
def evidence(request, pk):
    attached = get_object_or_404(Evidence.objects.select_related("appeal__application__consortium"), pk=pk)
    authorize(request.user, "appeals.view_appeal", attached.appeal)
    return stream(attached)
