"""A program's shared indicators (the list, each indicator's versions, defining and revising them), and a round's
reporting plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ccpt.lib.once import act_once
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from consortia.models import Consortium
from grants.programs.models import Program, Round

from ..forms import DataManagerForm, ExtraReportForm, IndicatorForm, ReportingPlanForm, initial_from
from ..models import DataManager, Indicator
from ..services import data_managers, indicators, plans


@login_required
def indicator_list(request, pk):
    program = get_authorized(request.user, "programs.view_program", Program, pk=pk)
    authorize(request.user, "reporting.view_indicators", program)
    context = {
        "program": program,
        "versions": indicators.current_versions(program),
        "can_keep": request.user.has_perm("reporting.keep_indicators", program),
    }
    return render(request, "reporting/indicators/list.html", context)


@login_required
@require_POST
def add_standard(request, pk):
    program = get_authorized(request.user, "reporting.keep_indicators", Program, pk=pk)
    added = indicators.add_standard_indicators(program=program, by=request.user)
    if added:
        messages.success(request, f"Added {len(added)} standard indicator{'s' if len(added) != 1 else ''}.")
    else:
        messages.info(request, "The program has every standard indicator already; none was changed.")
    return redirect("reporting:indicators", program.pk)


@login_required
def indicator_define(request, pk):
    program = get_authorized(request.user, "reporting.keep_indicators", Program, pk=pk)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = indicators.define_indicator(
                program=program, code=form.cleaned_data["code"], by=request.user, **form.definition_data()
            )
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Defined {version.indicator.code}: {version.name}.")
            return redirect("reporting:indicator", version.indicator.pk)
    return render(request, "reporting/indicators/form.html", {"program": program, "form": form})


def _indicator(request, pk, perm="reporting.view_indicators") -> Indicator:
    indicator = get_object_or_404(Indicator.objects.select_related("program"), pk=pk)
    authorize(request.user, perm, indicator.program)
    return indicator


@login_required
def indicator_detail(request, pk):
    indicator = _indicator(request, pk)
    versions = list(indicator.versions.select_related("created_by").order_by("-number"))
    context = {
        "indicator": indicator,
        "program": indicator.program,
        "current": versions[0],
        "earlier": versions[1:],
        "can_keep": request.user.has_perm("reporting.keep_indicators", indicator.program),
    }
    return render(request, "reporting/indicators/detail.html", context)


@login_required
def indicator_revise(request, pk):
    indicator = _indicator(request, pk, "reporting.keep_indicators")
    current = indicator.versions.order_by("-number").first()
    form = IndicatorForm(request.POST or None, initial=initial_from(current), revising=True)
    if request.method == "POST" and form.is_valid():
        try:
            version = indicators.revise_indicator(indicator=indicator, by=request.user, **form.definition_data())
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Saved {indicator.code} as version {version.number}.")
            return redirect("reporting:indicator", indicator.pk)
    context = {"program": indicator.program, "indicator": indicator, "current": current, "form": form}
    return render(request, "reporting/indicators/form.html", context)


@login_required
def reporting_plan(request, pk, extra_form=None):
    round_ = get_object_or_404(Round.objects.select_related("program"), pk=pk)
    authorize(request.user, "reporting.view_indicators", round_.program)
    can_keep = request.user.has_perm("reporting.keep_indicators", round_.program)
    can_ask = request.user.has_perm("reporting.ask_for_reports", round_.program)
    plan, chosen = plans.plan_of(round_)
    versions = indicators.current_versions(round_.program)
    initial = {
        "indicators": sorted(chosen),
        "due_month": plan.due_month,
        "due_day": plan.due_day,
        "due_hour": plan.due_hour,
    }
    posted_plan = request.method == "POST" and extra_form is None
    form = ReportingPlanForm(request.POST if can_keep and posted_plan else None, initial=initial, versions=versions)
    if posted_plan:
        authorize(request.user, "reporting.keep_indicators", round_.program)
        if form.is_valid():
            data = form.cleaned_data
            try:
                plans.save_plan(
                    round_=round_,
                    indicator_ids=data["indicators"],
                    due_month=data["due_month"],
                    due_day=data["due_day"],
                    due_hour=data["due_hour"],
                    by=request.user,
                )
            except Refusal as refusal:
                show_on_form(form, refusal)
            else:
                messages.success(request, f"Saved the reporting plan of {round_}.")
                return redirect("reporting:plan", round_.pk)
    context = {
        "round": round_,
        "program": round_.program,
        "plan": plan,
        "saved": plan.pk is not None,
        "chosen": [v for v in versions if v.indicator_id in chosen],
        "due": plans.reports_due(plan, round_),
        "form": form if can_keep else None,
        "extra_form": (extra_form or ExtraReportForm()) if can_ask else None,
    }
    return render(request, "reporting/plan.html", context)


@login_required
@require_POST
def extra_report(request, pk):
    round_ = get_object_or_404(Round.objects.select_related("program"), pk=pk)
    authorize(request.user, "reporting.ask_for_reports", round_.program)
    form = ExtraReportForm(request.POST)
    if form.is_valid():
        done = act_once(
            request,
            form,
            lambda data: plans.ask_for_report(
                round_=round_, title=data["title"], due_at=data["due_at"], by=request.user, click=data["click"]
            ),
            then=reverse("reporting:plan", args=[round_.pk]),
            said=lambda report: f"Added “{report.title}” to the reports due.",
        )
        if done:
            return done
    return reporting_plan(request, pk, extra_form=form)


# ---- Data managers ---------------------------------------------------------------------------------------------


@login_required
def data_manager_list(request, pk, posted=None):
    consortium = get_object_or_404(Consortium.objects.select_related("lead_agency"), pk=pk)
    authorize(request.user, "reporting.view_data_managers", consortium)
    organizations = data_managers.member_organizations(consortium)
    managers = list(DataManager.objects.filter(consortium=consortium).select_related("user", "named_by"))
    can_name = request.user.has_perm("reporting.name_data_managers", consortium)
    form = None
    if can_name:
        contacts = consortium.contacts.select_related("user")
        form = DataManagerForm(posted, organizations=organizations, contacts=contacts)
    context = {
        "consortium": consortium,
        "rows": [(o, [m for m in managers if m.organization_id == o.pk]) for o in organizations],
        "form": form,
        "can_name": can_name,
    }
    return render(request, "reporting/data_managers.html", context)


@login_required
@require_POST
def data_manager_name(request, pk):
    consortium = get_object_or_404(Consortium, pk=pk)
    authorize(request.user, "reporting.name_data_managers", consortium)
    contacts = consortium.contacts.select_related("user")
    form = DataManagerForm(
        request.POST, organizations=data_managers.member_organizations(consortium), contacts=contacts
    )
    if form.is_valid():
        try:
            manager = data_managers.name_data_manager(
                consortium=consortium,
                organization_id=form.cleaned_data["organization"],
                user_id=form.cleaned_data["user"],
                by=request.user,
            )
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, f"{manager.user} now enters {manager.organization}'s values.")
            return redirect("reporting:data-managers", consortium.pk)
    return data_manager_list(request, pk, posted=request.POST)


@login_required
@require_POST
def data_manager_remove(request, pk, manager_pk):
    manager = get_object_or_404(
        DataManager.objects.select_related("consortium", "user", "organization"), pk=manager_pk, consortium_id=pk
    )
    authorize(request.user, "reporting.name_data_managers", manager.consortium)
    data_managers.remove_data_manager(manager=manager, by=request.user)
    messages.success(request, f"{manager.user} is no longer a data manager of {manager.organization}.")
    return redirect("reporting:data-managers", pk)
