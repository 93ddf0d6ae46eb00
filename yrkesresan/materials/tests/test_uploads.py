"""Material files: checked by content, not name; refused over the size limit or as a zip bomb
dressed as a presentation; stored through the storage API and served only as a download."""

import io
import shutil
import tempfile
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.materials.models import Material
from yrkesresan.materials.services import add_material
from yrkesresan.materials.uploads import UploadError, check_upload

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def ooxml(main_part="ppt/presentation.xml", extra=()):
    """A minimal Office Open XML archive with `main_part`, and `extra` (name, bytes) entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<presentation/>")
        for name, data in extra:
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


class CheckUploadTests(PersonaTestCase):
    def test_files_are_known_by_their_content(self):
        cases = [
            (upload("x.bin", PDF), "pdf"),
            (upload("bild", PNG), "png"),
            (upload("a.pptx", ooxml()), "pptx"),
            (upload("b.zip", ooxml("word/document.xml")), "docx"),
            (upload("c.xlsx", ooxml("xl/workbook.xml")), "xlsx"),
        ]
        for file, kind in cases:
            with self.subTest(kind=kind):
                self.assertEqual(check_upload(file).kind, kind)

    def test_a_file_that_lies_about_its_type_is_refused(self):
        for file in [
            upload("bilder.pptx", b"<html><script>alert(1)</script></html>", "application/pdf"),
            upload("notes.pdf", b"MZ\x90\x00 an executable"),
            upload("plain.docx", _plain_zip()),
        ]:
            with self.subTest(name=file.name), self.assertRaises(UploadError):
                check_upload(file)

    @override_settings(MATERIAL_MAX_BYTES=1000)
    def test_a_file_over_the_limit_is_refused(self):
        with self.assertRaisesMessage(UploadError, "too large"):
            check_upload(upload("stor.pdf", PDF + b"0" * 1000))

    def test_a_zip_bomb_dressed_as_a_presentation_is_refused(self):
        bomb = ooxml(extra=[("ppt/media/zeros.bin", b"\x00" * (50 * 1024 * 1024))])
        self.assertLess(len(bomb), 200_000)
        with self.assertRaisesMessage(UploadError, "unpack"):
            check_upload(upload("kursdag1.pptx", bomb))
        many = ooxml(extra=[(f"ppt/slides/s{n}.xml", "<s/>") for n in range(2001)])
        with self.assertRaisesMessage(UploadError, "unpack"):
            check_upload(upload("kursdag2.pptx", many))


def _plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hej")
    return buffer.getvalue()


class StoredAndServedTests(PersonaTestCase):
    def setUp(self):
        media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, media)
        settings = override_settings(MEDIA_ROOT=media)
        settings.enable()
        self.addCleanup(settings.disable)

    def add(self, data=PDF, name="handledning.html", audience="trainer"):
        file = upload(name, data)
        title = "Handledning dag 1"
        return add_material(
            self.course, by=self.editor, audience=audience, title=title, day_number=1, upload=file
        )

    def test_a_file_is_stored_under_our_name_and_served_as_an_attachment(self):
        material = self.add()
        self.assertTrue(material.file.name.endswith(".pdf"))
        self.assertNotIn("html", material.file.name)
        self.assertEqual((material.version, material.file_kind), ("1.0", "pdf"))
        self.login(self.trainer_x)
        response = self.client.get(reverse("materials:file", args=[self.course.slug, material.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("sandbox", response["Content-Security-Policy"])
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_trainer_files_are_not_for_participants(self):
        material = self.add()
        url = reverse("materials:file", args=[self.course.slug, material.pk])
        self.login(self.participant)
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_editor_adds_a_file_on_the_page_and_a_lying_file_is_refused(self):
        self.login(self.editor)
        url = reverse("materials:add", args=[self.course.slug])
        fields = {"title": "Bilder dag 2", "audience": "trainer", "day_number": "2"}
        response = self.client.post(url, {**fields, "upload": upload("dag2.pptx", b"<html>")})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Material.objects.exists())
        response = self.client.post(url, {**fields, "upload": upload("dag2.pptx", ooxml())})
        material = Material.objects.get()
        self.assertRedirects(
            response, reverse("materials:item", args=[self.course.slug, material.pk])
        )
        self.assertEqual(material.file_kind, "pptx")

    def test_other_journeys_editors_and_trainers_cannot_add_material(self):
        url = reverse("materials:add", args=[self.course.slug])
        for person in [self.trainer_x, self.coordinator_x]:
            self.login(person)
            self.assertEqual(self.client.get(url).status_code, 404)
