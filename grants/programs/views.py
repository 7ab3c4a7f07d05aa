"""Programs and rounds: everyone signed in reads them, administrators configure them, staff move them along."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal, show_on_form
from consortia.accounts.reauth import reauthentication_required
from grants import workflow

from . import services
from .forms.programs import AppropriationFormSet, ProgramForm
from .forms.rounds import CopyRoundForm, RoundForm, TransitionForm
from .forms.rows import CategoryFormSet, CriterionFormSet, PriorityFormSet, RequiredAttachmentFormSet, RubricForm
from .models import Program, Round

# The pages that edit a round's rows: (formset, page title, what one row is, a sentence of guidance).
SECTIONS = {
    "categories": (
        CategoryFormSet,
        "Funding categories",
        "funding category",
        "Each category has a maximum award and a planned number of grants; together they should not plan more "
        "than the round's funds.",
    ),
    "rubric": (
        CriterionFormSet,
        "Rubric",
        "criterion",
        "Readers score each criterion up to its maximum points; the weight multiplies them. Applicants answer "
        "each criterion in a narrative of at most the length limit.",
    ),
    "priorities": (
        PriorityFormSet,
        "Competitive priorities",
        "competitive priority",
        "A priority either adds bonus points or only breaks ties between equal scores.",
    ),
    "required-attachments": (
        RequiredAttachmentFormSet,
        "Required attachments",
        "required attachment",
        "Documents every application must include.",
    ),
}


def _frozen(request, round_):
    """A round that has opened shows its rules read-only, with the reason."""
    if request.method == "POST":
        messages.error(request, f"Nothing was saved. {services.frozen_reason(round_)}")
        return redirect(request.path)
    context = {
        "round": round_,
        "reason": services.frozen_reason(round_),
        "config": services.round_configuration(round_),
    }
    return render(request, "programs/rounds/frozen.html", context)


@login_required
def program_list(request):
    authorize(request.user, "programs.view_program")
    context = {
        "programs": services.programs_with_totals(),
        "can_configure": request.user.has_perm("programs.configure_program"),
    }
    return render(request, "programs/programs/list.html", context)


@login_required
def program_detail(request, pk):
    program = get_authorized(request.user, "programs.view_program", Program, pk=pk)
    context = {
        "program": program,
        "appropriations": program.appropriations.all(),
        "funds": services.program_funds(program),
        "rounds": services.visible_rounds(request.user).filter(program=program).order_by("opens_at"),
        "can_configure": request.user.has_perm("programs.configure_program", program),
        "can_create_round": request.user.has_perm("programs.configure_round"),
    }
    return render(request, "programs/programs/detail.html", context)


@login_required
@reauthentication_required("set a program's appropriations and set-aside")
def program_form(request, pk=None):
    if pk is None:
        authorize(request.user, "programs.configure_program")
        program = Program()
    else:
        program = get_authorized(request.user, "programs.configure_program", Program, pk=pk)
    form = ProgramForm(request.POST or None, instance=program)
    appropriations = AppropriationFormSet(request.POST or None, instance=program, prefix="appropriations")
    if request.method == "POST" and all([form.is_valid(), appropriations.is_valid()]):
        try:
            services.save_program(
                program=form.save(commit=False),
                changed=appropriations.save(commit=False),
                deleted=appropriations.deleted_objects,
                by=request.user,
            )
        except Refusal as refusal:
            if pk is None:
                program.pk = None  # the save was rolled back: the program is still new
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Saved {form.instance}.")
            return redirect("programs:program", form.instance.pk)
    context = {"form": form, "appropriations": appropriations, "program": program}
    return render(request, "programs/programs/form.html", context)


@login_required
def round_list(request):
    authorize(request.user, "programs.view_round")
    rounds = services.visible_rounds(request.user).order_by("-opens_at", "name")
    status = request.GET.get("status", "")
    if status in Round.Status.values:
        rounds = rounds.filter(status=status)
    page = Paginator(rounds, 50).get_page(request.GET.get("page"))
    statuses = Round.Status.choices if request.user.has_perm("programs.view_draft_rounds") else Round.Status.choices[1:]
    context = {"page": page, "status": status, "statuses": statuses}
    return render(request, "programs/rounds/list.html", context)


@login_required
def round_detail(request, pk):
    round_ = get_authorized(request.user, "programs.view_round", services.visible_rounds(request.user), pk=pk)
    user = request.user
    can_change_status = user.has_perm("programs.change_round_status", round_)
    can_configure = user.has_perm("programs.configure_round", round_)
    is_draft = round_.status == Round.Status.DRAFT
    context = {
        "round": round_,
        "config": services.round_configuration(round_),
        "can_configure": can_configure,
        "can_change_status": can_change_status,
        "is_draft": is_draft,
        "editable": can_configure and is_draft,
    }
    if can_change_status:
        context["problems"] = round_.configuration_problems() if is_draft else []
        context["options"] = workflow.options(round_, user)
        context["history"] = workflow.history_lines(round_)
        context["history_caption"] = f"Who changed the status of {round_.name}, when and why"
        context["frozen_reason"] = "" if is_draft else services.frozen_reason(round_)
    return render(request, "programs/rounds/detail.html", context)


@login_required
def round_form(request, pk=None, program_pk=None):
    if pk is None:
        program = get_object_or_404(Program, pk=program_pk)
        authorize(request.user, "programs.configure_round", program)
        round_ = Round(program=program)
    else:
        round_ = get_authorized(
            request.user, "programs.configure_round", Round.objects.select_related("program"), pk=pk
        )
        if round_.status != Round.Status.DRAFT:
            return _frozen(request, round_)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            if pk is None:
                services.create_round(round_=form.save(commit=False), by=request.user)
                messages.success(request, f"Created {round_} as a draft. Add its funding categories and rubric next.")
            else:
                services.save_round_settings(round_=form.save(commit=False), by=request.user)
                messages.success(request, f"Saved the settings of {round_}.")
        except Refusal:  # opened meanwhile
            return _frozen(request, round_)
        return redirect(round_)
    return render(request, "programs/rounds/form.html", {"form": form, "round": round_})


@login_required
def round_rows(request, pk, section):
    round_ = get_authorized(request.user, "programs.configure_round", Round.objects.select_related("program"), pk=pk)
    if round_.status != Round.Status.DRAFT:
        return _frozen(request, round_)
    formset_class, title, noun, guidance = SECTIONS[section]
    data = request.POST or None
    formset = formset_class(data, instance=round_, prefix="rows", form_kwargs={"round_": round_})
    rubric = RubricForm(data, instance=round_, prefix="rubric") if section == "rubric" else None
    if request.method == "POST" and all([formset.is_valid(), rubric is None or rubric.is_valid()]):
        try:
            services.save_round_rows(
                round_=round_,
                changed=formset.save(commit=False),
                deleted=formset.deleted_objects,
                by=request.user,
                minimum_fundable_score=rubric.cleaned_data["minimum_fundable_score"] if rubric else None,
            )
        except Refusal as refusal:
            if round_.status != round_.Status.DRAFT:  # opened meanwhile
                return _frozen(request, round_)
            if rubric is not None and refusal.errors:
                show_on_form(rubric, refusal)
            else:
                messages.error(request, refusal.message)
        else:
            messages.success(request, f"Saved the {title.lower()} of {round_}.")
            return redirect(reverse(f"programs:round-{section}", args=[round_.pk]))
    context = {
        "round": round_,
        "formset": formset,
        "rubric": rubric,
        "title": title,
        "noun": noun,
        "guidance": guidance,
        "config": services.round_configuration(round_),
    }
    return render(request, "programs/rounds/rows.html", context)


@login_required
@require_POST
def round_transition(request, pk):
    round_ = get_authorized(request.user, "programs.change_round_status", Round, pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the status changes offered on this page.")
        return redirect(round_)
    target = form.cleaned_data["target"]
    elsewhere = [t for t in workflow.available(round_, request.user) if t.target == target and t.via]
    if elsewhere:  # more than a status change: made on its own page
        messages.error(request, f"{elsewhere[0].label} on the {elsewhere[0].via_label} page.")
        return redirect(elsewhere[0].via, round_.pk)
    labels = {t.target: t.label for t in workflow.available(round_, request.user)}
    try:
        workflow.transition(round_, target, by=request.user, reason=form.cleaned_data["reason"])
    except Refusal as refusal:
        action = labels.get(target, "change the status")
        messages.error(request, f"Could not {action[0].lower()}{action[1:]}: {refusal.message}")
    else:
        messages.success(request, f"{labels[target]}: {round_} is now {round_.get_status_display().lower()}.")
    return redirect(round_)


@login_required
def round_copy(request, pk):
    round_ = get_authorized(request.user, "programs.configure_round", Round.objects.select_related("program"), pk=pk)
    form = CopyRoundForm(request.POST or None, round_=round_, initial={"name": f"{round_.name} (copy)"})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_round(round_=round_, by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Copied {round_} to {copy}, a draft: check its dates before opening it.")
            return redirect(copy)
    return render(request, "programs/rounds/copy.html", {"form": form, "round": round_})
