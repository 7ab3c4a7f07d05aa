"""The frozen snapshot: what it holds, its checksum, and that later changes never reach it."""

import hashlib
import json

import pytest
from django.utils import timezone

from grants.applications.models import Application, Submission
from grants.applications.services import snapshot
from grants.applications.services import submission as service
from tests.factories import AttachmentFactory, lead_of, submittable_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    application = submittable_application()
    partner = application.partners.get()
    partner.letter = AttachmentFactory(application=application, original_name="letter.pdf")
    partner.save()
    return application


def submit(application, now=None):
    return service.submit_application(application=application, by=lead_of(application), now=now)


def test_it_records_the_whole_application(application):
    now = timezone.now()
    data = submit(application, now=now).data

    assert data["application"]["number"] == application.number
    assert data["round"]["name"] == application.round.name
    assert data["round"]["fiscal_years"] == application.round.fiscal_years
    assert data["category"] == {
        "id": application.category.pk,
        "name": application.category.name,
        "maximum_award": "1000000.00",
    }
    consortium = data["consortium"]
    assert consortium["name"] == application.consortium.name
    assert consortium["lead_agency"]["name"] == application.consortium.lead_agency.name
    assert {m["kind"] for m in consortium["members"]} == {"county_office", "business"}
    assert data["summary"]["title"] == "Capital Region Health Pathways"
    assert data["target_group"]["students_served"] == 400
    assert data["need"]["labor_market"] == "The four-county Sacramento labor market."
    assert data["programs"][0]["students_by_year"][0] == {"fiscal_year": "2026-27", "students": 120}
    assert data["requested_amount"] == "500000.00"
    assert data["submitted_at"] == now.isoformat()


def test_it_records_partners_with_their_resources_and_letter(application):
    partner = submit(application).data["partners"][0]

    assert partner["organization"]["kind"] == "business"
    assert partner["resources"] == [
        {
            "fiscal_year": "2026-27",
            "kind": "cash",
            "kind_label": "Cash",
            "amount": "50000.00",
            "description": "Lab space",
        }
    ]
    assert partner["committed_total"] == "50000.00"
    assert partner["letter"]["name"] == "letter.pdf"
    assert len(partner["letter"]["sha256"]) == 64


def test_it_records_the_budget_grid_and_narratives(application):
    budget = submit(application).data["budget"]

    assert budget["fiscal_years"] == ["2026-27", "2027-28"]
    salaries = next(row for row in budget["rows"] if row["object_code"] == "1000")
    assert salaries["amounts"] == ["200000.00", "200000.00"]
    assert salaries["total"] == "400000.00"
    assert budget["year_totals"] == ["250000.00", "250000.00"]
    assert budget["total"] == "500000.00"
    assert budget["narratives"][1] == {
        "fiscal_year": "2027-28",
        "text": "Pathway coordinators, curriculum and lab equipment.",
    }


def test_it_records_each_narrative_with_its_criterion_name(application):
    narratives = submit(application).data["narratives"]

    assert [n["criterion"] for n in narratives] == ["Need and regional labor market", "Programs of study"]
    assert narratives[0]["text"] == "Our answer to “Need and regional labor market”: café-level détail."


def test_it_records_attachment_metadata_with_the_sha256(application):
    files = submit(application).data["attachments"]
    stored = {a.pk: a for a in application.attachments.all()}

    assert len(files) == 2
    for entry in files:
        assert entry["sha256"] == stored[entry["id"]].sha256
        assert entry["size"] == stored[entry["id"]].size
    required = next(f for f in files if f["required_attachment"])
    assert required["required_attachment"] == "Consortium agreement (signed)"


def test_the_checksum_verifies_against_the_stored_data(application):
    submission = submit(application)
    stored = Submission.objects.get(pk=submission.pk)  # read back from the database

    canonical = json.dumps(stored.data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    assert hashlib.sha256(canonical.encode("utf-8")).hexdigest() == stored.checksum
    assert snapshot.verify(stored)


def test_a_tampered_snapshot_no_longer_verifies(application):
    submission = submit(application)
    data = submission.data
    data["requested_amount"] = "999999.00"
    Submission.objects.filter(pk=submission.pk).update(data=data)

    assert not snapshot.verify(Submission.objects.get(pk=submission.pk))


def test_later_changes_to_the_draft_do_not_reach_the_snapshot(application, staff_user):
    submission = submit(application)
    service.reopen_application(application=application, by=staff_user, reason="Fix the title.")
    Application.objects.filter(pk=application.pk).update(title="A different title")

    submission.refresh_from_db()
    assert submission.data["summary"]["title"] == "Capital Region Health Pathways"
    assert snapshot.verify(submission)
