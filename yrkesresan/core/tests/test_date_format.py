"""One date format across the interface and the e-mails: "19 nov. 2026" in Swedish, with the
months as Språkrådet shortens them, and the same day-month-year order in English."""

import datetime

from django.template import engines
from django.test import SimpleTestCase
from django.utils import formats, translation


def rendered(text, **context):
    return engines["django"].from_string(text).render(context)


class DateFormatTests(SimpleTestCase):
    def test_swedish_dates_shorten_the_month_with_a_full_stop_except_the_short_ones(self):
        expected = {
            1: "19 jan. 2026",
            3: "19 mars 2026",
            4: "19 apr. 2026",
            5: "19 maj 2026",
            6: "19 juni 2026",
            7: "19 juli 2026",
            9: "19 sep. 2026",
            11: "19 nov. 2026",
        }
        with translation.override("sv"):
            for month, text in expected.items():
                self.assertEqual(formats.date_format(datetime.date(2026, month, 19)), text)

    def test_tables_and_e_mails_use_the_same_format(self):
        day = datetime.date(2026, 11, 19)
        with translation.override("sv"):
            self.assertEqual(
                rendered("{{ day }}|{{ day|date }}|{{ day|date:'SHORT_DATE_FORMAT' }}", day=day),
                "19 nov. 2026|19 nov. 2026|19 nov. 2026",
            )
            self.assertEqual(
                formats.date_format(
                    datetime.datetime(2026, 11, 19, 9, 5, tzinfo=datetime.UTC), "DATETIME_FORMAT"
                ),
                "19 nov. 2026 09:05",
            )

    def test_english_mode_uses_english_dates_in_day_month_year_order(self):
        with translation.override("en"):
            self.assertEqual(formats.date_format(datetime.date(2026, 11, 19)), "19 Nov. 2026")
            self.assertEqual(formats.date_format(datetime.date(2026, 5, 1)), "1 May 2026")
            self.assertEqual(formats.time_format(datetime.time(14, 30)), "14:30")
