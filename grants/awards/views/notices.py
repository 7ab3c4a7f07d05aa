"""The delivery of award and decline notices, and deliberate resends."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from ccpt.lib.once import act_once
from ccpt.lib.permissions import authorize
from ccpt.lib.views import posted
from grants.applications.models import long_texts
from grants.programs.models import Round

from ..forms import (
    ResendForm,
)
from ..models import Notice
from ..services import notices as notice_services

PAGE_SIZE = 100


ROUNDS = Round.objects.select_related("program")


@login_required
def notice_list(request, pk):
    round_ = get_object_or_404(ROUNDS, pk=pk)
    authorize(request.user, "awards.manage_notices", round_)
    notices = Notice.objects.filter(application__round=round_)
    counts = dict(notices.order_by().values_list("delivery").annotate(n=Count("pk")))
    delivery = request.GET.get("delivery", "")
    if delivery in Notice.Delivery.values:
        notices = notices.filter(delivery=delivery)
    notices = (
        notices.select_related("application__consortium", "award", "resend_of", "requested_by")
        .defer(*long_texts("application__"))
        .order_by("application__number", "queued_at", "pk")
    )
    context = {
        "round": round_,
        "page": Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page")),
        "delivery": delivery,
        "counts": [(value, label, counts.get(value, 0)) for value, label in Notice.Delivery.choices],
    }
    return render(request, "awards/notices/list.html", context)


@login_required
def notice_resend(request, pk):
    notice = get_object_or_404(
        Notice.objects.select_related("application__round__program", "application__consortium", "award"), pk=pk
    )
    round_ = notice.application.round
    authorize(request.user, "awards.manage_notices", round_)
    form = ResendForm(posted(request))
    if request.method == "POST" and form.is_valid():
        done = act_once(
            request,
            form,
            lambda data: notice_services.resend(
                notice=notice, by=request.user, reason=data["reason"], click=data["click"]
            ),
            then=reverse("awards:notices", args=[round_.pk]),
            said=lambda again: (
                f"A new {again.get_kind_display().lower()} to {notice.application.consortium} is "
                "queued; it is linked to the first, which is kept."
            ),
        )
        if done:
            return done
    return render(request, "awards/notices/resend.html", {"notice": notice, "round": round_, "form": form})
