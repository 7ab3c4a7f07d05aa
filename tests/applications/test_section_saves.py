from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortia.models import Membership, Organization
from grants.applications.models import (
    BudgetItem,
    CommittedResource,
    NarrativeResponse,
    PartnerCommitment,
    ProgramOfStudy,
)
from tests.factories import (
    SMALL_PDF,
    CriterionFactory,
    MembershipFactory,
    OrganizationFactory,
)
from tests.helpers import post_section

pytestmark = pytest.mark.django_db


def save(client, application, section, data, **files):
    return post_section(client, application, section, {**data, **files})


def management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial}


def test_the_overall_summary_saves_and_records_who_saved_it(client, application, editor):
    response = save(client, application, "summary", {"title": "Pathways to Health", "summary": "Grades 9-14."})

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.title, application.summary) == ("Pathways to Health", "Grades 9-14.")
    assert application.section_version("summary") == 1
    assert application.section_versions["summary"]["by"] == str(editor)
    assert "Last saved by" in client.get(response.url).content.decode()


def test_the_target_group_saves(client, application, editor):
    data = {"target_group": "Students at 12 high schools.", "grades_served": "9-14", "students_served": "1200"}

    assert save(client, application, "target_group", data).status_code == 302

    application.refresh_from_db()
    assert (application.target_group, application.grades_served, application.students_served) == (
        "Students at 12 high schools.",
        "9-14",
        1200,
    )


def test_the_statement_of_need_saves(client, application, editor):
    data = {"need_statement": "Hospitals lack technicians.", "labor_market": "Sacramento region."}

    assert save(client, application, "need", data).status_code == 302

    application.refresh_from_db()
    assert application.need_statement == "Hospitals lack technicians."
    assert application.labor_market == "Sacramento region."


def program_data(index, **values):
    fields = {
        "name": "Allied Health",
        "sector": "health",
        "k12_sequence": "Biology\nHealth Science I",
        "postsecondary_sequence": "EMT certificate",
        "dual_enrollment": "on",
        "articulation": "EMT 100 articulated",
        "work_based_learning": "Clinical internships",
        "student_internships": "on",
        "students_2026-27": "120",
        "students_2027-28": "150",
        **values,
    }
    return {f"programs-{index}-{key}": value for key, value in fields.items() if value is not None}


def test_programs_of_study_save_with_students_per_fiscal_year(client, application, editor):
    data = {**management("programs", 2), **program_data(0), **program_data(1, name="Clean Energy", sector="energy")}

    assert save(client, application, "programs", data).status_code == 302

    first, second = ProgramOfStudy.objects.filter(application=application)
    assert (first.name, first.sector, first.position) == ("Allied Health", "health", 0)
    assert first.students_by_year == {"2026-27": 120, "2027-28": 150}
    assert first.dual_enrollment and first.student_internships and not first.teacher_internships
    assert first.k12_sequence == "Biology\nHealth Science I"
    assert (second.name, second.sector) == ("Clean Energy", "energy")


def test_a_program_can_be_changed_and_another_removed(client, application, editor):
    save(client, application, "programs", {**management("programs", 2), **program_data(0), **program_data(1)})
    first, second = ProgramOfStudy.objects.filter(application=application)

    data = {
        **management("programs", 3, initial=2),
        **program_data(0, id=first.pk, name="Allied Health Careers"),
        **program_data(1, id=second.pk, DELETE="on"),
        **{"programs-2-name": "", "programs-2-sector": ""},  # the blank worksheet, left empty
    }
    assert save(client, application, "programs", data).status_code == 302

    assert list(ProgramOfStudy.objects.filter(application=application).values_list("name", flat=True)) == [
        "Allied Health Careers"
    ]


def partner_data(index, organization, **values):
    fields = {
        "organization": organization.pk,
        "role": "business",
        "responsibilities": "Hosts 20 interns a year.",
        "cash_2026-27": "$10,000",
        "cash_note_2026-27": "Intern wages",
        "in_kind_2027-28": "2500.50",
        "in_kind_note_2027-28": "Mentor time",
        **values,
    }
    return {f"partners-{index}-{key}": value for key, value in fields.items() if value is not None}


def test_partners_save_with_their_committed_resources_and_letter(client, application, editor):
    business = MembershipFactory(
        consortium=application.consortium, organization=OrganizationFactory(kind=Organization.Kind.BUSINESS)
    ).organization
    letter = SimpleUploadedFile("commitment.pdf", SMALL_PDF, content_type="application/pdf")

    response = save(
        client,
        application,
        "partners",
        {**management("partners", 1), **partner_data(0, business)},
        **{"partners-0-letter_upload": letter},
    )

    assert response.status_code == 302
    partner = PartnerCommitment.objects.get(application=application)
    assert (partner.organization, partner.role) == (business, Membership.Role.BUSINESS)
    assert partner.letter.original_name == "commitment.pdf"
    assert partner.letter.content_type == "application/pdf"
    assert partner.letter.uploaded_by == editor
    resources = {(r.fiscal_year, r.kind): (r.amount, r.description) for r in CommittedResource.objects.all()}
    assert resources == {
        ("2026-27", "cash"): (Decimal("10000.00"), "Intern wages"),
        ("2027-28", "in_kind"): (Decimal("2500.50"), "Mentor time"),
    }


def test_a_partner_without_a_role_takes_its_role_in_the_consortium(client, application, editor):
    college = MembershipFactory(
        consortium=application.consortium, organization=OrganizationFactory(kind=Organization.Kind.COMMUNITY_COLLEGE)
    ).organization

    save(client, application, "partners", {**management("partners", 1), **partner_data(0, college, role="")})

    assert PartnerCommitment.objects.get().role == Membership.Role.POSTSECONDARY


def test_the_budget_saves_its_grid_narratives_and_requested_amount(client, application, editor):
    data = {
        "amount_1000_2026-27": "100,000",
        "amount_1000_2027-28": "$110,000.50",
        "amount_4000_2026-27": "2500",
        "narrative_2026-27": "Two pathway coordinators.",
        "narrative_2027-28": "Coordinators and supplies.",
    }

    assert save(client, application, "budget", data).status_code == 302

    application.refresh_from_db()
    cells = {(i.object_code, i.fiscal_year): i.amount for i in BudgetItem.objects.filter(application=application)}
    assert cells == {
        ("1000", "2026-27"): Decimal("100000.00"),
        ("1000", "2027-28"): Decimal("110000.50"),
        ("4000", "2026-27"): Decimal("2500.00"),
    }
    assert application.requested_amount == Decimal("212500.50")
    assert application.budget_narratives == {
        "2026-27": "Two pathway coordinators.",
        "2027-28": "Coordinators and supplies.",
    }


def test_narrative_responses_save_one_per_criterion(client, application, editor):
    need, partnerships = CriterionFactory(round=application.round), CriterionFactory(round=application.round)

    data = {f"criterion_{need.pk}": "Our region needs nurses.", f"criterion_{partnerships.pk}": "Twelve partners."}
    assert save(client, application, "narratives", data).status_code == 302

    texts = dict(NarrativeResponse.objects.filter(application=application).values_list("criterion_id", "text"))
    assert texts == {need.pk: "Our region needs nurses.", partnerships.pk: "Twelve partners."}


def test_each_section_page_shows_what_was_saved(client, application, editor):
    save(client, application, "summary", {"title": "Pathways to Health", "summary": "Grades 9-14."})
    save(client, application, "budget", {"amount_2000_2026-27": "42000"})

    summary = client.get(reverse("applications:application-section", args=[application.pk, "summary"])).content.decode()
    budget = client.get(reverse("applications:application-section", args=[application.pk, "budget"])).content.decode()

    assert 'value="Pathways to Health"' in summary
    assert 'value="42,000.00"' in budget  # saved money comes back as people write it
