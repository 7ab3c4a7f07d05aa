from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from consortia.models import Consortium, Contact, User
from grants import demo
from grants.awards.models import Award
from grants.payments.models import Payment
from grants.programs.models import Appropriation, Program, Round
from grants.reporting.models import IndicatorVersion, ProgressReport
from grants.reporting.standard import STANDARD

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        "consortia": Consortium.objects.count(),
        "rounds": Round.objects.count(),
        "users": User.objects.count(),
        "appropriations": Appropriation.objects.count(),
        "contacts": Contact.objects.count(),
        "indicators": IndicatorVersion.objects.count(),
        "awards": Award.objects.count(),
        "reports": ProgressReport.objects.filter(status="accepted").count(),
        "payments": Payment.objects.filter(status="paid").count(),
    }


def test_loading_the_demo_twice_gives_the_same_data():
    load()
    first = counts()
    load()

    assert counts() == first
    assert first == {
        "consortia": 12,
        "rounds": 2,
        # The five demo logins, and the lead agency staff of the seven round 1 consortia besides CRANE, who filed
        # their reports and cannot sign in.
        "users": 12,
        "appropriations": 2,
        "contacts": 9,  # those seven, CRANE's lead (the demo applicant) and its data manager
        "indicators": len(STANDARD),  # the program's shared indicators, at version 1
        "awards": 8,  # round 1's known awards (grantees.csv)
        "reports": 32,  # four years of annual reports each, accepted
        "payments": 32,  # four instalments each, paid
    }


def test_the_demo_program_has_500_million_with_a_one_percent_set_aside():
    load()
    load()

    program = Program.objects.get()
    assert program.total_appropriated == Decimal("500000000.00")
    assert program.set_aside_amount == Decimal("5000000.00")


@pytest.mark.parametrize("email", [user[0] for user in demo.DEMO_USERS])
def test_each_demo_user_signs_in_with_the_demo_password_and_reaches_their_pages(client, email):
    load()

    response = client.post("/accounts/login/", {"username": email, "password": demo.DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/consortia/").status_code == 200


def test_the_command_prints_every_demo_login_and_the_password():
    output = load()

    assert "Demo data ready: 12 consortia, 2 rounds" in output
    assert demo.DEMO_PASSWORD in output
    for email, *_ in demo.DEMO_USERS:
        assert email in output


def test_the_demo_applicant_is_the_lead_contact_of_crane():
    load()

    contact = Contact.objects.get(user__email="applicant@example.org")
    assert contact.role == Contact.Role.LEAD
    assert "(CRANE)" in contact.consortium.name
