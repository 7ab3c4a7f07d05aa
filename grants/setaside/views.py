"""A program's set-aside ledger: the reserve, every draw, the balance; staff record draws."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from ccpt.lib.money import format_money
from ccpt.lib.once import AlreadyDone
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal
from ccpt.lib.views import posted
from consortia.accounts.reauth import reauthentication_required
from grants.programs.models import Program

from . import services
from .forms import SetAsideDrawForm

PAGE_SIZE = 100


@login_required
@reauthentication_required("draw on the set-aside", methods=("POST",))  # reading the ledger needs no password
def set_aside(request, pk):
    program = get_authorized(request.user, "setaside.view_set_aside", Program, pk=pk)
    can_draw = request.user.has_perm("setaside.draw_set_aside", program)
    if request.method == "POST":
        authorize(request.user, "setaside.draw_set_aside", program)
    form = SetAsideDrawForm(posted(request), program=program) if can_draw else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.draw_set_aside(
                program=program,
                kind=data["kind"],
                amount=data["amount"],
                by=request.user,
                consortium=data["consortium"],
                organization=data["organization"],
                description=data["description"],
                click=data["click"],
            )
        except AlreadyDone as done:
            messages.info(request, done.message)
            return redirect("setaside:ledger", program.pk)
        except Refusal as refusal:
            form.add_error("amount", refusal.message)
        else:
            recipient = entry.consortium or entry.organization
            kind = entry.get_kind_display().lower()
            messages.success(request, f"Recorded: {kind} of {format_money(entry.amount)} to {recipient}.")
            return redirect("setaside:ledger", program.pk)
    book = services.ledger(program)
    context = {
        "program": program,
        "reserve": book.reserve,
        "appropriated": program.total_appropriated,
        "entries": book.entries,
        "drawn": book.drawn,
        "balance": book.balance,
        "by_kind": book.by_kind,
        "chart": book.chart,
        "form": form,
    }
    return render(request, "setaside/ledger.html", context)
