"""A round's funding plan: generate it with a policy, change lines with reasons, swap, submit for approval; an
administrator approves it or returns it with comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ccpt.background.services import take_deferred
from ccpt.lib.money import ZERO, format_money
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal
from ccpt.lib.text import plural
from ccpt.lib.views import posted
from consortia.accounts.reauth import reauthentication_required
from consortia.models import Region
from grants import workflow
from grants.applications.models import long_texts
from grants.programs.models import Round

from .. import charts
from ..forms import (
    ApproveForm,
    GeneratePlanForm,
    NoAwardsForm,
    PlanLineForm,
    ReturnPlanForm,
    SubmitPlanForm,
    SwapForm,
)
from ..models import FundingPlan, Notice, PlanLine
from ..services import approval, plan_lines
from ..services import plans as changes

PAGE_SIZE = 100


ROUNDS = Round.objects.select_related("program")
PLANS = FundingPlan.objects.select_related("round__program", "created_by", "approved_by")


def _current_plan(round_: Round) -> FundingPlan | None:
    """The approved plan, else the newest draft or submitted one."""
    plans = PLANS.filter(round=round_)
    return (
        plans.filter(status=FundingPlan.Status.APPROVED).first()
        or plans.filter(status__in=(FundingPlan.Status.DRAFT, FundingPlan.Status.SUBMITTED))
        .order_by("-created_at", "-pk")
        .first()
    )


def _is_editable(plan: FundingPlan) -> bool:
    return plan.status == FundingPlan.Status.DRAFT and plan.round.status == Round.Status.IN_REVIEW


def _plan_of(request, pk, perm="awards.build_plan") -> FundingPlan:
    plan = get_object_or_404(PLANS, pk=pk)
    authorize(request.user, perm, plan.round)
    return plan


def _policy_initial(plan: FundingPlan | None) -> dict:
    if plan is None:
        return {}
    initial = {"last_application": plan.last_application, "minimum_partial": plan.minimum_partial or None}
    initial.update({f"region_{pk}": n for pk, n in plan.region_minimums.items()})
    return initial


def _plan_page(request, round_: Round, **bound):
    plan = _current_plan(round_)
    regions = list(Region.objects.all())
    shown = request.GET.get("category", "")
    category = int(shown) if shown.isdigit() else None
    categories = plan_lines.plan_by_category(plan, category=category, page=request.GET.get("page")) if plan else []
    in_review = round_.status == Round.Status.IN_REVIEW
    editable = plan is not None and _is_editable(plan)
    forms = {
        "submit_form": SubmitPlanForm(),
        "generate_form": GeneratePlanForm(regions=regions, initial=_policy_initial(plan)),
        "swap_form": SwapForm(plan=plan, choices=plan_lines.swap_choices(plan) if editable else []),
    }
    forms.update(bound)
    region_names = {str(region.pk): region.name for region in regions}
    funded = sum(group.funded_count for group in categories)
    money = changes.plan_money(plan) if plan else None
    history = workflow.history_lines(plan) if plan else []
    submitted = plan is not None and plan.status == FundingPlan.Status.SUBMITTED
    context = {
        "round": round_,
        "plan": plan,
        "categories": categories,
        "money": money,
        "money_chart": charts.plan_money(money, categories, draft=plan.status == "draft") if plan else None,
        "changes": list(changes.plan_changes(plan)) if plan else [],
        "in_review": in_review,
        "can_generate": in_review and (plan is None or plan.status == FundingPlan.Status.DRAFT),
        "editable": editable,
        "can_submit": editable,
        "can_approve": submitted and in_review and request.user.has_perm("awards.approve_plan", plan),
        "history": history,
        "hand_off": _last_hand_off(history),
        # Deciding with no awards is the other way a round is decided (approving a plan is the first).
        "can_decide_without_awards": in_review and request.user.has_perm("programs.decide_round", round_),
        "no_awards_form": NoAwardsForm(),
        "swap_blocked": _swap_blocked(funded, sum(group.count for group in categories) - funded),
        "region_minimums": [(region_names.get(pk, pk), n) for pk, n in (plan.region_minimums if plan else {}).items()],
        **forms,
    }
    for change in context["changes"]:
        change.description = changes.describe_override(change)
    return render(request, "awards/plans/plan.html", context)


def _last_hand_off(history: list[workflow.HistoryLine]) -> workflow.HistoryLine | None:
    """The newest submission or return of the plan, shown on top: the note to the administrator or their
    comments to staff."""
    submitted = FundingPlan.Status.SUBMITTED.label
    for line in reversed(history):
        if submitted in (line.source, line.target):
            return line
    return None


def _swap_blocked(funded: int, not_funded: int) -> str:
    """Why no swap is possible in this plan, in words; "" when one is."""
    if not funded and not not_funded:
        return "Nothing to swap: the plan has no applications."
    if not funded:
        return "Nothing to swap: no application is funded in this plan."
    if not not_funded:
        return "Nothing to swap: every application in this plan is funded."
    return ""


@login_required
def plan_page(request, pk):
    return _plan_page(request, get_authorized(request.user, "awards.build_plan", ROUNDS, pk=pk))


def _funded_summary(plan: FundingPlan) -> str:
    money = changes.plan_money(plan)
    funded = plan.lines.filter(funded=True).count()
    return (
        f"{funded} application{'s' if funded != 1 else ''} funded, {format_money(plan.total)} committed; "
        f"{format_money(money.round_left)} left in the round."
    )


@login_required
@require_POST
def plan_generate(request, pk):
    round_ = get_authorized(request.user, "awards.build_plan", ROUNDS, pk=pk)
    form = GeneratePlanForm(request.POST, regions=list(Region.objects.all()))
    if form.is_valid():
        try:
            plan = changes.generate_plan(
                round_=round_,
                by=request.user,
                last_application=form.cleaned_data["last_application"],
                minimum_partial=form.cleaned_data["minimum_partial"] or ZERO,
                region_minimums=form.region_minimums(),
            )
        except Refusal as error:
            messages.error(request, error.message)
            return redirect("awards:plan", round_.pk)
        else:
            carried = plan.lines.exclude(override_by=None).count()
            note = ""
            if carried:
                note = f" {carried} staff change{'s' if carried != 1 else ''} carried over from the previous draft."
            messages.success(request, f"Funding plan computed: {_funded_summary(plan)}{note}")
            return redirect("awards:plan", round_.pk)
    return _plan_page(request, round_, generate_form=form)


@login_required
@require_POST
def plan_recompute(request, pk):
    plan = _plan_of(request, pk)
    try:
        plan = changes.recompute_plan(plan=plan, by=request.user)
    except Refusal as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Funding plan recomputed: {_funded_summary(plan)}")
    return redirect("awards:plan", plan.round_id)


def _change_message(change: changes.PlanChange) -> str:
    number = change.line.application.number
    outcome = f"now funded at {format_money(change.amount)}" if change.funded else "now not funded"
    text = f"Saved. {number} is {outcome}. The plan was recomputed."
    if change.moved:
        moved = "; ".join(f"{n} is {'now funded' if f else 'no longer funded'} ({why})" for n, f, why in change.moved)
        text += f" This also changed: {moved}"
    return text


@login_required
@require_POST
def plan_swap(request, pk):
    plan = _plan_of(request, pk)
    form = SwapForm(request.POST, plan=plan, choices=plan_lines.swap_choices(plan))
    if form.is_valid():
        try:
            change = changes.swap_lines(
                plan=plan,
                exclude=form.cleaned_data["exclude"],
                include=form.cleaned_data["include"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except Refusal as error:
            if not _is_editable(plan):  # approved or replaced meanwhile: the form is no longer shown
                messages.error(request, error.message)
                return redirect("awards:plan", plan.round_id)
            form.add_error(None, error.message)
        else:
            messages.success(request, _change_message(change))
            return redirect("awards:plan", plan.round_id)
    return _plan_page(request, plan.round, swap_form=form)


LINES = PlanLine.objects.select_related(
    "plan__round__program", "application__consortium__region", "application__score", "category", "override_by"
)


@login_required
def plan_line(request, pk):
    line = get_object_or_404(LINES, pk=pk)
    authorize(request.user, "awards.build_plan", line.plan.round)
    form = PlanLineForm(posted(request), line=line)
    if request.method == "POST" and form.is_valid():
        try:
            change = changes.change_line(
                line=line,
                by=request.user,
                action=form.cleaned_data["action"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except Refusal as error:
            if not _is_editable(line.plan):
                messages.error(request, error.message)
                return redirect("awards:plan", line.plan.round_id)
            form.add_error(None, error.message)
        else:
            messages.success(request, _change_message(change))
            return redirect(reverse("awards:plan", args=[line.plan.round_id]) + f"#line-{line.pk}")
    history = (
        PlanLine.history.filter(id=line.pk, override_by__isnull=False)
        .select_related("override_by")
        .order_by("history_date", "history_id")
    )
    history = list(history)
    for record in history:
        record.description = changes.describe_override(record)
    context = {
        "line": line,
        "plan": line.plan,
        "round": line.plan.round,
        "form": form,
        "history": history,
        "has_override": line.override_amount is not None or line.override_funded is not None,
        "override": changes.describe_override(line),
        "editable": _is_editable(line.plan),
    }
    return render(request, "awards/plans/line.html", context)


@login_required
@require_POST
def plan_submit(request, pk):
    plan = _plan_of(request, pk)
    form = SubmitPlanForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, plan.round, submit_form=form)
    try:
        changes.submit_plan(plan=plan, by=request.user, note=form.cleaned_data["note"])
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Plan submitted for approval; it does not change unless an administrator returns it.")
    return redirect("awards:plan", plan.round_id)


@login_required
@require_POST
def plan_return(request, pk):
    plan = get_authorized(request.user, "awards.approve_plan", PLANS, pk=pk)
    if plan.status != FundingPlan.Status.SUBMITTED:
        return _not_submitted(request, plan)
    form = ReturnPlanForm(request.POST)
    if not form.is_valid():
        return _approve_page(request, plan, ApproveForm(fiscal_years=plan.round.fiscal_years), form)
    try:
        approval.return_plan(plan=plan, by=request.user, comments=form.cleaned_data["comments"])
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "Plan returned to staff with your comments; it is a draft again.")
    return redirect("awards:plan", plan.round_id)


@login_required
@require_POST
@reauthentication_required("decide a round with no awards")
def decide_without_awards(request, pk):
    round_ = get_authorized(request.user, "programs.decide_round", ROUNDS, pk=pk)
    form = NoAwardsForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, round_, no_awards_form=form)
    try:
        declined = approval.decide_without_awards(round_=round_, by=request.user, reason=form.cleaned_data["reason"])
    except Refusal as refusal:
        form.add_error(None, refusal.message)
        return _plan_page(request, round_, no_awards_form=form)
    told = (
        f"{plural(declined, 'decline notice is', 'decline notices are')} being sent"
        if declined
        else "no application was submitted, so no notice is sent"
    )
    messages.success(request, f"{round_} is decided with no awards; {told}.")
    return redirect(round_)


@login_required
@reauthentication_required("approve a funding plan")
def plan_approve(request, pk):
    plan = get_authorized(request.user, "awards.approve_plan", PLANS, pk=pk)
    round_ = plan.round
    if plan.status != FundingPlan.Status.SUBMITTED:
        return _not_submitted(request, plan)
    form = ApproveForm(posted(request), fiscal_years=round_.fiscal_years)
    if request.method == "POST" and form.is_valid():
        try:
            awards = approval.approve_plan(
                plan=plan,
                by=request.user,
                conditions=form.cleaned_data["conditions"],
                shares=form.cleaned_data["shares"],
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            notices = Notice.objects.filter(idempotency_key__startswith=f"plan-{plan.pk}:").count()
            sending = "will be sent when the mail service is back" if take_deferred() else "are being sent"
            messages.success(
                request,
                f"Plan approved: {len(awards)} award{'s' if len(awards) != 1 else ''} offered, "
                f"{format_money(sum((a.amount for a in awards), ZERO))} committed. {notices} notices {sending}.",
            )
            return redirect("awards:round-awards", round_.pk)
    return _approve_page(request, plan, form, ReturnPlanForm())


def _approve_page(request, plan: FundingPlan, form: ApproveForm, return_form: ReturnPlanForm):
    lines = list(
        PlanLine.objects.filter(plan=plan)
        .select_related("application__consortium", "category", "override_by")
        .defer(*long_texts("application__"))
        .annotate(contact_count=Count("application__consortium__contacts"))
        .order_by("category__position", "rank", "application__number")
    )
    funded = [line for line in lines if line.funded]
    context = {
        "plan": plan,
        "round": plan.round,
        "form": form,
        "return_form": return_form,
        "hand_off": _last_hand_off(workflow.history_lines(plan)),
        "differing": changes.differing_lines(lines),
        "funded": funded,
        "declined_count": len(lines) - len(funded),
        "without_contacts": [line for line in lines if not line.contact_count],
        "money": changes.plan_money(plan),
    }
    return render(request, "awards/plans/approve.html", context)


def _not_submitted(request, plan: FundingPlan):
    if plan.status == FundingPlan.Status.DRAFT:
        messages.error(request, "This plan is a draft: staff submit it for approval first.")
        return redirect("awards:plan", plan.round_id)
    if plan.status == FundingPlan.Status.APPROVED:
        messages.info(request, "This plan is already approved; no further awards were made.")
        return redirect("awards:round-awards", plan.round_id)
    messages.error(request, "This plan was replaced by a newer plan; it can no longer be approved.")
    return redirect("awards:plan", plan.round_id)
