"""row_urls: one reversal for a list's rows gives what reverse() gives for each row."""

from django.test import SimpleTestCase
from django.urls import reverse

from yrkesresan.core.reversing import row_urls


class RowUrlsTests(SimpleTestCase):
    def test_integer_last_argument(self):
        mark_url = row_urls("leader:mark_attendance", 122, 4)
        for registration in [1, 7, 90817, 9081726354, 12345678901]:
            self.assertEqual(
                mark_url(registration),
                reverse("leader:mark_attendance", args=[122, 4, registration]),
            )

    def test_slug_last_argument(self):
        course_url = row_urls("catalog:course")
        for slug in ["barn-och-unga", "ny_1", "9081726354", "a"]:
            self.assertEqual(course_url(slug), reverse("catalog:course", args=[slug]))

    def test_marker_in_a_fixed_argument_is_left_alone(self):
        mark_url = row_urls("leader:mark_attendance", 9081726354, 4)
        self.assertEqual(mark_url(5), reverse("leader:mark_attendance", args=[9081726354, 4, 5]))
