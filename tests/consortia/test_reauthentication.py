"""Actions that move money or power ask for the password again when it was not entered in the last
CCPT_REAUTH_MINUTES: approving a funding plan, deciding a round with no awards, drawing on the set-aside, changing
a program's money, changing someone's roles. What was typed is never lost on the way."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from ccpt.audit.models import Event
from consortia.models import User
from consortia.roles import Role
from grants.awards.models import FundingPlan
from grants.awards.services.allocation import build_plan
from grants.programs.models import Program, Round
from grants.setaside.models import SetAsideEntry
from tests.factories import (
    PASSWORD,
    ConsortiumFactory,
    ContactFactory,
    FundingCategoryFactory,
    ProgramFactory,
    RoundFactory,
    UserFactory,
    code_of,
    ranked_application,
    submit,
    with_second_factor,
)
from tests.helpers import authenticated_minutes_ago, hidden_fields
from tests.programs.test_program_pages import _data, _saved_rows

pytestmark = pytest.mark.django_db
D = Decimal


def _plan():
    round_ = RoundFactory(funds_available=D("1000000.00"), status=Round.Status.IN_REVIEW, grant_years=4)
    category = FundingCategoryFactory(round=round_, maximum_award=D("600000.00"), planned_grants=2)
    for rank in (1, 2):
        ContactFactory(consortium=ranked_application(round_, category, rank, "400000.00").consortium)
    plan = FundingPlan.objects.create(round=round_, created_by=UserFactory(role=Role.PROGRAM_STAFF))
    build_plan(plan=plan)
    return {"plan": submit(plan)}


@dataclass(frozen=True)
class Guarded:
    role: str
    setup: Callable[[], dict]
    url: Callable[[dict], str]
    data: Callable[[dict], dict]
    outcome: Callable[[dict], object]  # what the action changes
    asks_on_get: bool = True

    def __str__(self):
        return self.url.__name__


GUARDED = {
    "approve a funding plan": Guarded(
        Role.ADMINISTRATOR,
        _plan,
        lambda w: reverse("awards:plan-approve", args=[w["plan"].pk]),
        lambda w: {"conditions": "Quarterly progress reports to CDE."},
        lambda w: FundingPlan.objects.get(pk=w["plan"].pk).status,
    ),
    "decide a round with no awards": Guarded(
        Role.ADMINISTRATOR,
        lambda: {"round": RoundFactory(status=Round.Status.IN_REVIEW)},
        lambda w: reverse("awards:decide-without-awards", args=[w["round"].pk]),
        lambda w: {"reason": "The board vetoed every award."},
        lambda w: Round.objects.get(pk=w["round"].pk).status,
        asks_on_get=False,  # POST only
    ),
    "draw on the set-aside": Guarded(
        Role.PROGRAM_STAFF,
        lambda: {"program": ProgramFactory(), "consortium": ConsortiumFactory()},
        lambda w: reverse("setaside:ledger", args=[w["program"].pk]),
        lambda w: {
            "kind": "planning_grant",
            "consortium": w["consortium"].pk,
            "amount": "$75,000.00",
            "description": "Planning year",
        },
        lambda w: list(SetAsideEntry.objects.values_list("amount", "description")),
        asks_on_get=False,  # reading the ledger needs no password
    ),
    "change a program's set-aside": Guarded(
        Role.ADMINISTRATOR,
        lambda: {"program": ProgramFactory()},
        lambda w: reverse("programs:program-edit", args=[w["program"].pk]),
        lambda w: _data(rows=_saved_rows(w["program"]), set_aside_percent="0.5"),
        lambda w: Program.objects.get(pk=w["program"].pk).set_aside_percent,
    ),
    "change someone's roles": Guarded(
        Role.ADMINISTRATOR,
        lambda: {"person": UserFactory(role=Role.READER)},
        lambda w: reverse("consortia:person-roles", args=[w["person"].pk]),
        lambda w: {"roles": [Role.READER, Role.PROGRAM_STAFF], "active": "on", "reason": "Joined the team."},
        lambda w: sorted(User.objects.get(pk=w["person"].pk).groups.values_list("name", flat=True)),
    ),
}
ASKING_ON_GET = {name: guarded for name, guarded in GUARDED.items() if guarded.asks_on_get}


@pytest.fixture(params=GUARDED)
def guarded(request):
    return GUARDED[request.param]


def _signed_in(client, guarded: Guarded, minutes_ago: float = 20):
    """The person who may act, signed in, whose password was last checked `minutes_ago`."""
    person = UserFactory(role=guarded.role)
    client.force_login(person)
    authenticated_minutes_ago(client, minutes_ago)
    return person


def _authenticated_at(client) -> datetime:
    return datetime.fromisoformat(client.session["authenticated_at"])


def test_a_stale_post_asks_for_the_password_and_changes_nothing(client, guarded):
    world = guarded.setup()
    _signed_in(client, guarded)
    before = guarded.outcome(world)

    response = client.post(guarded.url(world), guarded.data(world))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Confirm it’s you" in html
    assert 'name="reauth-password"' in html
    assert guarded.outcome(world) == before


def test_the_right_password_carries_what_was_posted_through(client, guarded):
    world = guarded.setup()
    person = _signed_in(client, guarded)
    before = guarded.outcome(world)
    confirm = client.post(guarded.url(world), guarded.data(world)).content.decode()
    carried = hidden_fields(confirm)

    response = client.post(guarded.url(world), {**carried, "reauth-password": PASSWORD})

    assert response.status_code == 302
    assert guarded.outcome(world) != before
    assert (timezone.now() - _authenticated_at(client)).total_seconds() < 60
    assert Event.objects.filter(action=Event.Action.REAUTHENTICATED, actor=person).count() == 1


def test_a_wrong_password_is_refused_and_keeps_every_field(client, guarded):
    world = guarded.setup()
    person = _signed_in(client, guarded)
    before = guarded.outcome(world)
    carried = hidden_fields(client.post(guarded.url(world), guarded.data(world)).content.decode())

    response = client.post(guarded.url(world), {**carried, "reauth-password": "not-my-password"})

    html = response.content.decode()
    assert "That password is not right. Nothing you entered was lost; try again." in html
    assert hidden_fields(html) == carried
    assert guarded.outcome(world) == before
    failure = Event.objects.get(action=Event.Action.REAUTHENTICATION_FAILED)
    assert failure.actor == person and "Wrong password" in failure.summary


def test_the_confirm_page_carries_every_posted_value(client, guarded):
    world = guarded.setup()
    _signed_in(client, guarded)
    posted = guarded.data(world)

    carried = hidden_fields(client.post(guarded.url(world), posted).content.decode())

    expected = {
        name: [str(v) for v in (value if isinstance(value, list) else [value])] for name, value in posted.items()
    }
    assert carried == {**expected, "reauth-continue": ["1"]}


def test_within_the_limit_the_action_needs_no_password(client, guarded):
    world = guarded.setup()
    _signed_in(client, guarded, minutes_ago=14)
    before = guarded.outcome(world)

    response = client.post(guarded.url(world), guarded.data(world))

    assert response.status_code == 302
    assert guarded.outcome(world) != before


@pytest.mark.parametrize("guarded", ASKING_ON_GET.values(), ids=ASKING_ON_GET.keys())
def test_a_stale_page_sends_to_confirm_and_back(client, guarded):
    world = guarded.setup()
    _signed_in(client, guarded)
    url = guarded.url(world)

    asked = client.get(url)
    assert asked.status_code == 302 and asked.url.startswith(reverse("confirm-identity"))
    page = client.get(asked.url).content.decode()
    assert "Confirm it’s you" in page
    back = client.post(asked.url.split("?")[0], {**hidden_fields(page), "reauth-password": PASSWORD})

    assert back.status_code == 302 and back.url == url
    assert client.get(url).status_code == 200


def test_the_confirm_page_says_what_is_being_confirmed(client):
    guarded = GUARDED["approve a funding plan"]
    world = guarded.setup()
    _signed_in(client, guarded)

    page = client.get(client.get(guarded.url(world)).url).content.decode()

    assert "To approve a funding plan, enter your password again." in page


def test_the_set_aside_ledger_is_read_without_a_password(client):
    guarded = GUARDED["draw on the set-aside"]
    world = guarded.setup()
    _signed_in(client, guarded)

    assert client.get(guarded.url(world)).status_code == 200


def test_a_session_with_no_recorded_check_is_asked(client):
    guarded = GUARDED["change someone's roles"]
    world = guarded.setup()
    _signed_in(client, guarded)
    session = client.session
    del session["authenticated_at"]
    session.save()

    assert client.get(guarded.url(world)).url.startswith(reverse("confirm-identity"))


def test_the_limit_is_the_ccpt_reauth_minutes_setting(client, settings):
    settings.CCPT_REAUTH_MINUTES = 5
    guarded = GUARDED["change someone's roles"]
    world = guarded.setup()
    _signed_in(client, guarded, minutes_ago=6)

    assert client.get(guarded.url(world)).status_code == 302


def test_the_confirm_page_never_sends_anyone_to_another_site(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    authenticated_minutes_ago(client, 20)

    response = client.post(
        reverse("confirm-identity"), {"next": "https://evil.example.com/", "reauth-password": PASSWORD}
    )

    assert response.url == reverse("dashboard")


def test_wrong_passwords_here_count_towards_the_sign_in_lock(client):
    guarded = GUARDED["change someone's roles"]
    world = guarded.setup()
    person = _signed_in(client, guarded)
    for _ in range(2):
        client.post(guarded.url(world), {**guarded.data(world), "reauth-continue": "1", "reauth-password": "wrong"})

    assert sum(AccessAttempt.objects.filter(username=person.email).values_list("failures_since_start", flat=True)) == 2


def _with_second_factor(client, guarded, world):
    """An administrator with an authenticator, signed in with both steps 20 minutes ago, who has just posted; the
    confirm page's HTML, and the authenticator."""
    administrator = UserFactory(role=Role.ADMINISTRATOR)
    device = with_second_factor(administrator)
    client.force_login(administrator)
    client.post(reverse("accounts:verify"), {"code": code_of(device)})
    authenticated_minutes_ago(client, 20)
    return client.post(guarded.url(world), guarded.data(world)).content.decode(), device


def test_a_person_with_a_second_factor_confirms_with_a_code(client):
    guarded = GUARDED["change someone's roles"]
    world = guarded.setup()
    confirm, device = _with_second_factor(client, guarded, world)
    assert 'name="reauth-code"' in confirm and 'name="reauth-password"' not in confirm

    response = client.post(guarded.url(world), {**hidden_fields(confirm), "reauth-code": code_of(device, 1)})

    assert response.status_code == 302
    assert guarded.outcome(world) == sorted([Role.PROGRAM_STAFF, Role.READER])
    assert Event.objects.filter(action=Event.Action.REAUTHENTICATED, summary__contains="authentication code").exists()


def test_a_wrong_code_is_refused_and_keeps_every_field(client):
    guarded = GUARDED["change someone's roles"]
    world = guarded.setup()
    confirm, _device = _with_second_factor(client, guarded, world)

    response = client.post(guarded.url(world), {**hidden_fields(confirm), "reauth-code": "000000"})

    html = response.content.decode()
    assert "That code is not right." in html
    assert hidden_fields(html) == hidden_fields(confirm)
    assert guarded.outcome(world) == [Role.READER]
    assert Event.objects.filter(action=Event.Action.REAUTHENTICATION_FAILED).count() == 1


def test_someone_who_may_not_act_is_refused_after_confirming(client):
    guarded = GUARDED["change someone's roles"]
    world = guarded.setup()
    staff = UserFactory(role=Role.PROGRAM_STAFF)
    client.force_login(staff)
    authenticated_minutes_ago(client, 20)
    confirm = client.post(guarded.url(world), guarded.data(world)).content.decode()

    response = client.post(guarded.url(world), {**hidden_fields(confirm), "reauth-password": PASSWORD})

    assert response.status_code == 403
    assert guarded.outcome(world) == [Role.READER]
    assert not Group.objects.get(name=Role.PROGRAM_STAFF).user_set.filter(pk=world["person"].pk).exists()
