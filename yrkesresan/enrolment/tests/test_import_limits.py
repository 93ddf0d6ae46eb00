"""Uploads that cost more than they weigh are refused before a cell is read, with the same
limits on the web and on the command line; text in another encoding than UTF-8 or
Windows-1252 is refused instead of garbling names."""

import io
import tempfile
import zipfile
from pathlib import Path
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase
from django.utils import translation

from yrkesresan.enrolment import imports
from yrkesresan.enrolment.tests.test_import_parse import csv_bytes
from yrkesresan.enrolment.tests.test_import_views import ImportViewTestCase

SHEET = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>{rows}</sheetData></worksheet>"
)


def xlsx_archive(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def many_cells_in_one_row(cells=200_000):
    row = '<row r="1">' + '<c t="inlineStr"><is><t>x</t></is></c>' * cells + "</row>"
    return xlsx_archive({"xl/worksheets/sheet1.xml": SHEET.format(rows=row)})


def unpacks_to_megabytes(megabytes=11):
    return xlsx_archive(
        {
            "xl/worksheets/sheet1.xml": SHEET.format(rows=""),
            "xl/sharedStrings.xml": b" " * (megabytes * 1024 * 1024),
        }
    )


class BeforeReadingTests(SimpleTestCase):
    def assert_refused_unread(self, data, words):
        with (
            mock.patch("openpyxl.load_workbook") as load_workbook,
            translation.override("en"),
            self.assertRaises(imports.ImportFileError) as caught,
        ):
            imports.parse(data, "personer.xlsx")
        load_workbook.assert_not_called()
        self.assertIn(words, str(caught.exception))

    def test_a_small_file_that_unpacks_to_megabytes_is_refused_unread(self):
        data = unpacks_to_megabytes()
        self.assertLess(len(data), 100_000)
        self.assert_refused_unread(data, "unpacks to more than 10 MB")

    def test_a_row_of_many_cells_is_refused_unread(self):
        data = many_cells_in_one_row()
        self.assertLess(len(data), imports.MAX_FILE_BYTES)
        self.assert_refused_unread(data, f"more than {imports.MAX_CELLS} cells")

    def test_a_file_over_the_size_limit_is_refused_by_parse_itself(self):
        with translation.override("en"), self.assertRaises(imports.ImportFileError) as caught:
            imports.parse(b"x" * (imports.MAX_FILE_BYTES + 1), "personer.csv")
        self.assertIn("larger than 2 MB", str(caught.exception))


class EncodingTests(SimpleTestCase):
    LINES = [
        ["Förnamn", "Efternamn", "E-post", "Kommun"],
        ["Åsa", "Sjöberg", "asa@example.se", "Eskilstuna"],
        ["Märta", "Järvi", "marta@example.se", "Eskilstuna"],
    ]

    def test_dos_mac_and_cyrillic_text_is_refused_naming_a_garbled_word(self):
        cyrillic = [
            ["Förnamn", "Efternamn", "E-post", "Kommun"],
            ["Ольга", "Смирнова", "o@x.se", "Kumla"],
        ]
        for encoding, lines in [
            ("cp850", self.LINES),
            ("cp437", self.LINES),
            ("mac_roman", self.LINES),
            ("iso8859_5", [cyrillic[0], cyrillic[1]]),
        ]:
            with self.subTest(encoding):
                header = ";".join(lines[0]).encode("cp1252")
                body = "\r\n".join(";".join(cells) for cells in lines[1:]).encode(encoding)
                data = header + b"\r\n" + body + b"\r\n"
                with (
                    translation.override("en"),
                    self.assertRaises(imports.ImportFileError) as caught,
                ):
                    imports.parse(data, "personer.csv")
                self.assertIn("neither UTF-8 nor Windows-1252", str(caught.exception))

    def test_windows_1252_with_its_typographic_marks_reads_as_it_should(self):
        lines = [
            [*self.LINES[0], "Titel"],
            [*self.LINES[1], "Socionom – “barn”"],
            ["Seán", "O’Brien", "sean@example.se", "Eskilstuna", "Handläggare…"],
            ["Ärla", "Öhman", "arla@example.se", "Eskilstuna", "€"],
        ]
        rows = imports.parse(csv_bytes(lines, ";", "cp1252"), "personer.csv").rows
        self.assertEqual(
            [(row.first_name, row.last_name) for row in rows],
            [("Åsa", "Sjöberg"), ("Seán", "O’Brien"), ("Ärla", "Öhman")],
        )
        self.assertEqual(rows[0].title, "Socionom – “barn”")


class SameLimitsOnTheWebTests(ImportViewTestCase):
    def test_the_upload_page_refuses_a_row_of_many_cells_with_the_message(self):
        self.login(self.coordinator_x)
        upload = SimpleUploadedFile("personer.xlsx", many_cells_in_one_row())
        response = self.client.post(self.upload_url, {"file": upload})
        self.assertEqual(response.status_code, 400)
        self.assertIn("70000", response.content.decode().replace("\xa0", "").replace(" ", ""))


class SameLimitsOnTheCommandLineTests(ImportViewTestCase):
    def run_on(self, data, name):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            with self.assertRaises(CommandError) as caught:
                call_command(
                    "import_registrations",
                    str(path),
                    "--round",
                    str(self.round.pk),
                    "--as",
                    self.coordinator_x.email,
                    stdout=io.StringIO(),
                )
        return str(caught.exception)

    def test_the_command_refuses_what_the_web_refuses(self):
        self.assertIn("cells", self.run_on(many_cells_in_one_row(), "people.xlsx"))
        self.assertIn("unpacks to more than", self.run_on(unpacks_to_megabytes(), "people.xlsx"))
        too_big = b"x" * (imports.MAX_FILE_BYTES + 1)
        self.assertIn("larger than 2 MB", self.run_on(too_big, "people.csv"))
