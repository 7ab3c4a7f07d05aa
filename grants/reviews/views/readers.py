"""The reader pool for program staff: every reader with affiliations, expertise, status and loads; inviting a
reader; a reader's page (affiliations and expertise, their maximum per open round, deactivating and reactivating)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, show_on_form
from ccpt.lib.views import posted
from consortia.accounts import backends
from consortia.models import User
from grants.programs.models import Round

from ..forms.readers import (
    DeactivateReaderForm,
    LoadCapForm,
    PoolSearchForm,
    ReactivateReaderForm,
    ReaderAccountForm,
    ReaderInvitationForm,
    ReaderProfileForm,
)
from ..models import ReaderInvitation
from ..services import reader_invitations, readers

PERM = readers.PERM
PAGE_SIZE = 50


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


def _reader(request, pk) -> User:
    authorize(request.user, PERM)
    return get_object_or_404(readers.all_readers(), pk=pk)


@login_required
def pool(request):
    authorize(request.user, PERM)
    search = PoolSearchForm(request.GET or None)
    data = search.cleaned_data if search.is_valid() else {}
    found = readers.search(text=data.get("q", ""), sector=data.get("sector", ""), status=data.get("status", ""))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rounds = list(readers.open_rounds())
    context = {
        "search": search,
        "page": page,
        "rows": readers.pool_rows(readers=page.object_list, rounds=rounds),
        "rounds": rounds,
        "invitations": ReaderInvitation.objects.pending()
        .select_related("invited_by")
        .prefetch_related("organizations"),
        # Opened from a round's readers board: the breadcrumb leads back to it.
        "round": Round.objects.filter(pk=int(came_from)).first()
        if (came_from := request.GET.get("round", "")).isdigit()
        else None,
    }
    return render(request, "reviews/readers/pool.html", context)


@login_required
def invite(request):
    authorize(request.user, PERM)
    form = ReaderInvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = reader_invitations.invite(by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Invitation to read sent to {invitation.email}.")
            return redirect("reviews:reader-pool")
    return render(request, "reviews/readers/invite.html", {"form": form}, status=_status(form))


def _invitation_action(request, pk, action, done: str):
    authorize(request.user, PERM)
    invitation = get_object_or_404(ReaderInvitation, pk=pk)
    try:
        action(invitation=invitation, by=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done.format(email=invitation.email))
    return redirect("reviews:reader-pool")


@login_required
@require_POST
def resend_invitation(request, pk):
    return _invitation_action(request, pk, reader_invitations.resend, "Invitation resent to {email}, with a new link.")


@login_required
@require_POST
def revoke_invitation(request, pk):
    return _invitation_action(request, pk, reader_invitations.revoke, "Invitation of {email} revoked.")


def _reader_page(request, reader: User, *, profile_form=None, cap_forms=None, status=200):
    profile = readers.profile_of(reader)
    rounds = list(readers.open_rounds())
    row = readers.pool_rows(readers=readers.all_readers().filter(pk=reader.pk), rounds=rounds)[0]
    if profile_form is None:
        profile_form = ReaderProfileForm(
            initial={
                "organizations": [o.pk for o in row.organizations],
                "sectors": [s.sector for s in reader.reader_sectors.all()],
                "expertise": profile.expertise if profile else "",
            }
        )
    cap_forms = cap_forms or {}
    caps = [
        (load, cap_forms.get(load.round.pk) or LoadCapForm(initial={"maximum": load.cap}, prefix=f"r{load.round.pk}"))
        for load in row.loads
    ]
    context = {
        "reader": reader,
        "row": row,
        "profile_form": profile_form,
        "caps": caps,
        "conflicted": readers.conflicted_assignments(reader=reader),
        "unsubmitted": readers.unsubmitted_assignments(reader).count(),
    }
    return render(request, "reviews/readers/reader.html", context, status=status)


@login_required
def reader(request, pk):
    person = _reader(request, pk)
    if request.method != "POST":
        return _reader_page(request, person)
    form = ReaderProfileForm(request.POST)
    if form.is_valid():
        try:
            change = readers.save_profile(reader=person, by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"Saved. {'; '.join(change.changes)}.")
            if change.conflicted:
                numbers = ", ".join(a.application.number for a in change.conflicted)
                messages.warning(
                    request,
                    f"An affiliation you added is in conflict with {person}'s active assignment to {numbers}. "
                    "Their reviews of these are not counted; remove or replace them on the readers board.",
                )
            return redirect("reviews:reader", person.pk)
    return _reader_page(request, person, profile_form=form, status=422)


@login_required
@require_POST
def set_cap(request, pk, round_pk):
    person = _reader(request, pk)
    round_ = get_object_or_404(readers.open_rounds(), pk=round_pk)
    form = LoadCapForm(request.POST, prefix=f"r{round_.pk}")
    if form.is_valid():
        try:
            readers.set_cap(reader=person, round_=round_, by=request.user, maximum=form.cleaned_data["maximum"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            maximum = form.cleaned_data["maximum"]
            messages.success(
                request,
                f"{person} reads at most {maximum} in {round_}."
                if maximum
                else f"{person} has no maximum of their own in {round_}.",
            )
            return redirect("reviews:reader", person.pk)
    return _reader_page(request, person, cap_forms={round_.pk: form}, status=422)


@login_required
def deactivate(request, pk):
    person = _reader(request, pk)
    form = DeactivateReaderForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            done = readers.deactivate(reader=person, by=request.user, **form.cleaned_data)
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            text = f"{person} is deactivated: no new assignments."
            if done.removed:
                text += f" Removed from {', '.join(a.application.number for a in done.removed)}: they need a reader."
            messages.success(request, text)
            return redirect("reviews:reader", person.pk)
    context = {"reader": person, "form": form, "unsubmitted": list(readers.unsubmitted_assignments(person))}
    return render(request, "reviews/readers/deactivate.html", context, status=_status(form))


@login_required
def reactivate(request, pk):
    person = _reader(request, pk)
    form = ReactivateReaderForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            readers.reactivate(reader=person, by=request.user, reason=form.cleaned_data["reason"])
        except Refusal as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(request, f"{person} is active again and may be assigned.")
            return redirect("reviews:reader", person.pk)
    context = {"reader": person, "form": form, "profile": readers.profile_of(person)}
    return render(request, "reviews/readers/reactivate.html", context, status=_status(form))


def accept_invitation(request, token):
    """The invited person's link: signed in as the invited address, they accept; with no account, they create one
    and accept; with an account, they sign in first."""
    invitation = get_object_or_404(ReaderInvitation.objects.select_related("invited_by"), token=token)
    if not invitation.is_usable:
        return render(request, "consortia/invitation_unusable.html", {"invitation": invitation}, status=410)
    if request.user.is_authenticated:
        if request.user.email != invitation.email:
            messages.error(request, f"This invitation is for {invitation.email}. Sign out, then open the link again.")
            return redirect("dashboard")
        form = None
        if request.method == "POST":
            return _accept(request, invitation, request.user)
    elif User.objects.filter(email__iexact=invitation.email).exists():
        messages.info(request, "Sign in to accept the invitation.")
        return redirect(f"/accounts/login/?next={invitation.get_absolute_url()}")
    else:
        form = ReaderAccountForm(posted(request), email=invitation.email, initial=_names(invitation))
        if request.method == "POST" and form.is_valid():
            return _accept(request, invitation, form=form)
    context = {"invitation": invitation, "form": form}
    return render(request, "reviews/readers/accept.html", context, status=_status(form) if form else 200)


def _names(invitation: ReaderInvitation) -> dict:
    return {"first_name": invitation.first_name, "last_name": invitation.last_name}


def _accept(request, invitation: ReaderInvitation, user: User | None = None, *, form=None):
    """Accept as `user`, or as the account `form` creates (kept only if accepting succeeds), then signed in."""
    try:
        with transaction.atomic():
            person = user or form.save()
            reader_invitations.accept(invitation=invitation, user=person)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("dashboard")
    if user is None:
        login(request, person, backend=backends.PATH)
    messages.success(request, "You are now a reader. Program staff will assign you applications to read.")
    return redirect("reviews:reviews")
