import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from consortia.models import Organization
from grants.applications.models import Attachment, PartnerCommitment
from tests.factories import SMALL_PDF, MembershipFactory, OrganizationFactory, contact_of
from tests.helpers import post_section, section_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(application):
    organization = OrganizationFactory(name="Capital Valley Health Partners", kind=Organization.Kind.BUSINESS)
    return MembershipFactory(consortium=application.consortium, organization=organization).organization


@pytest.fixture
def client(client, application):
    client.force_login(contact_of(application.consortium))
    return client


def save(client, application, rows, files=None):
    data = {"partners-TOTAL_FORMS": len(rows), "partners-INITIAL_FORMS": 0}
    for index, row in enumerate(rows):
        data.update({f"partners-{index}-{key}": value for key, value in row.items()})
    return post_section(client, application, "partners", {**data, **(files or {})})


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_only_the_consortiums_member_organizations_are_offered(client, application, member):
    outsider = OrganizationFactory(name="Unrelated Widgets Inc")

    page = client.get(section_url(application, "partners")).content.decode()

    assert "Capital Valley Health Partners" in page
    assert str(application.consortium.lead_agency) in page
    assert outsider.name not in page


def test_an_organization_outside_the_consortium_is_refused(client, application, member):
    outsider = OrganizationFactory(name="Unrelated Widgets Inc", kind=Organization.Kind.BUSINESS)

    response = save(client, application, [{"organization": outsider.pk, "responsibilities": "Interns"}])

    assert response.status_code == 200
    assert "Choose one of the consortium&#x27;s member organizations" in response.content.decode()
    assert not PartnerCommitment.objects.exists()


def test_a_partner_listed_twice_is_refused(client, application, member):
    row = {"organization": member.pk, "responsibilities": "Interns"}

    response = save(client, application, [row, row])

    assert "is listed more than once" in response.content.decode()
    assert not PartnerCommitment.objects.exists()


def test_a_letter_that_is_not_a_document_is_refused_on_its_field(client, application, member):
    fake = SimpleUploadedFile("letter.pdf", b"just some text, not a PDF at all", content_type="application/pdf")

    response = save(
        client,
        application,
        [{"organization": member.pk, "responsibilities": "Interns"}],
        {"partners-0-letter_upload": fake},
    )

    page = response.content.decode()
    assert response.status_code == 200
    error_block = page.split('id="id_partners-0-letter_upload_error"', 1)[1].split("</div>", 1)[0]
    assert "“letter.pdf” is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file." in error_block
    assert "choose the commitment letter again" in page
    assert not Attachment.objects.exists()
    assert not PartnerCommitment.objects.exists()


def test_a_letter_whose_content_does_not_match_its_name_says_so(client, application, member):
    disguised = SimpleUploadedFile("letter.pdf", png_bytes(), content_type="application/pdf")

    response = save(
        client,
        application,
        [{"organization": member.pk, "responsibilities": "Interns"}],
        {"partners-0-letter_upload": disguised},
    )

    assert "“letter.pdf” is named .pdf but its content is PNG" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_valid_letter_is_stored_and_linked_and_offered_for_download(client, application, member):
    letter = SimpleUploadedFile("signed letter.pdf", SMALL_PDF, content_type="application/pdf")

    save(
        client,
        application,
        [{"organization": member.pk, "responsibilities": "Interns"}],
        {"partners-0-letter_upload": letter},
    )

    partner = PartnerCommitment.objects.get()
    assert partner.letter.application == application
    assert partner.letter.original_name == "signed letter.pdf"
    assert partner.letter.get_absolute_url() in client.get(section_url(application, "partners")).content.decode()


def test_resources_with_a_typo_keep_the_whole_partner_as_a_draft(client, application, member):
    response = save(
        client,
        application,
        [{"organization": member.pk, "responsibilities": "Interns", "cash_2026-27": "ten thousand"}],
    )

    assert response.status_code == 200
    assert 'value="ten thousand"' in response.content.decode()
    application.refresh_from_db()
    assert application.section_drafts["partners"]["partners-0-cash_2026-27"] == ["ten thousand"]
    assert not PartnerCommitment.objects.exists()
