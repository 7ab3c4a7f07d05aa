"""What is inside an upload: Word and Excel files (zip archives) that stay within size when opened, and PDFs that
carry nothing that runs. Each check raises ValidationError with a message naming the file and what to do.

Office files: the archive's own directory says how large each part is once expanded; its sum and the number of
parts are checked against CCPT_MAX_EXPANDED_MB and CCPT_MAX_ARCHIVE_MEMBERS before anything is expanded. An archive
may understate those sizes, so each part is then read through, never past the size it declares (Python's zipfile
stops there and checks the part's CRC): a part larger than declared fails that check and is refused as damaged.
Nothing is written to disk and at most the cap is ever expanded.

PDFs: JavaScript, actions that launch programs (/Launch), embedded files (/EmbeddedFile) and embedded media
(/RichMedia) are refused. Names are read with their #xx escapes decoded, in the file as stored and in its object
streams (PDF 1.5+ files keep dictionaries, actions included, compressed in them), inflated up to
CCPT_MAX_EXPANDED_MB. What this cannot read is refused as not checkable: an encrypted or password-protected PDF (its
object streams are encrypted) and an object stream packed with another filter than FlateDecode (no PDF writer we
know does that). Limits: it reads names, not the PDF's structure, so a harmless file that merely mentions
/JavaScript in a dictionary is refused too (people can print it to a new PDF); scripts written inside XFA form data
are not looked for (XFA forms run only in Adobe Reader, which asks before running them).
"""

import re
import zipfile
import zlib

from django.conf import settings
from django.core.exceptions import ValidationError

MB = 1024 * 1024
OFFICE_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def check_content(upload, name: str, content_type: str) -> None:
    if content_type in OFFICE_TYPES:
        check_office_archive(upload, name)
    elif content_type == "application/pdf":
        check_pdf(upload, name)


# Office files


def check_office_archive(upload, name: str) -> None:
    cap = settings.CCPT_MAX_EXPANDED_MB * MB
    damaged = ValidationError(f"“{name}” is damaged and cannot be opened; save it again and upload the new copy.")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
            if len(parts) > settings.CCPT_MAX_ARCHIVE_MEMBERS:
                raise ValidationError(
                    f"“{name}” holds {len(parts):,} parts, more than the {settings.CCPT_MAX_ARCHIVE_MEMBERS:,} a "
                    "document may have; it may be built to harm the computers that open it. Save it again from "
                    "Word or Excel, or upload it as a PDF."
                )
            expanded = sum(part.file_size for part in parts)
            if expanded > cap:
                raise ValidationError(
                    f"“{name}” would expand to {expanded / MB:,.0f} MB when opened, more than the "
                    f"{settings.CCPT_MAX_EXPANDED_MB} MB allowed; it may be built to harm the computers that open "
                    "it. Remove large embedded content, or upload it as a PDF."
                )
            for part in parts:
                with archive.open(part) as stream:
                    while stream.read(MB):
                        pass
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, zlib.error) as error:
        raise damaged from error
    finally:
        upload.seek(0)


# PDFs

NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
STREAM = re.compile(rb"(?<!end)stream\r?\n")
# Every JavaScript action says /S /JavaScript and document scripts sit under /JavaScript in the names tree, so the
# long name is enough; the bare key /JS is three bytes that turn up by chance in the binary data of large files.
ACTIVE = {
    b"JavaScript": "JavaScript",
    b"Launch": "an action that starts another program",
    b"EmbeddedFile": "embedded files",
    b"EmbeddedFiles": "embedded files",
    b"RichMedia": "embedded media",
}


def _names(data: bytes) -> set[bytes]:
    return {ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match) for match in NAME.findall(data)}


def _unreadable(name: str) -> ValidationError:
    return ValidationError(
        f"“{name}” is built in a way that cannot be checked for scripts (it is encrypted, password-protected or "
        "packed unusually). Print it to a new PDF and upload that."
    )


def _object_streams(data: bytes, name: str):
    """The decompressed content of the file's object streams, where action dictionaries may be kept."""
    budget = settings.CCPT_MAX_EXPANDED_MB * MB
    for match in STREAM.finditer(data):
        header = data[max(0, match.start() - 2000) : match.start()]
        header = header[header.rfind(b"obj") :]
        if b"ObjStm" not in _names(header):
            continue
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(data[match.end() :], budget)
        except zlib.error as error:
            raise _unreadable(name) from error
        budget -= len(content)
        if inflater.unconsumed_tail or budget <= 0:
            raise _unreadable(name)
        yield content


def check_pdf(upload, name: str) -> None:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    names = _names(data)
    if b"Encrypt" in names:
        raise _unreadable(name)
    for content in _object_streams(data, name):
        names |= _names(content)
    found = sorted({what for key, what in ACTIVE.items() if key in names})
    if found:
        raise ValidationError(
            f"“{name}” contains {' and '.join(found)}, which could run or open when someone reads it. Print it to "
            "a new PDF (or export it again without scripts and attachments) and upload that."
        )
