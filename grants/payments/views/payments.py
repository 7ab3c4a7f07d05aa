"""An award's payments page (its ledger, payments, holds, recoveries, reports and closeout) and a payment's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ccpt.lib.money import format_money
from ccpt.lib.once import act_once
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from consortia.accounts.reauth import reauthentication_required
from grants import workflow
from grants.awards.models import Award

from ..forms import AddPaymentForm, CloseoutForm, PaidForm, ReasonForm, RecoveryForm, ReleaseForm
from ..models import AwardHold, BudgetRevision, ExpenditureReport, Payment, Recovery
from ..services import closeout, holds
from ..services import payments as pay
from ..services.settings import settings_for

AWARDS = Award.objects.select_related("round__program", "consortium", "application")
PAYMENTS = Payment.objects.select_related(
    "award__round__program", "award__consortium", "released_by", "approved_by", "paid_recorded_by"
)


def _award_page(request, award: Award, **bound):
    user = request.user
    can_manage = user.has_perm("payments.manage_payments", award)
    payments = list(award.payments.select_related("released_by", "approved_by").order_by("fiscal_year", "pk"))
    for payment in payments:
        payment.award = award
        payment.unmet = pay.condition_problem(payment) if payment.status == Payment.Status.SCHEDULED else ""
    reports = {r.fiscal_year: r for r in ExpenditureReport.objects.filter(award=award)}
    hold = pay.open_hold(award)
    forms = {}
    if can_manage:
        forms = {
            "hold_form": ReasonForm(prefix="hold"),
            "lift_form": ReasonForm(prefix="lift"),
            "recovery_form": RecoveryForm(prefix="recovery"),
            "add_form": AddPaymentForm(prefix="add", years=award.fiscal_years),
        }
    forms.update(bound)
    context = {
        "award": award,
        "payments": payments,
        "ledger": pay.ledger(award, payments),
        "limit": settings_for(award.round.program).second_approval_above,
        "hold": hold,
        "holds": AwardHold.objects.filter(award=award).select_related("placed_by", "lifted_by"),
        "recoveries": Recovery.objects.filter(award=award).select_related("by"),
        "years": [(year, reports.get(year)) for year in award.fiscal_years],
        "revisions": BudgetRevision.objects.filter(award=award).select_related("requested_by").order_by("-pk"),
        "can_manage": can_manage,
        "can_file": user.has_perm("payments.file_reports", award),
        "can_recover": can_manage and award.status in holds.RECOVERABLE,
        "can_edit_settings": user.has_perm("payments.edit_settings", award.round.program),
        "schedulable": award.status in pay.SCHEDULABLE,
        "closeout_problems": closeout.closeout_conditions(award) if award.status == Award.Status.ACTIVE else None,
        "settlement": closeout.settlement(award),
        **forms,
    }
    return render(request, "payments/award.html", context)


@login_required
def award_payments(request, pk):
    award = get_authorized(request.user, "payments.view_payments", AWARDS, pk=pk)
    if request.user.has_perm("payments.manage_payments", award):
        try:
            made = pay.schedule_payments(award=award, by=request.user)
        except Refusal as refusal:
            messages.warning(request, refusal.message)
        else:
            if made:
                messages.info(
                    request,
                    f"Scheduled {len(made)} payment{'s' if len(made) != 1 else ''} from the award's instalments.",
                )
    return _award_page(request, award)


def _posted_award(request, pk) -> Award:
    return get_authorized(request.user, "payments.manage_payments", AWARDS, pk=pk)


@login_required
@require_POST
def hold_place(request, pk):
    award = _posted_award(request, pk)
    form = ReasonForm(request.POST, prefix="hold")
    if form.is_valid():
        try:
            holds.place_hold(award=award, by=request.user, reason=form.cleaned_data["reason"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"The payments of award {award.number} are on hold.")
            return redirect("payments:award", award.pk)
    return _award_page(request, award, hold_form=form)


@login_required
@require_POST
def hold_lift(request, pk):
    award = _posted_award(request, pk)
    form = ReasonForm(request.POST, prefix="lift")
    if form.is_valid():
        try:
            holds.lift_hold(award=award, by=request.user, reason=form.cleaned_data["reason"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"The hold on the payments of award {award.number} is lifted.")
            return redirect("payments:award", award.pk)
    return _award_page(request, award, lift_form=form)


@login_required
@require_POST
def recovery_add(request, pk):
    award = _posted_award(request, pk)
    form = RecoveryForm(request.POST, prefix="recovery")
    if form.is_valid():
        done = act_once(
            request,
            form,
            lambda data: holds.record_recovery(
                award=award,
                amount=data["amount"],
                reason=data["reason"],
                received_on=data["received_on"],
                by=request.user,
                click=data["click"],
            ),
            then=reverse("payments:award", args=[award.pk]),
            said=lambda recovery: f"Recorded the recovery of {format_money(recovery.amount)}.",
        )
        if done:
            return done
    return _award_page(request, award, recovery_form=form)


@login_required
@require_POST
def payment_add(request, pk):
    award = _posted_award(request, pk)
    form = AddPaymentForm(request.POST, prefix="add", years=award.fiscal_years)
    if form.is_valid():
        done = act_once(
            request,
            form,
            lambda data: pay.add_payment(
                award=award,
                fiscal_year=data["fiscal_year"],
                amount=data["amount"],
                reason=data["reason"],
                by=request.user,
                click=data["click"],
            ),
            then=reverse("payments:award", args=[award.pk]),
            said=lambda payment: f"Added a {payment.fiscal_year} payment of {format_money(payment.amount)}.",
        )
        if done:
            return done
    return _award_page(request, award, add_form=form)


@login_required
def award_closeout(request, pk):
    award = _posted_award(request, pk)
    form = CloseoutForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            closeout.close_out(award=award, by=request.user, reason=form.cleaned_data["reason"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Award {award.number} is closed out.")
            return redirect("payments:award", award.pk)
    context = {
        "award": award,
        "form": form,
        "problems": closeout.closeout_conditions(award) if award.status == Award.Status.ACTIVE else None,
        "settlement": closeout.settlement(award),
    }
    return render(request, "payments/closeout.html", context)


# ---- One payment ---------------------------------------------------------------------------------------------------


def _payment_page(request, payment: Payment, **bound):
    user = request.user
    steps = {step.target for step in workflow.available(payment, user)}
    S = Payment.Status
    forms = {
        "release_form": ReleaseForm() if S.RELEASED in steps else None,
        "paid_form": PaidForm() if S.PAID in steps else None,
        "cancel_form": ReasonForm() if S.CANCELLED in steps else None,
    }
    forms.update(bound)
    context = {
        "payment": payment,
        "award": payment.award,
        "unmet": pay.condition_problem(payment) if payment.status == S.SCHEDULED else "",
        "problems": pay.payable_problems(payment) if payment.status not in (S.PAID, S.CANCELLED) else [],
        "needs_approval": pay.needs_second_approval(payment),
        "limit": settings_for(payment.award.round.program).second_approval_above,
        "can_approve": S.APPROVED in steps,
        "history": workflow.history_lines(payment),
        "history_caption": f"Who moved the {payment.fiscal_year} payment of award {payment.award.number} along",
        **forms,
    }
    return render(request, "payments/payment.html", context)


@login_required
def payment_detail(request, pk):
    return _payment_page(request, get_authorized(request.user, "payments.view_payments", PAYMENTS, pk=pk))


def _posted_payment(request, pk, perm="payments.manage_payments") -> Payment:
    payment = get_object_or_404(PAYMENTS, pk=pk)
    authorize(request.user, "payments.view_payments", payment.award)
    authorize(request.user, perm, payment)
    return payment


def _done(request, payment: Payment, what: str):
    messages.success(request, f"The {payment.fiscal_year} payment of {format_money(payment.amount)} is {what}.")
    return redirect("payments:payment", payment.pk)


@login_required
@require_POST
def payment_release(request, pk):
    payment = _posted_payment(request, pk)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            pay.release_payment(payment=payment, by=request.user, override_reason=form.cleaned_data["override_reason"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            return _done(request, payment, "released")
    return _payment_page(request, payment, release_form=form)


@login_required
@require_POST
@reauthentication_required("approve a payment", methods=("POST",))
def payment_approve(request, pk):
    payment = _posted_payment(request, pk, "payments.approve_payment")
    try:
        pay.approve_payment(payment=payment, by=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("payments:payment", payment.pk)
    return _done(request, payment, "approved")


@login_required
@require_POST
def payment_paid(request, pk):
    payment = _posted_payment(request, pk)
    form = PaidForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            pay.record_paid(payment=payment, by=request.user, paid_on=data["paid_on"], reference=data["reference"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            return _done(request, payment, "recorded as paid")
    return _payment_page(request, payment, paid_form=form)


@login_required
@require_POST
def payment_cancel(request, pk):
    payment = _posted_payment(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            pay.cancel_payment(payment=payment, by=request.user, reason=form.cleaned_data["reason"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            return _done(request, payment, "cancelled")
    return _payment_page(request, payment, cancel_form=form)
