"""Funding decisions: a round's funding plan, its changes and approval; awards and their life; the set-aside
ledger; the delivery of award and decline notices."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from ccpt.permissions import authorize, get_authorized
from consortia.models import Region

from ..forms.awards import (
    AmendmentForm,
    ApproveForm,
    AwardResponseForm,
    AwardStatusForm,
    GeneratePlanForm,
    PlanLineForm,
    ResendForm,
    SetAsideDrawForm,
    SwapForm,
)
from ..models import Award, FundingPlan, Notice, PlanLine, Program, Round, SetAsideEntry
from ..services import award_changes as changes
from ..services import awards as award_services
from ..services import notices as notice_services
from ..services.award_changes import AwardChangeError
from ..services.awards import OverCommitment
from ..services.letters import award_letter_filename, award_letter_pdf
from ..services.rounds import status_history

ZERO = Decimal("0.00")
PAGE_SIZE = 100


def _posted(request):
    # Not `request.POST or None`: an empty POST must still be validated (and told what is missing).
    return request.POST if request.method == "POST" else None


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


# ---- The funding plan ---------------------------------------------------------------------------------------------

ROUNDS = Round.objects.select_related("program")
PLANS = FundingPlan.objects.select_related("round__program", "created_by", "approved_by")


def _current_plan(round_: Round) -> FundingPlan | None:
    """The approved plan, else the newest draft."""
    plans = PLANS.filter(round=round_)
    return (
        plans.filter(status=FundingPlan.Status.APPROVED).first()
        or plans.filter(status=FundingPlan.Status.DRAFT).order_by("-created_at", "-pk").first()
    )


def _is_editable(plan: FundingPlan) -> bool:
    return plan.status == FundingPlan.Status.DRAFT and plan.round.status == Round.Status.IN_REVIEW


def _plan_of(request, pk, perm="grants.build_plan") -> FundingPlan:
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
    categories = changes.plan_by_category(plan) if plan else []
    lines = [line for category in categories for line in category.lines]
    in_review = round_.status == Round.Status.IN_REVIEW
    editable = plan is not None and _is_editable(plan)
    forms = {
        "generate_form": GeneratePlanForm(regions=regions, initial=_policy_initial(plan)),
        "swap_form": SwapForm(lines=lines),
    }
    forms.update(bound)
    region_names = {str(region.pk): region.name for region in regions}
    context = {
        "round": round_,
        "plan": plan,
        "categories": categories,
        "money": changes.plan_money(plan) if plan else None,
        "changes": list(changes.plan_changes(plan)) if plan else [],
        "in_review": in_review,
        "can_generate": in_review and (plan is None or plan.status == FundingPlan.Status.DRAFT),
        "editable": editable,
        "can_approve": editable and request.user.has_perm("grants.approve_plan", plan),
        "region_minimums": [(region_names.get(pk, pk), n) for pk, n in (plan.region_minimums if plan else {}).items()],
        **forms,
    }
    for change in context["changes"]:
        change.description = changes.describe_override(change)
    return render(request, "grants/plans/plan.html", context)


@login_required
def plan_page(request, pk):
    return _plan_page(request, get_authorized(request.user, "grants.build_plan", ROUNDS, pk=pk))


def _funded_summary(plan: FundingPlan) -> str:
    money = changes.plan_money(plan)
    funded = plan.lines.filter(funded=True).count()
    return (
        f"{funded} application{'s' if funded != 1 else ''} funded, {_money(plan.total)} committed; "
        f"{_money(money.round_left)} left in the round."
    )


@login_required
@require_POST
def plan_generate(request, pk):
    round_ = get_authorized(request.user, "grants.build_plan", ROUNDS, pk=pk)
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
        except AwardChangeError as error:
            messages.error(request, str(error))
            return redirect("grants:plan", round_.pk)
        else:
            carried = plan.lines.exclude(override_by=None).count()
            note = ""
            if carried:
                note = f" {carried} staff change{'s' if carried != 1 else ''} carried over from the previous draft."
            messages.success(request, f"Funding plan computed: {_funded_summary(plan)}{note}")
            return redirect("grants:plan", round_.pk)
    return _plan_page(request, round_, generate_form=form)


@login_required
@require_POST
def plan_recompute(request, pk):
    plan = _plan_of(request, pk)
    try:
        plan = changes.recompute_plan(plan=plan, by=request.user)
    except AwardChangeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Funding plan recomputed: {_funded_summary(plan)}")
    return redirect("grants:plan", plan.round_id)


def _change_message(change: changes.PlanChange) -> str:
    number = change.line.application.number
    outcome = f"now funded at {_money(change.amount)}" if change.funded else "now not funded"
    text = f"Saved. {number} is {outcome}. The plan was recomputed."
    if change.moved:
        moved = "; ".join(f"{n} is {'now funded' if f else 'no longer funded'} ({why})" for n, f, why in change.moved)
        text += f" This also changed: {moved}"
    return text


@login_required
@require_POST
def plan_swap(request, pk):
    plan = _plan_of(request, pk)
    lines = list(PlanLine.objects.filter(plan=plan).select_related("application__consortium").order_by("rank"))
    form = SwapForm(request.POST, lines=lines)
    if form.is_valid():
        try:
            change = changes.swap_lines(
                plan=plan,
                exclude=form.cleaned_data["exclude"],
                include=form.cleaned_data["include"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except AwardChangeError as error:
            if not _is_editable(plan):  # approved or replaced meanwhile: the form is no longer shown
                messages.error(request, str(error))
                return redirect("grants:plan", plan.round_id)
            form.add_error(None, str(error))
        else:
            messages.success(request, _change_message(change))
            return redirect("grants:plan", plan.round_id)
    return _plan_page(request, plan.round, swap_form=form)


LINES = PlanLine.objects.select_related(
    "plan__round__program", "application__consortium__region", "application__score", "category", "override_by"
)


@login_required
def plan_line(request, pk):
    line = get_object_or_404(LINES, pk=pk)
    authorize(request.user, "grants.build_plan", line.plan.round)
    form = PlanLineForm(_posted(request), line=line)
    if request.method == "POST" and form.is_valid():
        try:
            change = changes.change_line(
                line=line,
                by=request.user,
                action=form.cleaned_data["action"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except AwardChangeError as error:
            if not _is_editable(line.plan):
                messages.error(request, str(error))
                return redirect("grants:plan", line.plan.round_id)
            form.add_error(None, str(error))
        else:
            messages.success(request, _change_message(change))
            return redirect(reverse("grants:plan", args=[line.plan.round_id]) + f"#line-{line.pk}")
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
    return render(request, "grants/plans/line.html", context)


@login_required
def plan_approve(request, pk):
    plan = get_authorized(request.user, "grants.approve_plan", PLANS, pk=pk)
    round_ = plan.round
    if plan.status != FundingPlan.Status.DRAFT:
        return _already_decided(request, plan)
    form = ApproveForm(_posted(request), fiscal_years=round_.fiscal_years)
    if request.method == "POST" and form.is_valid():
        try:
            awards = award_services.approve_plan(
                plan=plan,
                by=request.user,
                conditions=form.cleaned_data["conditions"],
                shares=form.cleaned_data["shares"],
            )
        except OverCommitment as refusal:
            plan.refresh_from_db()
            if plan.status != FundingPlan.Status.DRAFT:  # approved in another tab meanwhile
                return _already_decided(request, plan)
            form.add_error(None, str(refusal))
        else:
            notices = Notice.objects.filter(idempotency_key__startswith=f"plan-{plan.pk}:").count()
            messages.success(
                request,
                f"Plan approved: {len(awards)} award{'s' if len(awards) != 1 else ''} offered, "
                f"{_money(sum((a.amount for a in awards), ZERO))} committed. {notices} notices are being sent.",
            )
            return redirect("grants:round-awards", round_.pk)
    lines = list(
        PlanLine.objects.filter(plan=plan)
        .select_related("application__consortium", "category")
        .annotate(contact_count=Count("application__consortium__contacts"))
        .order_by("category__position", "rank", "application__number")
    )
    funded = [line for line in lines if line.funded]
    context = {
        "plan": plan,
        "round": round_,
        "form": form,
        "funded": funded,
        "declined_count": len(lines) - len(funded),
        "without_contacts": [line for line in lines if not line.contact_count],
        "money": changes.plan_money(plan),
    }
    return render(request, "grants/plans/approve.html", context)


def _already_decided(request, plan: FundingPlan):
    if plan.status == FundingPlan.Status.APPROVED:
        messages.info(request, "This plan is already approved; no further awards were made.")
        return redirect("grants:round-awards", plan.round_id)
    messages.error(request, "This plan was replaced by a newer plan; it can no longer be approved.")
    return redirect("grants:plan", plan.round_id)


# ---- Awards ---------------------------------------------------------------------------------------------------------

AWARDS = Award.objects.select_related(
    "round__program", "consortium__lead_agency", "category", "application", "responded_by", "plan"
)


def _award_rows(awards):
    notices = Notice.objects.filter(kind=Notice.Kind.AWARD).order_by("-queued_at", "-pk")
    return awards.select_related("round", "consortium", "category", "application").prefetch_related(
        Prefetch("notices", queryset=notices, to_attr="latest_notices")
    )


def _award_totals(awards) -> dict:
    rows = awards.order_by().values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    committed = awards.filter(status__in=Award.COMMITTING).order_by().aggregate(total=Sum("amount"))["total"]
    return {
        "by_status": [(label, counts.get(value, 0)) for value, label in Award.Status.choices],
        "committed": committed or ZERO,
    }


@login_required
def round_awards(request, pk):
    round_ = get_object_or_404(ROUNDS, pk=pk)
    authorize(request.user, "grants.manage_award")
    awards = Award.objects.filter(round=round_).order_by("number")
    context = {
        "round": round_,
        "program": round_.program,
        "page": Paginator(_award_rows(awards), PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": _award_totals(awards),
        "show_round": False,
    }
    return render(request, "grants/awards/list.html", context)


@login_required
def program_awards(request, pk):
    program = get_object_or_404(Program, pk=pk)
    authorize(request.user, "grants.manage_award")
    awards = Award.objects.filter(round__program=program).order_by("round__opens_at", "number")
    context = {
        "program": program,
        "page": Paginator(_award_rows(awards), PAGE_SIZE).get_page(request.GET.get("page")),
        "totals": _award_totals(awards),
        "show_round": True,
    }
    return render(request, "grants/awards/list.html", context)


@login_required
def my_awards(request):
    """A consortium contact's awards (staff find awards per round and per program)."""
    awards = Award.objects.filter(consortium__contacts__user=request.user).distinct().order_by("-offered_at")
    programs = Program.objects.order_by("name") if request.user.has_perm("grants.manage_award") else []
    return render(request, "grants/awards/mine.html", {"awards": _award_rows(awards), "programs": programs})


def _history(award: Award) -> list[dict]:
    labels = dict(Award.Status.choices)
    return [
        {
            "at": change.at,
            "by": change.by,
            "from": labels.get(change.from_status, change.from_status or "(new)"),
            "to": labels.get(change.to_status, change.to_status),
            "reason": change.reason,
        }
        for change in status_history(award)
    ]


def _award_page(request, award: Award, **bound):
    user = request.user
    can_manage = user.has_perm("grants.manage_award", award)
    steps = changes.staff_steps(award) if can_manage else []
    forms = {"response_form": AwardResponseForm(), "status_form": AwardStatusForm(steps=steps)}
    forms.update(bound)
    instalments = list(award.instalments.all())
    context = {
        "award": award,
        "round": award.round,
        "instalments": instalments,
        "paid": sum((i.amount for i in instalments if i.paid_on), ZERO),
        "amendments": award.amendments.select_related("by"),
        "history": _history(award),
        "notices": award.notices.select_related("requested_by", "resend_of").order_by("queued_at", "pk"),
        "can_respond": user.has_perm("grants.respond_to_award", award),
        "can_manage": can_manage,
        "can_amend": can_manage and award.status in changes.AMENDABLE,
        "steps": steps,
        **forms,
    }
    return render(request, "grants/awards/detail.html", context)


@login_required
def award_detail(request, pk):
    return _award_page(request, get_authorized(request.user, "grants.view_award", AWARDS, pk=pk))


@login_required
def award_letter(request, pk):
    award = get_authorized(request.user, "grants.view_award", AWARDS, pk=pk)
    response = HttpResponse(award_letter_pdf(award), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{award_letter_filename(award)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def award_respond(request, pk):
    award = get_authorized(request.user, "grants.view_award", AWARDS, pk=pk)
    if award.status != Award.Status.OFFERED:  # a second click, or a second tab: say so rather than refuse
        messages.error(request, f"This award is already {award.get_status_display().lower()}; nothing was changed.")
        return redirect("grants:award", award.pk)
    authorize(request.user, "grants.respond_to_award", award)
    form = AwardResponseForm(request.POST)
    if not form.is_valid():
        return _award_page(request, award, response_form=form)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        changes.respond(award=award, by=request.user, accept=accept, reason=form.cleaned_data["reason"])
    except AwardChangeError as error:
        messages.error(request, str(error))
    else:
        if accept:
            messages.success(request, f"You accepted award {award.number}. Program staff have been told on this page.")
        else:
            messages.success(request, f"You declined award {award.number}. Your reason is kept in the record.")
    return redirect("grants:award", award.pk)


@login_required
@require_POST
def award_status(request, pk):
    award = get_authorized(request.user, "grants.manage_award", AWARDS, pk=pk)
    form = AwardStatusForm(request.POST, steps=changes.staff_steps(award))
    if not form.is_valid():
        return _award_page(request, award, status_form=form)
    try:
        changes.change_status(
            award=award, target=form.cleaned_data["target"], by=request.user, reason=form.cleaned_data["reason"]
        )
    except AwardChangeError as error:
        messages.error(request, str(error))
    else:
        award.refresh_from_db()
        messages.success(request, f"Award {award.number} is now {award.get_status_display().lower()}.")
    return redirect("grants:award", award.pk)


@login_required
def award_amend(request, pk):
    award = get_authorized(request.user, "grants.manage_award", AWARDS, pk=pk)
    form = AmendmentForm(_posted(request), award=award)
    amendable = award.status in changes.AMENDABLE
    if request.method == "POST" and form.is_valid():
        old = award.amount
        try:
            changes.amend(award=award, by=request.user, **form.cleaned_data)
        except (AwardChangeError, OverCommitment) as error:
            form.add_error(None, str(error))
        else:
            award.refresh_from_db()
            messages.success(
                request,
                f"Award {award.number} amended: {_money(old)} to {_money(award.amount)}, fiscal years "
                f"{award.fiscal_years[0]} through {award.fiscal_years[-1]}. The payment schedule was adjusted.",
            )
            return redirect("grants:award", award.pk)
    context = {"award": award, "form": form, "amendable": amendable, "instalments": award.instalments.all()}
    return render(request, "grants/awards/amend.html", context)


# ---- The set-aside ledger -------------------------------------------------------------------------------------------


@login_required
def set_aside(request, pk):
    program = get_authorized(request.user, "grants.view_set_aside", Program, pk=pk)
    can_draw = request.user.has_perm("grants.draw_set_aside", program)
    if request.method == "POST":
        authorize(request.user, "grants.draw_set_aside", program)
    form = SetAsideDrawForm(_posted(request), program=program) if can_draw else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = award_services.draw_set_aside(
                program=program,
                kind=data["kind"],
                amount=data["amount"],
                by=request.user,
                consortium=data["consortium"],
                organization=data["organization"],
                description=data["description"],
            )
        except OverCommitment as refusal:
            form.add_error("amount", str(refusal))
        else:
            recipient = entry.consortium or entry.organization
            kind = entry.get_kind_display().lower()
            messages.success(request, f"Recorded: {kind} of {_money(entry.amount)} to {recipient}.")
            return redirect("grants:set-aside", program.pk)
    entries = list(
        SetAsideEntry.objects.filter(program=program)
        .select_related("consortium", "organization", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    reserve = program.set_aside_amount
    balance = reserve
    for entry in entries:
        balance -= entry.amount
        entry.balance_after = balance
    by_kind = {kind: sum((e.amount for e in entries if e.kind == kind), ZERO) for kind in SetAsideEntry.Kind.values}
    context = {
        "program": program,
        "reserve": reserve,
        "appropriated": program.total_appropriated,
        "entries": entries,
        "drawn": reserve - balance,
        "balance": balance,
        "by_kind": [(label, by_kind[value]) for value, label in SetAsideEntry.Kind.choices],
        "form": form,
    }
    return render(request, "grants/set_aside/ledger.html", context)


# ---- Notices --------------------------------------------------------------------------------------------------------


@login_required
def notice_list(request, pk):
    round_ = get_object_or_404(ROUNDS, pk=pk)
    authorize(request.user, "grants.manage_notices", round_)
    notices = Notice.objects.filter(application__round=round_)
    counts = dict(notices.order_by().values_list("delivery").annotate(n=Count("pk")))
    delivery = request.GET.get("delivery", "")
    if delivery in Notice.Delivery.values:
        notices = notices.filter(delivery=delivery)
    notices = notices.select_related("application__consortium", "award", "resend_of", "requested_by").order_by(
        "application__number", "queued_at", "pk"
    )
    context = {
        "round": round_,
        "page": Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page")),
        "delivery": delivery,
        "counts": [(value, label, counts.get(value, 0)) for value, label in Notice.Delivery.choices],
    }
    return render(request, "grants/notices/list.html", context)


@login_required
def notice_resend(request, pk):
    notice = get_object_or_404(
        Notice.objects.select_related("application__round__program", "application__consortium", "award"), pk=pk
    )
    round_ = notice.application.round
    authorize(request.user, "grants.manage_notices", round_)
    form = ResendForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        again = notice_services.resend(notice=notice, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            f"A new {again.get_kind_display().lower()} to {notice.application.consortium} is queued; it is linked to "
            "the first, which is kept.",
        )
        return redirect("grants:notices", round_.pk)
    return render(request, "grants/notices/resend.html", {"notice": notice, "round": round_, "form": form})


urlpatterns = [
    path("rounds/<int:pk>/plan/", plan_page, name="plan"),
    path("rounds/<int:pk>/plan/generate/", plan_generate, name="plan-generate"),
    path("plans/<int:pk>/recompute/", plan_recompute, name="plan-recompute"),
    path("plans/<int:pk>/swap/", plan_swap, name="plan-swap"),
    path("plans/<int:pk>/approve/", plan_approve, name="plan-approve"),
    path("plan-lines/<int:pk>/", plan_line, name="plan-line"),
    path("rounds/<int:pk>/awards/", round_awards, name="round-awards"),
    path("programs/<int:pk>/awards/", program_awards, name="program-awards"),
    path("awards/", my_awards, name="awards"),
    path("awards/<int:pk>/", award_detail, name="award"),
    path("awards/<int:pk>/letter.pdf", award_letter, name="award-letter"),
    path("awards/<int:pk>/respond/", award_respond, name="award-respond"),
    path("awards/<int:pk>/status/", award_status, name="award-status"),
    path("awards/<int:pk>/amend/", award_amend, name="award-amend"),
    path("programs/<int:pk>/set-aside/", set_aside, name="set-aside"),
    path("rounds/<int:pk>/notices/", notice_list, name="notices"),
    path("notices/<int:pk>/resend/", notice_resend, name="notice-resend"),
]
