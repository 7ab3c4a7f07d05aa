"""The consortium's lead contact reports what was spent in a fiscal year by budget category; the page shows the
approved budget, spent and variance per category and in total; program staff accept the report or return it with a
comment."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from consortia.models import Contact
from grants.models import StatusChange
from grants.payments.models import ExpenditureReport
from grants.payments.services.expenditures import decide_report, save_expenditures, submit_report, variance
from tests.factories import contact_of

pytestmark = pytest.mark.django_db
SPENT = {"1000": "41000", "2000": "15000", "3000": "10000", "4000": "0", "5000": "20000.50", "6000": "0", "7000": "0"}


def url(award, year="2014-15"):
    return reverse("payments:expenditures", args=[award.pk, year])


def test_the_lead_contact_enters_and_submits_and_sees_the_variance(client, award, budget, lead):
    client.force_login(lead)

    page = client.post(url(award), {**SPENT, "submit": "1"}, follow=True).content.decode()

    report = ExpenditureReport.objects.get(award=award, fiscal_year="2014-15")
    assert (report.status, report.submitted_by) == ("submitted", lead)
    assert "The 2014-15 expenditure report is submitted to program staff." in page
    # 1000: budget $40,000, spent $41,000: over by $1,000
    assert (
        '1000 Certificated salaries</th><td class="text-end">$40,000.00</td><td class="text-end">$41,000.00</td>'
        in page
    )
    assert '<td class="text-end">-$1,000.00</td><td class="text-end">102.5%</td>' in page
    assert "Save and submit" not in page  # no longer open to changes


def test_variance_per_category_and_in_total(award, budget, lead):
    report = save_expenditures(
        award=award, fiscal_year="2014-15", amounts={k: Decimal(v) for k, v in SPENT.items()}, by=lead
    )

    rows, total = variance(award, "2014-15", report)

    by_code = {row.object_code: (row.budget, row.spent, row.variance) for row in rows}
    assert by_code["2000"] == (Decimal("20000.00"), Decimal("15000.00"), Decimal("5000.00"))
    assert by_code["6000"] == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
    assert (total.budget, total.spent, total.variance) == (
        Decimal("100000.00"),
        Decimal("86000.50"),
        Decimal("13999.50"),
    )


def test_staff_return_it_with_a_comment_then_accept_the_corrected_one(client, award, budget, lead, staff_user):
    report = save_expenditures(award=award, fiscal_year="2014-15", amounts={"1000": Decimal("1")}, by=lead)
    submit_report(report=report, by=lead)
    client.force_login(staff_user)

    empty = client.post(url(award), {"decide": "1", "decision": "refuse", "comment": ""}).content.decode()
    assert "Say what the consortium should change" in empty
    client.post(url(award), {"decide": "1", "decision": "refuse", "comment": "Salaries are missing."})
    report.refresh_from_db()
    assert (report.status, report.comment, report.decided_by) == ("returned", "Salaries are missing.", staff_user)

    save_expenditures(award=award, fiscal_year="2014-15", amounts={"1000": Decimal("40000")}, by=lead)
    submit_report(report=report, by=lead)
    decide_report(report=report, by=staff_user, accept=True)

    report.refresh_from_db()
    assert report.status == "accepted"
    assert list(
        StatusChange.objects.filter(object_id=report.pk, content_type__model="expenditurereport").values_list(
            "to_status", flat=True
        )
    ) == ["draft", "submitted", "returned", "submitted", "accepted"]


def test_a_submitted_report_cannot_be_changed_by_the_consortium(award, lead):
    report = save_expenditures(award=award, fiscal_year="2014-15", amounts={"1000": Decimal("1")}, by=lead)
    submit_report(report=report, by=lead)

    with pytest.raises(Refusal, match="is submitted: it cannot be changed now"):
        save_expenditures(award=award, fiscal_year="2014-15", amounts={"1000": Decimal("2")}, by=lead)


def test_a_partner_contact_reads_but_does_not_file(client, award, budget):
    partner = contact_of(award.consortium, role=Contact.Role.PARTNER)
    client.force_login(partner)

    assert client.get(url(award)).status_code == 200
    assert client.post(url(award), {**SPENT, "submit": "1"}).status_code == 403
    with pytest.raises(PermissionDenied):
        save_expenditures(award=award, fiscal_year="2014-15", amounts={"1000": Decimal("1")}, by=partner)
    assert not ExpenditureReport.objects.exists()


def test_a_year_outside_the_grant_period_is_not_found(client, award, lead):
    client.force_login(lead)

    assert client.get(url(award, "2019-20")).status_code == 404


def test_a_negative_amount_is_refused_next_to_its_field(client, award, lead):
    client.force_login(lead)

    page = client.post(url(award), {**SPENT, "3000": "-5", "save": "1"}).content.decode()

    assert "Enter an amount of $0 or more." in page
    assert not ExpenditureReport.objects.exists()
