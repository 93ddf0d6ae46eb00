"""The threshold of five on the evaluations' own pages: a group of four answering is withheld,
a group of five is shown, and no two published figures differ by fewer than five people
(evaluations.disclosure, the rule the reports follow too)."""

import re

from django.test import override_settings
from django.urls import reverse

from ..disclosure import THRESHOLD
from .helpers import (
    EvaluationTestCase,
    TwoVersionsTestCase,
    answers_for,
    complete_many,
    completed_round,
    submit_and_move,
    usefulness,
)

WITHHELD = f"Fewer than {THRESHOLD}"
TOO_FEW = "Too few answers to show"


def answer(invitations, round, **scores):
    for invitation in invitations:
        submit_and_move(invitation, answers_for(round, **scores))


def row_of(content, text):
    """The HTML of the table row that contains `text`."""
    rows = [row for row in re.findall(r"<tr>.*?</tr>", content, re.S) if text in row]
    assert len(rows) == 1, f"{len(rows)} rows contain {text!r}"
    return rows[0]


def cells(row):
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row, re.S)]


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class RoundResultsThresholdTests(EvaluationTestCase):
    """The participant's round: day 1 physical, days 2–4 digital."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.others = complete_many(cls.round, 5, cls.unit_a)
        cls.url = reverse("evaluations:round_results", args=[cls.round.pk])

    def page(self):
        self.login(self.coordinator_x)
        return self.client.get(self.url)

    def test_four_answering_show_no_count_mean_or_text(self):
        answer([self.invitation, *self.others[:3]], self.round, useful=3, words="Hemlig text")
        response = self.page()
        content = response.content.decode()
        answered = re.search(r"<dt>Answered</dt><dd>(.*?)</dd>", content, re.S).group(1)
        self.assertIn(WITHHELD, answered)
        self.assertNotIn("67 %", content)  # 4 of 6 invited
        self.assertNotIn("3.0", content)
        self.assertNotContains(response, "Hemlig text")
        self.assertContains(response, "the free-text answers to a question are shown once")
        day_1 = content.split("<h2>")[1]
        self.assertEqual(cells(row_of(day_1, usefulness().text)), [TOO_FEW, "–"])

    def test_five_answering_show_counts_means_and_texts(self):
        answer([self.invitation, *self.others[:4]], self.round, useful=3, words="Lärorik dag")
        response = self.page()
        content = response.content.decode()
        answered = re.search(r"<dt>Answered</dt><dd>(.*?)</dd>", content, re.S).group(1)
        self.assertEqual(answered, "5")
        self.assertContains(response, "83 %")  # 5 of 6 invited
        self.assertContains(response, "Lärorik dag")
        day_1 = row_of(content.split("<h2>")[1], usefulness().text)
        self.assertEqual(cells(day_1), ["3.0", "5"])

    def test_a_small_day_cannot_be_worked_out_from_its_mode(self):
        round = completed_round(self.course, self.region_x, name="Fysisk", all_physical=True)
        invitations = complete_many(round, 5, self.unit_a2)
        day_1, day_2 = round.days.order_by("number")[:2]
        for n, invitation in enumerate(invitations):
            answers = {(usefulness().pk, day_1.pk): 4}
            if n < 3:  # two skip day 2: three people's scores for it
                answers[(usefulness().pk, day_2.pk)] = 1
            submit_and_move(invitation, answers)
        self.login(self.coordinator_x)
        content = self.client.get(reverse("evaluations:round_results", args=[round.pk]))
        content = content.content.decode()
        days, modes = content.split("Physical and digital days</h2>")
        # Physical days: eight answers from five people, shown. Day 1's five answers shown
        # beside them would leave day 2's three people's scores as the difference.
        self.assertEqual(cells(row_of(modes, usefulness().text))[:2], ["2.9", "8"])
        for section in days.split("<h2>")[1:3]:
            with self.subTest(day=section[:40]):
                self.assertEqual(cells(row_of(section, usefulness().text)), [TOO_FEW, "–"])


@override_settings(LANGUAGE_CODE="en")
class CourseComparisonThresholdTests(TwoVersionsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.url = reverse("evaluations:course_comparison", args=[cls.course.slug])

    def comparison(self, version=None):
        self.login(self.editor)
        query = {"version": version.pk} if version else {}
        response = self.client.get(self.url, query)
        return response, response.context["comparison"]

    def test_a_round_of_four_is_withheld_and_a_round_of_five_shown(self):
        answer([self.invitation, *complete_many(self.round, 4, self.unit_a)], self.round, useful=5)
        answer(complete_many(self.later, 4, self.unit_a2), self.later, useful=1)
        response, whole = self.comparison()
        self.assertEqual((whole.responses, whole.rounds), (5, 1))
        physical = by_usefulness(whole).physical
        self.assertEqual((physical.count, physical.mean), (5, 5.0))
        self.assertContains(response, "over 5 evaluation answers from 1 round.")
        response, four = self.comparison(self.v21)
        self.assertEqual((four.responses, four.rounds), (0, 0))
        self.assertFalse(by_usefulness(four).physical.shown)
        self.assertContains(response, "Too few answers to show")
        self.assertNotContains(response, "1.0")

    def test_the_whole_course_minus_a_version_is_never_fewer_than_five(self):
        answer([self.invitation, *complete_many(self.round, 5, self.unit_a)], self.round, useful=4)
        answer(complete_many(self.later, 3, self.unit_a2), self.later, useful=1)
        _response, whole = self.comparison()
        _response, v20 = self.comparison(self.v20)
        _response, v21 = self.comparison(self.v21)
        # Shown together, 6 + 3 answers and 6 would give the later round's three away.
        for published in [whole, v20, v21]:
            for other in [whole, v20, v21]:
                difference = abs(published.responses - other.responses)
                self.assertTrue(difference == 0 or difference >= THRESHOLD)
                for a, b in zip(published.rows, other.rows, strict=True):
                    for mode in ["physical", "digital"]:
                        fa, fb = getattr(a, mode), getattr(b, mode)
                        if fa.shown and fb.shown:
                            people = abs(fa.people - fb.people)
                            self.assertTrue(people == 0 or people >= THRESHOLD)
        self.assertEqual((whole.responses, by_usefulness(whole).physical.mean), (6, 4.0))


def by_usefulness(comparison):
    return next(row for row in comparison.rows if row.question == usefulness())


@override_settings(LANGUAGE_CODE="en")
class IndexThresholdTests(EvaluationTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.four = completed_round(cls.course, cls.region_x, name="Fyra svarade")
        cls.five = completed_round(cls.course, cls.region_x, name="Fem svarade")
        answer(complete_many(cls.four, 4, cls.unit_a), cls.four)
        answer(complete_many(cls.five, 5, cls.unit_a2), cls.five)

    def index(self):
        self.login(self.coordinator_x)
        return self.client.get(reverse("evaluations:index")).content.decode()

    def test_a_round_with_four_answering_shows_no_counts_and_one_with_five_does(self):
        content = self.index()
        self.assertEqual(cells(row_of(content, "Fyra svarade"))[-2:], [WITHHELD, WITHHELD])
        five = cells(row_of(content, "Fem svarade"))
        self.assertEqual(five[-2:], ["5", "5"])
        self.assertIn("A count of fewer than 5 people is not shown", content)

    def test_the_course_total_minus_a_listed_round_is_never_fewer_than_five(self):
        six = completed_round(self.course, self.region_x, name="Sex svarade")
        answer(complete_many(six, 6, self.unit_a), six)
        content = self.index()
        listed = [int(cells(row_of(content, name))[-2]) for name in ["Fem svarade", "Sex svarade"]]
        self.assertEqual(cells(row_of(content, "Fyra svarade"))[-2], WITHHELD)
        self.login(self.editor)
        comparison = reverse("evaluations:course_comparison", args=[self.course.slug])
        total = self.client.get(comparison).context["comparison"].responses
        # 5 + 6 summed without the round of four: 11 − 5 and 11 − 6 are whole rounds of five.
        self.assertEqual(total, 11)
        for count in listed:
            self.assertGreaterEqual(total - count, THRESHOLD)
