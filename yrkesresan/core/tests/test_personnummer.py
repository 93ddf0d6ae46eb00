"""contains_personnummer: personal identity and coordination numbers anywhere in a text."""

from django.test import SimpleTestCase

from yrkesresan.core.personnummer import contains_personnummer


def check_digit(nine):
    total = 0
    for index, char in enumerate(nine):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def personnummer(yymmdd, serial="987"):
    """A valid ten-digit number (no separator) for the date, with its check digit."""
    return yymmdd + serial + check_digit(yymmdd + serial)


class FoundTests(SimpleTestCase):
    def test_ten_and_twelve_digits_with_or_without_a_separator(self):
        number = personnummer("811218")
        for text in [
            number,
            f"{number[:6]}-{number[6:]}",
            f"{number[:6]}+{number[6:]}",
            f"19{number}",
            f"19{number[:6]}-{number[6:]}",
            f"19{number[:6]} {number[6:]}",
        ]:
            with self.subTest(text):
                self.assertTrue(contains_personnummer(text))

    def test_inside_a_longer_text(self):
        number = personnummer("900101")
        for text in [
            f"Socionom ({number[:6]}-{number[6:]})",
            f"pnr:{number}, tack",
            f"a\n{number}.",
        ]:
            with self.subTest(text):
                self.assertTrue(contains_personnummer(text))

    def test_a_coordination_number_adds_sixty_to_the_day(self):
        self.assertTrue(contains_personnummer(personnummer("811278")))

    def test_a_leap_day_is_a_date(self):
        self.assertTrue(contains_personnummer("20" + personnummer("000229")))


class NotFoundTests(SimpleTestCase):
    def test_a_wrong_check_digit_is_not_a_number(self):
        number = personnummer("811218")
        wrong = number[:9] + str((int(number[9]) + 1) % 10)
        self.assertFalse(contains_personnummer(wrong))

    def test_no_date_no_number(self):
        for yymmdd in ["811318", "811200", "811232", "810230", "811292"]:
            with self.subTest(yymmdd):
                self.assertFalse(contains_personnummer(personnummer(yymmdd)))

    def test_digits_glued_to_more_digits_are_something_else(self):
        self.assertFalse(contains_personnummer("1" + personnummer("811218") + "1"))

    def test_a_code_of_letters_and_digits_holds_no_number(self):
        number = personnummer("811218")
        for text in [f"a{number}f", f"E3{number}", f"{number}AB"]:
            with self.subTest(text):
                self.assertFalse(contains_personnummer(text))

    def test_only_ascii_digits_make_a_number(self):
        arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
        self.assertFalse(contains_personnummer(personnummer("811218").translate(arabic)))

    def test_ordinary_text_and_short_numbers(self):
        for text in ["Omgång 3", "Kommun 0484", "", None, "2026-12-04", "tel 08-123 45 67"]:
            with self.subTest(text):
                self.assertFalse(contains_personnummer(text))
