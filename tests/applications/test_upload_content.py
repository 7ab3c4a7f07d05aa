"""What is inside an upload is checked too: Word and Excel files that would expand beyond the limit (zip bombs) and
PDFs that carry scripts or launch programs are refused with a message naming the file."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import lead_of, submittable_application

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture
def application():
    return submittable_application()


@pytest.fixture
def lead_client(client, application):
    client.force_login(lead_of(application))
    return client


def upload(client, application, name, content):
    url = reverse("applications:attachment-upload", args=[application.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def refused(response, application, name) -> str:
    assert response.status_code == 200
    assert not application.attachments.filter(original_name=name).exists()
    return response.content.decode()


# Office files


def office(main_part: str, *, big: int = 0, parts: int = 0) -> bytes:
    """An Office Open XML package; `big` bytes of zeros in one more part (they compress about 1000 to 1), and
    `parts` more small parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        package.writestr(main_part, '<?xml version="1.0"?><root/>')
        if big:
            with package.open("customXml/item1.xml", "w") as member:
                for _ in range(big // MB):
                    member.write(bytes(MB))
        for number in range(parts):
            package.writestr(f"customXml/item{number + 2}.xml", "<a/>")
    return buffer.getvalue()


def understating(package: bytes, member: str, declared: int) -> bytes:
    """The package with its directory claiming `declared` bytes for `member` once expanded (a forged header)."""
    data = bytearray(package)
    entry = data.find(b"PK\x01\x02")  # the central directory's entries
    while entry != -1:
        name_length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        if data[entry + 46 : entry + 46 + name_length].decode() == member:
            data[entry + 24 : entry + 28] = declared.to_bytes(4, "little")
            return bytes(data)
        entry = data.find(b"PK\x01\x02", entry + 4)
    raise AssertionError(f"{member} is not in the package")


@pytest.mark.parametrize(
    ("name", "main_part"), [("letter.docx", "word/document.xml"), ("budget.xlsx", "xl/workbook.xml")]
)
def test_a_zip_bomb_of_200_mb_in_a_204_kb_file_is_refused_by_name(lead_client, application, name, main_part):
    bomb = office(main_part, big=200 * MB)
    assert len(bomb) < 250 * 1024

    page = refused(upload(lead_client, application, name, bomb), application, name)

    assert f"“{name}” would expand to 200 MB when opened, more than the 100 MB allowed" in page


def test_the_expanded_size_allowed_is_a_setting(lead_client, application, settings):
    settings.CCPT_MAX_EXPANDED_MB = 2
    fine = office("word/document.xml", big=1 * MB)
    too_big = office("word/document.xml", big=3 * MB)

    assert upload(lead_client, application, "fine.docx", fine).status_code == 302
    page = refused(upload(lead_client, application, "too-big.docx", too_big), application, "too-big.docx")
    assert "“too-big.docx” would expand to 3 MB when opened, more than the 2 MB allowed" in page


def test_an_archive_of_too_many_parts_is_refused(lead_client, application, settings):
    settings.CCPT_MAX_ARCHIVE_MEMBERS = 50

    page = refused(
        upload(lead_client, application, "parts.xlsx", office("xl/workbook.xml", parts=60)), application, "parts.xlsx"
    )

    assert "“parts.xlsx” holds 63 parts, more than the 50 a document may have" in page


def test_an_archive_that_understates_its_expanded_size_is_refused_as_damaged(lead_client, application, settings):
    settings.CCPT_MAX_EXPANDED_MB = 2
    forged = understating(office("word/document.xml", big=3 * MB), "customXml/item1.xml", declared=1000)
    with zipfile.ZipFile(io.BytesIO(forged)) as archive:
        assert sum(part.file_size for part in archive.infolist()) < 2 * MB  # what the directory claims

    page = refused(upload(lead_client, application, "forged.docx", forged), application, "forged.docx")

    assert "“forged.docx” is damaged and cannot be opened" in page


def test_a_powerpoint_file_is_not_one_of_the_kinds_accepted(lead_client, application):
    page = refused(
        upload(lead_client, application, "slides.pptx", office("ppt/presentation.xml")), application, "slides.pptx"
    )

    assert "“slides.pptx” is not a PDF, Word (.docx), Excel (.xlsx), PNG or JPEG file." in page


# PDFs


def pdf(*objects: bytes, trailer: bytes = b"") -> bytes:
    """A PDF whose objects are numbered from 1 (the first is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R%s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


PAGES = (b"<</Type/Pages/Kids[3 0 R]/Count 1>>", b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>")


def stream(dictionary: bytes, data: bytes) -> bytes:
    return dictionary[:-2] + b"/Length %d>>\nstream\n" % len(data) + data + b"\nendstream"


def object_stream(*bodies: bytes, compress=zlib.compress, filters: bytes = b"/FlateDecode") -> bytes:
    """An object stream holding `bodies` as objects 10, 11, ... (how PDF 1.5+ files keep their dictionaries)."""
    offsets, content = [], b""
    for body in bodies:
        offsets.append(len(content))
        content += body + b" "
    header = b" ".join(b"%d %d" % (10 + i, offset) for i, offset in enumerate(offsets)) + b" "
    dictionary = b"<</Type/ObjStm/N %d/First %d/Filter %s>>" % (len(bodies), len(header), filters)
    return stream(dictionary, compress(header + content))


SCRIPT = b"<</S/JavaScript/JS(app.alert('Your session expired; type your password'))>>"


@pytest.mark.parametrize(
    ("catalog", "more"),
    [
        (b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", SCRIPT),
        (b"<</Type/Catalog/Pages 2 0 R/Names<</JavaScript 4 0 R>>>>", b"<</Names[(init) 5 0 R]>>"),
        (b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>", b"<</S/J#61va#53cript/JS(app.alert(1))>>"),
    ],
    ids=["an open action", "a document script", "a name spelled with escapes"],
)
def test_a_pdf_with_javascript_is_refused_by_name(lead_client, application, catalog, more):
    content = pdf(catalog, *PAGES, more, SCRIPT)

    page = refused(upload(lead_client, application, "invitation.pdf", content), application, "invitation.pdf")

    assert "“invitation.pdf” contains JavaScript, which could run or open when someone reads it." in page
    assert "Print it to a new PDF" in page


def test_javascript_kept_in_a_compressed_object_stream_is_found(lead_client, application):
    content = pdf(b"<</Type/Catalog/Pages 2 0 R/OpenAction 10 0 R>>", *PAGES, object_stream(SCRIPT))
    assert b"JavaScript" not in content

    page = refused(upload(lead_client, application, "packed.pdf", content), application, "packed.pdf")

    assert "“packed.pdf” contains JavaScript" in page


def test_a_pdf_that_launches_a_program_or_carries_files_is_refused(lead_client, application):
    launch = b"<</S/Launch/F(cmd.exe)/Win<</F(cmd.exe)/P(/c calc)>>>>"
    attached = b"<</Type/Filespec/F(run.exe)/EF<</F 6 0 R>>>>"
    content = pdf(
        b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
        *PAGES,
        launch,
        attached,
        stream(b"<</Type/EmbeddedFile>>", b"MZ"),
    )

    page = refused(upload(lead_client, application, "launch.pdf", content), application, "launch.pdf")

    assert "“launch.pdf” contains an action that starts another program and embedded files" in page


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (pdf(b"<</Type/Catalog/Pages 2 0 R>>", *PAGES, trailer=b"/Encrypt<</Filter/Standard/V 2/R 3>>"), "encrypted"),
        (
            pdf(
                b"<</Type/Catalog/Pages 2 0 R>>",
                *PAGES,
                object_stream(SCRIPT, compress=lambda data: data.hex().encode(), filters=b"/AHx"),
            ),
            "an object stream packed another way",
        ),
    ],
)
def test_a_pdf_that_cannot_be_checked_is_refused_with_what_to_do(lead_client, application, content, why):
    page = refused(upload(lead_client, application, "locked.pdf", content), application, "locked.pdf")

    assert "“locked.pdf” is built in a way that cannot be checked for scripts" in page, why
    assert "Print it to a new PDF and upload that." in page


def test_an_ordinary_pdf_with_compressed_objects_and_binary_images_is_accepted(lead_client, application):
    image = bytes(range(256)) * 40 + b"/JS (" + bytes(range(256)) * 40  # three bytes that look like a key
    content = pdf(
        b"<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/Fit]>>",
        *PAGES,
        object_stream(b"<</Title(Commitment letter)/Producer(Microsoft Word)>>"),
        stream(b"<</Type/XObject/Subtype/Image/Width 64/Height 160/BitsPerComponent 8/ColorSpace/DeviceGray>>", image),
    )

    response = upload(lead_client, application, "letter.pdf", content)

    assert response.status_code == 302
    assert application.attachments.filter(original_name="letter.pdf").exists()
