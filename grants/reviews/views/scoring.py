"""Score pages: the staff dashboard and ranked list of a round, reconciliation of one application, results release,
and the results an applicant sees once they are published."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ccpt.background.services import later
from ccpt.lib.csv import csv_response
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.programs.models import Round

from ..forms.scoring import (
    ClearConsensusForm,
    ConsensusForm,
    ExtraReaderForm,
    PriorityClaimForm,
    PublishForm,
    RankingFilter,
    RevisitForm,
)
from ..models import ApplicationScore
from ..services import dashboard as score_dashboard
from ..services import ranking as ranked
from ..services import reconciliation, results, scoring, stages

PAGE_SIZE = 50


def _round(request, pk, perm="reviews.view_scores") -> Round:
    return get_authorized(request.user, perm, Round.objects.select_related("program"), pk=pk)


@login_required
def dashboard(request, pk):
    round_ = _round(request, pk)
    computed_at = ranked.last_computed(round_)
    maximum = scoring.rubric_maximum(round_.pk)
    figures = score_dashboard.figures(round_, computed_at=computed_at, maximum=maximum)
    context = {
        "round": round_,
        "computed_at": computed_at,
        "stale": ranked.changed_since(round_, computed_at),
        "maximum": maximum,
        "readers": figures.readers,
        "behind": score_dashboard.reader_rows(figures.readers.behind),
        "progress": figures.progress,
        "flagged": score_dashboard.flagged_rows(figures.flagged_ids),
        "flagged_count": figures.flagged_count,
        "distribution": figures.distribution,
        "regions": figures.regions,
        "can_publish": request.user.has_perm("reviews.publish_results", round_),
    }
    return render(request, "reviews/scoring/dashboard.html", context)


def _ranking_filter(request, round_) -> RankingFilter:
    return RankingFilter(request.GET, round_=round_, queryset=ranked.ranked_rows(round_))


@login_required
def ranking(request, pk):
    round_ = _round(request, pk)
    filterset = _ranking_filter(request, round_)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "round": round_,
        "filter": filterset,
        "page": page,
        "computed_at": ranked.last_computed(round_),
        "stage_notes": stages.describe(round_),
    }
    return render(request, "reviews/scoring/ranking.html", context)


CSV_HEADER = [
    "Rank",
    "Category rank",
    "Application number",
    "Consortium",
    "Region",
    "Funding category",
    "Readers submitted",
    "Readers needed",
    "Mean",
    "Normalized",
    "Spread",
    "Flagged",
    "Consensus",
    "Bonus",
    "Final",
    "Fundable",
    "Computed at (Pacific)",
    "Finalist",
    "Reading score",
    "Interview score",
]


# The columns of CSV_HEADER read as plain values (no model objects per row); "Readers needed" is the round's.
CSV_COLUMNS = (
    "rank",
    "category_rank",
    "application__number",
    "application__consortium__name",
    "application__consortium__region__name",
    "application__category__name",
    "readers",
    "raw_mean",
    "normalized",
    "spread",
    "flagged",
    "consensus",
    "bonus",
    "final",
    "fundable",
    "computed_at",
    "finalist",
    "reading",
    "interview",
)


@login_required
def ranking_csv(request, pk):
    round_ = _round(request, pk)
    rows = _ranking_filter(request, round_).qs.values_list(*CSV_COLUMNS)
    needed = round_.readers_per_application
    lines = ((*row[:7], needed, *row[7:]) for row in rows.iterator(chunk_size=2000))
    return csv_response(f"{round_.code}-ranked-scores.csv", CSV_HEADER, lines)


@login_required
@require_POST
def recompute(request, pk):
    round_ = _round(request, pk)
    if round_.results_published_at is not None:
        messages.error(request, "The results are published; the scores are frozen and were not recomputed.")
    else:
        later("grants.reviews.tasks.score_round", round_.pk)
        messages.success(request, "Scores are being recomputed. Reload this page in a moment to see the new time.")
    return redirect("reviews:scores", round_.pk)


@login_required
def publish(request, pk):
    round_ = _round(request, pk, "reviews.publish_results")
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            results.publish_results(round_=round_, by=request.user)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "Results published. Each application's contacts are being emailed.")
            return redirect("reviews:scores", round_.pk)
    context = {
        "round": round_,
        "form": form,
        "problems": results.publication_problems(round_),
        "warnings": results.publication_warnings(round_),
    }
    return render(request, "reviews/scoring/publish.html", context)


# ---- Reconciliation of one application --------------------------------------------------------------------

APPLICATIONS = Application.objects.select_related("round", "consortium__region", "consortium__lead_agency", "category")


def _application(request, pk) -> Application:
    return get_authorized(request.user, "reviews.reconcile_scores", APPLICATIONS, pk=pk)


def _reconcile_page(request, application, **bound):
    """The page, with any form that was refused shown again bound (its errors next to the fields)."""
    comparison = reconciliation.side_by_side(application=application)
    maximum = scoring.rubric_maximum_of(comparison.criteria)
    history = list(reconciliation.history(application=application))
    claims = application.priority_claims.select_related("priority", "confirmed_by").order_by("priority__position")
    forms = {
        "revisit_form": RevisitForm(readings=comparison.readings),
        "consensus_form": ConsensusForm(maximum=maximum),
        "clear_form": ClearConsensusForm(),
        "priority_form": PriorityClaimForm(
            round_=application.round, initial={"priorities": [c.priority_id for c in claims]}
        ),
    }
    forms.update(bound)
    context = {
        "application": application,
        "round": application.round,
        "score": ApplicationScore.objects.filter(application=application).first(),
        "comparison": comparison,
        "maximum": maximum,
        "consensus": reconciliation.current_consensus(application=application, history=history),
        "claims": claims,
        "history": history,
        "published": application.round.results_published_at is not None,
        "has_priorities": application.round.priorities.exists(),
        **forms,
    }
    return render(request, "reviews/scoring/reconcile.html", context)


@login_required
def reconcile(request, pk):
    return _reconcile_page(request, _application(request, pk))


def _act(request, application, form_name: str, form, action, done: str):
    """Validate the form, run the service, and redirect; or show the page again with the errors."""
    if application.round.results_published_at is not None:
        messages.error(request, "The round's results are published; its scores can no longer change.")
        return redirect("reviews:reconcile", application.pk)
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, done)
            return redirect("reviews:reconcile", application.pk)
    return _reconcile_page(request, application, **{form_name: form})


@login_required
@require_POST
def revisit(request, pk):
    application = _application(request, pk)
    form = RevisitForm(request.POST, readings=reconciliation.side_by_side(application=application).readings)
    return _act(
        request,
        application,
        "revisit_form",
        form,
        lambda data: reconciliation.ask_to_revisit(
            application=application, reviews_to_reopen=data["readers"], by=request.user, reason=data["reason"]
        ),
        "The chosen reviews are drafts again; their readers were emailed. Scores are being recomputed.",
    )


ADDED_READER = "Reader added; they were emailed and will see the application in their queue."


@login_required
def add_reader(request, pk):
    """A further reader for an application being reconciled, on a page of its own: it lists every eligible reader
    of the pool with their load, which the reconcile page need not read each time it is shown."""
    application = _application(request, pk)
    readers = reconciliation.eligible_readers(application=application)
    form = ExtraReaderForm(request.POST or None, readers=readers)
    if request.method == "POST":
        if application.round.results_published_at is not None:
            messages.error(request, "The round's results are published; its scores can no longer change.")
            return redirect("reviews:reconcile", application.pk)
        if form.is_valid():
            try:
                reconciliation.add_reader(
                    application=application, reader=form.cleaned_data["reader"], by=request.user,
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except Refusal as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, ADDED_READER)
                return redirect("reviews:reconcile", application.pk)
    context = {"application": application, "round": application.round, "form": form, "readers": readers}
    return render(request, "reviews/scoring/add_reader.html", context)


@login_required
@require_POST
def consensus(request, pk):
    application = _application(request, pk)
    form = ConsensusForm(request.POST, maximum=scoring.rubric_maximum(application.round_id))
    return _act(
        request,
        application,
        "consensus_form",
        form,
        lambda data: reconciliation.record_consensus(
            application=application, total=data["total"], by=request.user, reason=data["reason"]
        ),
        "Consensus score recorded. Scores are being recomputed.",
    )


@login_required
@require_POST
def clear_consensus(request, pk):
    application = _application(request, pk)
    form = ClearConsensusForm(request.POST)
    return _act(
        request,
        application,
        "clear_form",
        form,
        lambda data: reconciliation.clear_consensus(application=application, by=request.user, reason=data["reason"]),
        "Consensus score cleared. Scores are being recomputed.",
    )


@login_required
@require_POST
def priorities(request, pk):
    application = _application(request, pk)
    form = PriorityClaimForm(request.POST, round_=application.round)
    return _act(
        request,
        application,
        "priority_form",
        form,
        lambda data: reconciliation.confirm_priorities(
            application=application, priorities=data["priorities"], by=request.user
        ),
        "Competitive priorities saved. Scores are being recomputed.",
    )


# ---- What applicants see ------------------------------------------------------------------------------------


@login_required
def application_results(request, pk):
    with_score = APPLICATIONS.select_related("score")
    application = get_authorized(request.user, "applications.view_application", with_score, pk=pk)
    pending = application.round.results_published_at is None
    if pending and not request.user.has_perm("reviews.view_results", application):
        return render(request, "reviews/scoring/results_pending.html", {"application": application}, status=403)
    authorize(request.user, "reviews.view_results", application)
    context = {
        "application": application,
        "round": application.round,
        "results": results.results_for(application=application),
        "published_at": application.round.results_published_at,
        "staff_view": request.user.has_perm("reviews.view_scores", application.round),
        "reconcile_url": reverse("reviews:reconcile", args=[application.pk])
        if request.user.has_perm("reviews.reconcile_scores", application)
        else "",
    }
    return render(request, "reviews/scoring/results.html", context)
