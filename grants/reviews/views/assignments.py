"""Staff pages for readers: the assignment board, assigning and removing readers, conflicts of interest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ccpt.lib.pages import CountedPaginator
from ccpt.lib.permissions import get_authorized
from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.programs.models import Round

from ..forms.assignments import (
    AssignReaderForm,
    AutoAssignForm,
    ConflictForm,
    ExtendAssignmentForm,
    RemoveReaderForm,
    ReviewDueForm,
)
from ..models import Assignment
from ..services import assignment as service
from ..services import board as board_reads
from ..services import due_dates

BOARD_PAGE_SIZE = 50
READERS_PAGE_SIZE = 50


def _round(request, round_pk, perm="reviews.manage_assignments") -> Round:
    return get_authorized(request.user, perm, Round.objects.all(), pk=round_pk)


def _result_key(round_: Round) -> str:
    return f"auto-assign-result-{round_.pk}"


def _board(request, round_: Round, auto_form: AutoAssignForm, due_form: ReviewDueForm | None = None):
    needing_only = request.GET.get("show") == "needing"
    summary = board_reads.board_summary(round_=round_)
    applications = board_reads.board_applications(round_=round_, needing_only=needing_only)
    # The summary has counted them already: the paginator need not count again.
    paginator = CountedPaginator(applications, BOARD_PAGE_SIZE, summary["needing" if needing_only else "applications"])
    page = paginator.get_page(request.GET.get("page"))
    due_form = due_form or ReviewDueForm(initial={"review_due_at": round_.review_due_at})
    due_form.helper.form_action = reverse("reviews:review-due", args=[round_.pk])
    context = {
        "round": round_,
        "page": page,
        "rows": board_reads.board_rows(round_=round_, applications=page.object_list),
        "summary": summary,
        "loads": board_reads.reader_loads(round_=round_).order_by("last_name", "first_name", "email"),
        "auto_form": auto_form,
        "due_form": due_form,
        "auto_result": request.session.pop(_result_key(round_), None),
        "needing_only": needing_only,
    }
    return render(request, "reviews/assignments/board.html", context)


@login_required
def board(request, round_pk):
    return _board(request, _round(request, round_pk), AutoAssignForm())


@login_required
@require_POST
def auto_assign(request, round_pk):
    round_ = _round(request, round_pk)
    form = AutoAssignForm(request.POST)
    if not form.is_valid():
        return _board(request, round_, form)
    try:
        result = service.auto_assign(round_=round_, by=request.user, max_per_reader=form.cleaned_data["max_per_reader"])
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("reviews:assignment-board", round_.pk)
    request.session[_result_key(round_)] = result.as_dict()
    made = "1 assignment" if result.created == 1 else f"{result.created} assignments"
    messages.success(request, f"Automatic assignment made {made}. The explanation is below.")
    return redirect("reviews:assignment-board", round_.pk)


@login_required
@require_POST
def review_due(request, round_pk):
    round_ = _round(request, round_pk)
    form = ReviewDueForm(request.POST)
    if not form.is_valid():
        return _board(request, round_, AutoAssignForm(), form)
    due_dates.set_review_due(round_=round_, by=request.user, due_at=form.cleaned_data["review_due_at"])
    messages.success(request, "Review due date saved.")
    return redirect("reviews:assignment-board", round_.pk)


@login_required
def extend_assignment(request, round_pk, pk):
    round_ = _round(request, round_pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("application__consortium", "application__round", "reader"),
        pk=pk,
        application__round=round_,
    )
    form = ExtendAssignmentForm(request.POST or None, initial={"due_at": assignment.due_at})
    if request.method == "POST" and form.is_valid():
        try:
            due_dates.extend_assignment(
                assignment=assignment,
                by=request.user,
                due_at=form.cleaned_data["due_at"],
                reason=form.cleaned_data["reason"],
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"Due date of {assignment.reader} on {assignment.application.number} saved.")
            return redirect("reviews:assignment-board", round_.pk)
    return render(request, "reviews/assignments/extend.html", {"round": round_, "assignment": assignment, "form": form})


@login_required
def add_reader(request, round_pk, application_pk):
    round_ = _round(request, round_pk)
    application = get_object_or_404(
        Application.objects.select_related("consortium", "round"), pk=application_pk, round=round_
    )
    eligible, in_conflict = board_reads.eligible_readers(application=application)
    form = AssignReaderForm(request.POST or None, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        reader = form.cleaned_data["reader"]
        try:
            service.assign(application=application, reader=reader, by=request.user)
        except Refusal as refusal:
            form.add_error("reader", refusal.message)
        else:
            messages.success(request, f"Assigned {reader} to {application.number}.")
            return redirect("reviews:assignment-board", round_.pk)
    context = {
        "round": round_,
        "application": application,
        "form": form,
        "in_conflict": in_conflict,
        "current": [
            (a, board_reads.reader_status(a))
            for a in application.assignments.select_related("reader", "review").order_by("assigned_at")
        ],
    }
    return render(request, "reviews/assignments/add_reader.html", context)


@login_required
def remove_reader(request, round_pk, pk):
    round_ = _round(request, round_pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("application__consortium", "application__round", "reader"),
        pk=pk,
        application__round=round_,
    )
    if assignment.status not in Assignment.ACTIVE:
        messages.error(request, f"{assignment.reader} is no longer assigned to {assignment.application.number}.")
        return redirect("reviews:assignment-board", round_.pk)
    eligible, _ = board_reads.eligible_readers(application=assignment.application)
    form = RemoveReaderForm(request.POST or None, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        replacement = form.cleaned_data["replacement"]
        reason = form.cleaned_data["reason"]
        try:
            if replacement:
                service.reassign(assignment=assignment, to=replacement, by=request.user, reason=reason)
            else:
                service.remove(assignment=assignment, by=request.user, reason=reason)
        except Refusal as refusal:
            form.add_error("replacement" if "reader" in refusal.errors else None, refusal.message)
        else:
            done = f"Removed {assignment.reader} from {assignment.application.number}"
            messages.success(request, f"{done} and assigned {replacement}." if replacement else f"{done}.")
            return redirect("reviews:assignment-board", round_.pk)
    return render(
        request, "reviews/assignments/remove_reader.html", {"round": round_, "assignment": assignment, "form": form}
    )


@login_required
def conflicts(request, round_pk):
    round_ = _round(request, round_pk, "reviews.manage_conflicts")
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recorded = service.record_conflict(
                reader=data["reader"],
                by=request.user,
                reason=data["reason"],
                consortium=data["consortium"],
                organization=data["organization"],
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            conflict = recorded.conflict
            text = f"Recorded the conflict of {conflict.reader} with {conflict.consortium or conflict.organization}."
            if recorded.ended:
                numbers = ", ".join(sorted(a.application.number for a in recorded.ended))
                if len(recorded.ended) == 1:
                    text += f" Ended their assignment to {numbers}: it needs another reader."
                else:
                    text += f" Ended their assignments to {numbers}: these applications need another reader."
            messages.success(request, text)
            return redirect("reviews:round-conflicts", round_.pk)
    # The reader pool a page at a time: it grows with the program, and each row lists what it rules out.
    readers = service.reader_pool().order_by("last_name", "first_name", "email")
    page = Paginator(readers, READERS_PAGE_SIZE).get_page(request.GET.get("page"))
    overview = board_reads.conflicts_overview(round_=round_, readers=page.object_list)
    context = {"round": round_, "form": form, "overview": overview, "page": page}
    return render(request, "reviews/assignments/conflicts.html", context)
