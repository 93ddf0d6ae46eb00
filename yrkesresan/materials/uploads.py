"""Checking an uploaded material file by its content, never by its name.

A file is accepted when its first bytes are those of a PDF, PNG or JPEG, or when it is a zip
archive that is an Office Open XML document (pptx, docx, xlsx): the archive is inspected
without unpacking it, and refused when it holds more entries or would unpack to more bytes
than any real presentation does (a zip bomb), or lacks the document's main part. Every file is
refused over settings.MATERIAL_MAX_BYTES.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from yrkesresan.core.errors import DomainError

# An OOXML document's main part, by kind.
OOXML_MAIN_PARTS = {
    "pptx": "ppt/presentation.xml",
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
}
MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"jpeg": "jpg"}
MAX_ZIP_ENTRIES = 2000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # unpacked bytes per packed byte of any entry; text compresses ~10:1


class UploadError(DomainError):
    status = 400
    code = "upload_refused"


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # a key of CONTENT_TYPES

    @property
    def content_type(self):
        return CONTENT_TYPES[self.kind]

    @property
    def extension(self):
        return EXTENSIONS.get(self.kind, self.kind)


def check_upload(upload):
    """CheckedFile of the uploaded file `upload` (a Django File), or UploadError."""
    limit = settings.MATERIAL_MAX_BYTES
    if upload.size > limit:
        raise UploadError(
            _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return CheckedFile(kind)
    if head.startswith(b"PK\x03\x04"):
        return CheckedFile(_ooxml_kind(upload))
    raise UploadError(
        _("The file is not a PDF, PowerPoint, Word or Excel document or an image (PNG, JPEG).")
    )


def _ooxml_kind(upload):
    refused = UploadError(_("The file is not a PowerPoint, Word or Excel document."))
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or sum(e.file_size for e in entries) > (
                MAX_UNPACKED_BYTES
            ):
                raise UploadError(_("The document would unpack to too much: it is refused."))
            for entry in entries:
                if entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                    raise UploadError(_("The document would unpack to too much: it is refused."))
            names = {entry.filename for entry in entries}
    except zipfile.BadZipFile as error:
        raise refused from error
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in names:
        raise refused
    for kind, part in OOXML_MAIN_PARTS.items():
        if part in names:
            return kind
    raise refused
