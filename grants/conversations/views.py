"""An application's conversation with its consortium, staff notes, clarification requests; the person's inbox."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ccpt.lib.once import act_once
from ccpt.lib.permissions import authorize, get_authorized
from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.applications.views.attachments import stream
from grants.reviews.models import Assignment

from . import services
from .forms import AnswerForm, ClarificationForm, MessageForm, PreferenceForm
from .models import Clarification, Message, MessageFile

T = Message.Thread


def _application(request, pk) -> Application:
    return get_authorized(
        request.user,
        "conversations.view_conversation",
        Application.objects.select_related("round", "consortium"),
        pk=pk,
    )


def _page(request, application, *, message_form=None, note_form=None, ask_form=None, answer_forms=None, status=200):
    user = request.user
    notes = user.has_perm("conversations.use_staff_notes", application)
    threads = Message.objects.filter(application=application).select_related("author", "clarification")
    if not notes:
        threads = threads.filter(thread=T.CONSORTIUM)
    entries = list(threads.prefetch_related("files").order_by("created_at", "pk"))
    clarifications = list(application.clarifications.select_related("asked_by", "answered_by"))
    now = timezone.now()
    can_write = user.has_perm("conversations.write_to_consortium", application) or user.has_perm(
        "conversations.write_to_staff", application
    )
    context = {
        "application": application,
        "conversation": [m for m in entries if m.thread == T.CONSORTIUM],
        "notes": [m for m in entries if m.thread == T.STAFF] if notes else None,
        "clarifications": clarifications,
        "answer_forms": {
            c.pk: (answer_forms or {}).get(c.pk) or AnswerForm(prefix=f"answer-{c.pk}")
            for c in clarifications
            if c.pk in (answer_forms or {})  # a refused answer stays on the page with its message
            or (c.due_at > now and user.has_perm("conversations.answer_clarification", c))
        },
        # Unanswered past their due time: the consortium is told to write to staff instead.
        "lapsed": [c for c in clarifications if not c.is_answered and c.due_at <= now],
        "message_form": (message_form or MessageForm(prefix="message")) if can_write else None,
        "note_form": (note_form or MessageForm(prefix="note", note=True)) if notes else None,
        "ask_form": (ask_form or ClarificationForm(prefix="ask"))
        if user.has_perm("conversations.ask_clarification", application)
        and application.status == Application.Status.SUBMITTED
        else None,
        "can_share": user.has_perm("conversations.share_with_readers", application),
        "staff": user.is_program_staff,
    }
    return render(request, "conversations/conversation.html", context, status=status)


@login_required
def conversation(request, pk):
    application = _application(request, pk)
    services.mark_read(application=application, user=request.user)
    return _page(request, application)


@login_required
@require_POST
def post(request, pk, thread):
    application = _application(request, pk)
    if thread not in T.values:
        raise Http404("No such thread.")
    prefix = "note" if thread == T.STAFF else "message"
    form = MessageForm(request.POST, request.FILES, prefix=prefix, note=thread == T.STAFF)
    if form.is_valid():
        done = act_once(
            request,
            form,
            lambda data: services.post_message(
                application=application,
                by=request.user,
                thread=thread,
                body=data["body"],
                files=data["files"],
                click=data["click"],
            ),
            then=reverse("conversations:conversation", args=[application.pk]) + f"#{prefix}-heading",
            said=lambda message: (
                "Note saved for staff." if message.thread == T.STAFF else "Sent. The other side is told by email."
            ),
        )
        if done:
            return done
    forms = {"note_form": form} if thread == T.STAFF else {"message_form": form}
    return _page(request, application, status=422, **forms)


@login_required
@require_POST
def ask(request, pk):
    application = _application(request, pk)
    authorize(request.user, "conversations.ask_clarification", application)
    form = ClarificationForm(request.POST, prefix="ask")
    if form.is_valid():
        done = act_once(
            request,
            form,
            lambda data: services.ask_clarification(
                application=application,
                by=request.user,
                question=data["question"],
                due_at=data["due_at"],
                click=data["click"],
            ),
            then=reverse("conversations:conversation", args=[application.pk]),
            said=lambda c: f"Asked {application.consortium}; the answer is due by the time you set.",
        )
        if done:
            return done
    return _page(request, application, ask_form=form, status=422)


@login_required
@require_POST
def answer(request, pk):
    clarification = get_object_or_404(Clarification.objects.select_related("application__consortium"), pk=pk)
    application = clarification.application
    authorize(request.user, "conversations.view_conversation", application)
    form = AnswerForm(request.POST, prefix=f"answer-{clarification.pk}")
    if form.is_valid():
        try:
            services.answer_clarification(
                clarification=clarification, by=request.user, answer=form.cleaned_data["answer"]
            )
        except Refusal as refusal:
            form.add_error("answer", refusal.message)
        else:
            messages.success(request, "Answer sent. Readers of the application will see it beside what you submitted.")
            return redirect("conversations:conversation", application.pk)
    return _page(request, application, answer_forms={clarification.pk: form}, status=422)


@login_required
@require_POST
def share(request, pk):
    message = get_object_or_404(Message.objects.select_related("application"), pk=pk)
    shared = request.POST.get("shared") == "yes"
    services.share_with_readers(message=message, by=request.user, shared=shared)
    messages.success(request, "Shared with the application's readers." if shared else "No longer shared with readers.")
    return redirect("conversations:conversation", message.application_id)


@login_required
def message_file(request, pk):
    """A message's file, to those who may read the message: its thread's people, or readers when it is shared."""
    attached = get_object_or_404(MessageFile.objects.select_related("message__application__consortium"), pk=pk)
    message = attached.message
    perm = "conversations.use_staff_notes" if message.thread == T.STAFF else "conversations.view_conversation"
    if not (request.user.has_perm(perm, message.application) or _shared_with_reader(request.user, message)):
        authorize(request.user, perm, message.application)
    return stream(attached)


def _shared_with_reader(user, message: Message) -> bool:
    if not message.shared_with_readers:
        return False
    return any(
        user.has_perm("reviews.read_application", assignment)
        for assignment in Assignment.objects.filter(application_id=message.application_id, reader=user)
    )


@login_required
def inbox(request):
    form = PreferenceForm(
        request.POST or None,
        initial={"daily_digest": getattr(getattr(request.user, "message_preference", None), "daily_digest", False)},
    )
    if request.method == "POST" and form.is_valid():
        services.set_preference(user=request.user, daily_digest=form.cleaned_data["daily_digest"])
        messages.success(request, "Saved how you hear of new messages.")
        return redirect("conversations:inbox")
    return render(request, "conversations/inbox.html", {"entries": services.inbox(request.user), "form": form})
