"""Separation of duties: an administrator, or a superuser, never acts as an applicant or as a reader.

Every applicant and reader action is tried as each of them, through its page (refused, nothing changed) and
through `user.has_perm`. The administrator is tried twice: as such, and also listed as the consortium's lead
contact and given the reader's assignments, which would let anyone else act.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortia.models import Contact, User
from consortia.roles import Role
from grants.applications.models import Application, Attachment, LetterOfIntent
from grants.awards.models import Award
from grants.reviews.models import Assignment, Conflict, Review
from tests.factories import (
    SMALL_PDF,
    AssignmentFactory,
    AttachmentFactory,
    AwardFactory,
    ContactFactory,
    ReviewFactory,
    SubmittedApplicationFactory,
    UserFactory,
    submittable_application,
)
from tests.helpers import post_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    draft = submittable_application()
    consortium = draft.consortium
    submitted = SubmittedApplicationFactory(consortium=consortium)
    attested = ReviewFactory().assignment
    return {
        "draft": draft,
        "file": draft.attachments.get(),
        "submitted": submitted,
        "consortium": consortium,
        "award": AwardFactory(application__consortium=consortium),
        "new_assignment": AssignmentFactory(),
        "attested": attested,
        "review": attested.review,
        "reader_file": AttachmentFactory(application=attested.application),
    }


def _administrator(world) -> User:
    return UserFactory(role=Role.ADMINISTRATOR)


def _administrator_as_contact_and_reader(world) -> User:
    user = UserFactory(role=Role.ADMINISTRATOR)
    ContactFactory(consortium=world["consortium"], user=user, role=Contact.Role.LEAD)
    user.groups.add(Group.objects.get(name=Role.READER))
    Assignment.objects.filter(pk__in=[world["new_assignment"].pk, world["attested"].pk]).update(reader=user)
    for key in ("new_assignment", "attested"):
        world[key].refresh_from_db()
    world["review"].refresh_from_db()
    return user


def _superuser(world) -> User:
    return User.objects.create_superuser(email="back-office@example.org", password=None)


ACTORS = {
    "administrator": _administrator,
    "administrator who is also lead contact and reader": _administrator_as_contact_and_reader,
    "superuser": _superuser,
}


@pytest.fixture(params=ACTORS)
def actor(request, world):
    return User.objects.get(pk=ACTORS[request.param](world).pk)


@dataclass(frozen=True)
class Action:
    perm: str
    obj: Callable
    request: Callable  # (client, world) -> response
    state: Callable  # (world) -> what must not change

    def __str__(self):
        return self.perm


def _upload(client, w):
    upload = SimpleUploadedFile("budget.pdf", SMALL_PDF, content_type="application/pdf")
    return client.post(reverse("applications:attachment-upload", args=[w["draft"].pk]), {"file": upload})


def _start(client, w):
    data = {"consortium": w["consortium"].pk, "round": w["draft"].round.pk, "category": w["draft"].category.pk}
    return client.post(reverse("applications:application-start"), data)


def _applications(w):
    return sorted(Application.objects.filter(consortium=w["consortium"]).values_list("pk", "status", "title"))


def _assignments(w):
    return sorted(Assignment.objects.values_list("pk", "status", "reader_id"))


def _reviews(w):
    return sorted(Review.objects.values_list("pk", "status", "submitted_at")), Conflict.objects.count()


ACTIONS = {
    "edit a draft's section": Action(
        "applications.change_application",
        lambda w: w["draft"],
        lambda c, w: post_section(c, w["draft"], "summary", {"title": "Changed", "summary": "Changed."}),
        _applications,
    ),
    "upload a file to a draft": Action(
        "applications.change_application",
        lambda w: w["draft"],
        _upload,
        lambda w: sorted(Attachment.objects.values_list("pk", "original_name")),
    ),
    "delete a draft's file": Action(
        "applications.change_application",
        lambda w: w["draft"],
        lambda c, w: c.post(reverse("applications:attachment-delete", args=[w["draft"].pk, w["file"].pk])),
        lambda w: sorted(Attachment.objects.values_list("pk", "original_name")),
    ),
    "submit a draft": Action(
        "applications.submit_application",
        lambda w: w["draft"],
        lambda c, w: c.post(reverse("applications:application-submit", args=[w["draft"].pk]), {"confirm": "on"}),
        _applications,
    ),
    "withdraw an application": Action(
        "applications.withdraw_application",
        lambda w: w["submitted"],
        lambda c, w: c.post(reverse("applications:application-withdraw", args=[w["submitted"].pk]), {"reason": "x"}),
        _applications,
    ),
    "start an application": Action("applications.start_application", lambda w: w["consortium"], _start, _applications),
    "file a letter of intent": Action(
        "applications.file_letter_of_intent",
        lambda w: w["consortium"],
        lambda c, w: c.post(
            reverse("applications:letter-of-intent", args=[w["draft"].round.pk]), {"consortium": w["consortium"].pk}
        ),
        lambda w: LetterOfIntent.objects.count(),
    ),
    "accept an award": Action(
        "awards.respond_to_award",
        lambda w: w["award"],
        lambda c, w: c.post(reverse("awards:award-respond", args=[w["award"].pk]), {"decision": "accept"}),
        lambda w: Award.objects.values_list("status", "responded_by").get(pk=w["award"].pk),
    ),
    "attest no conflict": Action(
        "reviews.attest_assignment",
        lambda w: w["new_assignment"],
        lambda c, w: c.post(reverse("reviews:review-attest", args=[w["new_assignment"].pk]), {"no_conflict": "on"}),
        _assignments,
    ),
    "declare a conflict": Action(
        "reviews.attest_assignment",
        lambda w: w["new_assignment"],
        lambda c, w: c.post(reverse("reviews:review-conflict", args=[w["new_assignment"].pk]), {"reason": "Mine."}),
        lambda w: (_assignments(w), _reviews(w)),
    ),
    "score and submit a review": Action(
        "reviews.submit_review",
        lambda w: w["review"],
        lambda c, w: c.post(reverse("reviews:review", args=[w["attested"].pk]), {"submit": "1"}),
        _reviews,
    ),
    "read an assigned application's file": Action(
        "reviews.read_application",
        lambda w: w["attested"],
        lambda c, w: c.get(reverse("reviews:attachment", args=[w["attested"].pk, w["reader_file"].pk])),
        lambda w: None,
    ),
}


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_the_page_refuses_them_and_changes_nothing(client, world, actor, action):
    client.force_login(actor)
    before = action.state(world)

    response = action.request(client, world)

    assert response.status_code in (403, 404)
    assert action.state(world) == before


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_the_rules_refuse_them(world, actor, action):
    assert not actor.has_perm(action.perm, action.obj(world))


@pytest.mark.parametrize("action", ACTIONS.values(), ids=ACTIONS.keys())
def test_the_same_person_without_the_administrator_role_could_act(world, action):
    """The refusals above come from being an administrator, not from a world where nobody could act."""
    person = _administrator_as_contact_and_reader(world)
    person.groups.remove(Group.objects.get(name=Role.ADMINISTRATOR))
    person = User.objects.get(pk=person.pk)

    assert person.has_perm(action.perm, action.obj(world))


def test_administrators_still_do_what_program_staff_do(world):
    administrator = _administrator(world)

    assert administrator.has_perm("applications.view_application", world["draft"])
    assert administrator.has_perm("applications.reopen_application", world["submitted"])
    assert administrator.has_perm("reviews.manage_assignments", world["draft"].round)
    assert administrator.has_perm("awards.manage_award", world["award"])
    assert administrator.has_perm("awards.approve_plan")


def test_a_superuser_is_refused_the_staff_and_administrator_rules_too(world):
    superuser = _superuser(world)

    assert not superuser.has_perm("applications.view_application", world["draft"])
    assert not superuser.has_perm("awards.approve_plan")
    assert not superuser.has_perm("consortia.manage_people")


def test_a_deactivated_lead_contact_may_do_nothing(world):
    lead = world["consortium"].contacts.get(role=Contact.Role.LEAD).user
    lead.is_active = False
    lead.save()

    assert not User.objects.get(pk=lead.pk).has_perm("applications.change_application", world["draft"])
