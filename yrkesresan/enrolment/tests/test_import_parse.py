"""Reading import files: encodings, delimiters, Excel, headers in two languages, personnummer."""

import datetime
import io
import zipfile

import openpyxl
from django.test import SimpleTestCase

from yrkesresan.enrolment.imports import (
    MAX_ROWS,
    ImportFileError,
    looks_like_personal_number,
    parse,
)


def csv_bytes(lines, delimiter=",", encoding="utf-8"):
    text = "\r\n".join(delimiter.join(cells) for cells in lines) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(lines):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for cells in lines:
        sheet.append(list(cells))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


SWEDISH = [
    ["Förnamn", "Efternamn", "E-post", "Kommun", "Enhet"],
    ["Åsa", "Öberg", "asa.oberg@example.se", "Eskilstuna", "Familjehemsenheten"],
    ["Märta", "Ängström", "marta@example.se", "0484", ""],
]


class EncodingAndDelimiterTests(SimpleTestCase):
    def assert_swedish_rows(self, parsed):
        self.assertEqual(
            [(r.line, r.first_name, r.last_name, r.email) for r in parsed.rows],
            [
                (2, "Åsa", "Öberg", "asa.oberg@example.se"),
                (3, "Märta", "Ängström", "marta@example.se"),
            ],
        )
        self.assertEqual(parsed.rows[0].unit, "Familjehemsenheten")
        self.assertEqual(parsed.rows[1].municipality, "0484")

    def test_utf8_with_commas(self):
        self.assert_swedish_rows(parse(csv_bytes(SWEDISH), "personer.csv"))

    def test_utf8_with_bom_and_semicolons(self):
        data = csv_bytes(SWEDISH, delimiter=";", encoding="utf-8-sig")
        self.assertTrue(data.startswith(b"\xef\xbb\xbf"))
        self.assert_swedish_rows(parse(data, "personer.csv"))

    def test_windows_1252_with_semicolons(self):
        data = csv_bytes(SWEDISH, delimiter=";", encoding="cp1252")
        with self.assertRaises(UnicodeDecodeError):
            data.decode("utf-8")
        self.assert_swedish_rows(parse(data, "PERSONER.CSV"))

    def test_windows_1252_with_commas(self):
        self.assert_swedish_rows(parse(csv_bytes(SWEDISH, encoding="cp1252"), "personer.csv"))

    def test_quoted_cells_may_hold_the_delimiter(self):
        lines = [
            ["förnamn", "efternamn", "e-post", "kommun", "titel"],
            ["Anna", "Berg", "anna@example.se", "Eskilstuna", '"Socialsekreterare; barn"'],
        ]
        parsed = parse(csv_bytes(lines, delimiter=";"), "p.csv")
        self.assertEqual(parsed.rows[0].title, "Socialsekreterare; barn")

    def test_an_excel_file_built_with_openpyxl(self):
        lines = [
            ["Email", "Last name", "First name", "Municipality code", "Started in the profession"],
            ["anna@example.se", "Berg", "Anna", 484, datetime.datetime(2023, 8, 14)],  # noqa: DTZ001
            [None, None, None, None, None],
            ["bo@example.se", "Ek", "Bo", "1881", datetime.date(2019, 1, 7)],
        ]
        parsed = parse(xlsx_bytes(lines), "people.xlsx")
        self.assertEqual(
            [(r.line, r.first_name, r.municipality_code, r.started) for r in parsed.rows],
            [(2, "Anna", "484", "2023-08-14"), (4, "Bo", "1881", "2019-01-07")],
        )

    def test_empty_lines_are_skipped_and_lines_keep_their_numbers(self):
        lines = [[""], *SWEDISH[:2], ["", "", "", "", ""], SWEDISH[2]]
        parsed = parse(csv_bytes(lines), "p.csv")
        self.assertEqual([r.line for r in parsed.rows], [3, 5])


class HeaderTests(SimpleTestCase):
    def test_headers_in_english_in_any_order(self):
        lines = [
            ["Municipality", "E-mail", "Title", "Last Name", "first name", "Unit"],
            ["Kumla", "x@example.se", "Socionom", "Lind", "Eva", "Barn och familj"],
        ]
        row = parse(csv_bytes(lines), "p.csv").rows[0]
        self.assertEqual(
            (row.first_name, row.last_name, row.email, row.municipality, row.title, row.unit),
            ("Eva", "Lind", "x@example.se", "Kumla", "Socionom", "Barn och familj"),
        )

    def test_headers_without_accents_and_with_spaces(self):
        lines = [
            ["  FORNAMN ", "efternamn", "epost", "kommunkod", "Anställd i yrket", "Skäl"],
            ["Eva", "Lind", "x@example.se", "1881", "2020-01-01", "Byter område"],
        ]
        parsed = parse(csv_bytes(lines), "p.csv")
        row = parsed.rows[0]
        self.assertEqual(
            parsed.columns,
            ["first_name", "last_name", "email", "municipality_code", "started", "reason"],
        )
        self.assertEqual(
            (row.municipality_code, row.started, row.reason), ("1881", "2020-01-01", "Byter område")
        )

    def test_a_title_above_the_headers_is_skipped(self):
        lines = [["Anmälningar VT 2027"], [""], *SWEDISH]
        parsed = parse(xlsx_bytes(lines), "p.xlsx")
        self.assertEqual([r.line for r in parsed.rows], [4, 5])

    def test_unknown_columns_are_ignored_and_named(self):
        lines = [
            ["förnamn", "efternamn", "e-post", "kommun", "Telefon"],
            ["A", "B", "a@b.se", "Kumla", "070"],
        ]
        parsed = parse(csv_bytes(lines), "p.csv")
        self.assertEqual(parsed.ignored_columns, ["Telefon"])

    def test_a_missing_required_column_is_a_file_error(self):
        lines = [["förnamn", "e-post", "kommun"], ["A", "a@b.se", "Kumla"]]
        with self.assertRaises(ImportFileError):
            parse(csv_bytes(lines), "p.csv")

    def test_two_columns_for_one_field_are_a_file_error(self):
        lines = [
            ["förnamn", "efternamn", "e-post", "email", "kommun"],
            ["A", "B", "a@b.se", "a@b.se", "Kumla"],
        ]
        with self.assertRaises(ImportFileError):
            parse(csv_bytes(lines), "p.csv")


class BadFileTests(SimpleTestCase):
    def test_other_file_types_are_refused(self):
        for data, name in [
            (b"%PDF-1.4", "personer.pdf"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "personer.xls"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "personer.xlsx"),
            (b"not a zip file", "personer.xlsx"),
            (b"PK\x03\x04broken", "personer.xlsx"),
            (b"", "personer.csv"),
            (b"a,b\x00,c\n", "personer.csv"),
            (csv_bytes(SWEDISH[:1]), "personer.csv"),
        ]:
            with self.subTest(name=name, data=data[:10]), self.assertRaises(ImportFileError):
                parse(data, name)

    def test_an_excel_file_that_unpacks_into_too_much_is_refused(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/sharedStrings.xml", b"<" + b"a" * (51 * 1024 * 1024))
        self.assertLess(len(buffer.getvalue()), 200_000)
        with self.assertRaises(ImportFileError):
            parse(buffer.getvalue(), "bomb.xlsx")

    def test_at_most_max_rows_people(self):
        lines = [SWEDISH[0]] + [
            ["A", "B", f"p{n}@example.se", "Kumla", ""] for n in range(MAX_ROWS + 1)
        ]
        with self.assertRaises(ImportFileError):
            parse(csv_bytes(lines), "p.csv")
        self.assertEqual(len(parse(csv_bytes(lines[:-1]), "p.csv").rows), MAX_ROWS)


class PersonalNumberTests(SimpleTestCase):
    NUMBERS = [
        "19900101-1234",
        "900101-1234",
        "199001011234",
        "9001011234",
        "850615+1234",
        "19900161-1230",
    ]

    def test_what_looks_like_a_personal_number(self):
        for value in self.NUMBERS:
            with self.subTest(value=value):
                self.assertTrue(looks_like_personal_number(value))
        for value in [
            "2020-01-15",
            "20200115",
            "0484",
            "1234567890123",
            "19901301-1234",
            "anna@x.se",
        ]:
            with self.subTest(value=value):
                self.assertFalse(looks_like_personal_number(value))

    def test_a_personnummer_column_is_dropped_by_its_header(self):
        for header in ["Personnummer", "personnr", "PNR", "Personal identity number"]:
            lines = [
                ["förnamn", "efternamn", header, "e-post", "kommun"],
                ["Anna", "Berg", "19900101-1234", "anna@example.se", "Kumla"],
                ["Bo", "Ek", "x", "bo@example.se", "Kumla"],
            ]
            with self.subTest(header=header):
                parsed = parse(csv_bytes(lines), "p.csv")
                self.assertTrue(parsed.dropped_personal_numbers)
                self.assertEqual(parsed.ignored_columns, [])
                self.assertNotIn("1234", repr(parsed))

    def test_a_column_of_personal_numbers_under_another_header_is_dropped(self):
        lines = [
            ["förnamn", "efternamn", "ID", "e-post", "kommun"],
            ["Anna", "Berg", "199001011234", "anna@example.se", "Kumla"],
        ]
        parsed = parse(xlsx_bytes(lines), "p.xlsx")
        self.assertTrue(parsed.dropped_personal_numbers)
        self.assertEqual(parsed.ignored_columns, [])
        self.assertNotIn("199001011234", repr(parsed))

    def test_a_personal_number_in_a_used_column_is_withheld(self):
        lines = [
            ["förnamn", "efternamn", "e-post", "kommun", "titel"],
            ["Anna", "Berg", "anna@example.se", "Kumla", "900101-1234"],
        ]
        parsed = parse(csv_bytes(lines), "p.csv")
        self.assertEqual(parsed.rows[0].withheld, ["title"])
        self.assertEqual(parsed.rows[0].title, "")
        self.assertNotIn("1234", repr(parsed))

    def test_no_personal_numbers_no_note(self):
        self.assertFalse(parse(csv_bytes(SWEDISH), "p.csv").dropped_personal_numbers)
