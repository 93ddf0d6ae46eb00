"""The physical/digital comparison page: the threshold of five in every figure and against
differencing, its table and chart, its Excel file, and its query count."""

import io
import itertools

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.evaluations.models import Answer, Question, Response
from yrkesresan.evaluations.tests.helpers import completed_round
from yrkesresan.reports.forms import ModeComparisonForm
from yrkesresan.reports.queries import mode_score_groups
from yrkesresan.reports.services import tally_rounds
from yrkesresan.rounds.models import CourseDay, Round


def usefulness():
    return Question.objects.get(about=Question.About.DAY, order=1)


def respond(round, physical, digital, question=None):
    """One person's anonymous answers to `question` on the round's first physical day and
    on each of its digital days (None: no answer in that mode), counted into the round's
    tallies as the evaluations' batch move does."""
    question = question or usefulness()
    response = Response.objects.create(round=round)
    for day in round.days.all():
        score = physical if day.mode == CourseDay.Mode.PHYSICAL else digital
        if score is not None:
            Answer.objects.create(
                response=response, question=question, day=day, day_mode=day.mode, score=score
            )
    tally_rounds([round.pk])


def respond_many(round, people, physical=3, digital=4):
    for _ in range(people):
        respond(round, physical, digital)


class ComparisonTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round_a = completed_round(cls.course, cls.region_x, name="A", days_ago=60)
        cls.round_b = completed_round(cls.course, cls.region_x, name="B", days_ago=240)
        cls.round_y = completed_round(cls.course, cls.region_y, name="Y", days_ago=60)
        Round.objects.filter(pk__in=[cls.round_a.pk, cls.round_y.pk]).update(term="HT 2026")
        Round.objects.filter(pk=cls.round_b.pk).update(term="VT 2026")

    def group(self, rounds):
        return next(g for g in mode_score_groups(rounds) if g.question == usefulness())


class ThresholdTests(ComparisonTestCase):
    def test_a_round_with_the_answers_of_four_people_counts_nowhere(self):
        respond_many(self.round_a, 6, physical=3, digital=4)
        respond_many(self.round_b, 4, physical=1, digital=1)
        alone = self.group(Round.objects.filter(pk=self.round_b.pk))
        self.assertEqual((alone.physical.people, alone.digital.people), (0, 0))
        both = self.group(Round.objects.filter(pk__in=[self.round_a.pk, self.round_b.pk]))
        self.assertEqual(both.physical.people, 6)
        self.assertEqual(both.physical.mean, 3)
        self.assertEqual(both.digital.counts, (0, 0, 0, 18, 0))  # 6 people × 3 digital days
        self.assertEqual(both.withheld, 2)  # round B's physical and digital groups

    def test_a_mode_is_counted_per_round_on_its_own_people(self):
        """Five people answered the digital days but only four the physical one: the digital
        group is shown, the physical one is not."""
        respond_many(self.round_a, 4, physical=3, digital=4)
        respond(self.round_a, None, 5)
        group = self.group(Round.objects.filter(pk=self.round_a.pk))
        self.assertEqual(group.physical.people, 0)
        self.assertEqual(group.digital.people, 5)

    def test_no_two_published_figures_differ_by_fewer_than_five_people(self):
        """Every filter combination a user can choose, compared with every other: where one's
        rounds lie within the other's, the people between them are none or at least five, so
        subtracting one published figure from another reveals no group of one to four."""
        respond_many(self.round_a, 7, physical=4, digital=3)
        respond_many(self.round_b, 3, physical=1, digital=5)  # too few: must stay hidden
        respond_many(self.round_y, 5, physical=2, digital=2)
        rounds = Round.objects.all()
        form = ModeComparisonForm({}, rounds=rounds)
        courses = [None, *form.fields["kurs"].queryset]
        terms = [None, *(value for value, _ in form.fields["termin"].choices if value)]
        structures = [None, *form.fields["stod"].queryset]
        figures = {}
        for course, term, structure in itertools.product(courses, terms, structures):
            data = {
                "kurs": course.slug if course else "",
                "termin": term or "",
                "stod": structure.pk if structure else "",
            }
            chosen = ModeComparisonForm(data, rounds=rounds)
            self.assertTrue(chosen.is_valid(), chosen.errors)
            filtered = chosen.filter(rounds)
            group = self.group(filtered)
            figures[frozenset(filtered.values_list("pk", flat=True))] = group
        self.assertGreaterEqual(len(figures), 4)
        for (outer, big), (inner, small) in itertools.permutations(figures.items(), 2):
            if not inner < outer:
                continue
            for mode in ("physical", "digital"):
                people = getattr(big, mode).people - getattr(small, mode).people
                answers = getattr(big, mode).n - getattr(small, mode).n
                with self.subTest(outer=sorted(outer), inner=sorted(inner), mode=mode):
                    self.assertTrue(people == 0 or people >= 5, people)
                    self.assertTrue(answers == 0 or answers >= 5, answers)
        # Round B's three people are in no figure at all.
        everything = figures[frozenset(rounds.values_list("pk", flat=True))]
        self.assertEqual(everything.physical.people, 12)
        self.assertEqual(everything.physical.counts[0], 0)  # B's score 1 appears nowhere

    def test_a_retired_question_is_kept_while_it_has_answers(self):
        day_form = Question.objects.get(about=Question.About.DAY, order=2)
        Question.objects.filter(pk=day_form.pk).update(active=False)
        rounds = Round.objects.filter(pk=self.round_a.pk)
        self.assertNotIn(day_form, [group.question for group in mode_score_groups(rounds)])
        for _ in range(5):
            respond(self.round_a, 3, 4, question=day_form)
        self.assertIn(day_form, [group.question for group in mode_score_groups(rounds)])

    def test_the_query_reads_two_aggregates_whatever_the_number_of_rounds(self):
        respond_many(self.round_a, 5)
        with CaptureQueriesContext(connection) as few:
            mode_score_groups(Round.objects.filter(pk=self.round_a.pk))
        for round in [self.round_b, self.round_y]:
            respond_many(round, 6)
        with CaptureQueriesContext(connection) as more:
            mode_score_groups(Round.objects.all())
        # The questions, and the tallies summed per question and mode.
        self.assertEqual(len(few), 2)
        self.assertEqual(len(more), 2)


class ComparisonPageTests(ComparisonTestCase):
    url = reverse("reports:mode_comparison")

    def test_the_coordinator_sees_the_sentence_the_chart_and_its_table(self):
        respond_many(self.round_a, 6, physical=2, digital=5)
        self.client.force_login(self.coordinator_x)
        response = self.client.get(self.url, {"kurs": self.course.slug}, HTTP_ACCEPT_LANGUAGE="sv")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn('role="img"', html)
        self.assertIn("<desc", html)
        self.assertNotIn("<style", html)  # the CSP would refuse pygal's own styles
        self.assertIn("Digitala dagar fick högre betyg", html)
        self.assertIn("<caption", html)
        self.assertIn("100 %", html)  # every physical answer a 2, every digital one a 5

    def test_with_no_difference_in_the_data_the_page_says_it_cannot_tell(self):
        for score in (2, 3, 4, 3, 2, 4):  # the same spread of scores in both modes
            respond(self.round_a, score, score)
        self.client.force_login(self.coordinator_x)
        response = self.client.get(self.url, HTTP_ACCEPT_LANGUAGE="sv")
        html = response.content.decode()
        self.assertIn("kan inte avgöra", html)
        self.assertNotIn("fick högre betyg", html)

    def test_the_coordinator_sees_only_the_rounds_of_their_region(self):
        respond_many(self.round_y, 6, physical=2, digital=5)
        self.client.force_login(self.coordinator_x)
        response = self.client.get(self.url)
        self.assertNotIn('role="img"', response.content.decode())
        self.client.force_login(self.coordinator_y)
        response = self.client.get(self.url)
        self.assertIn('role="img"', response.content.decode())

    def test_a_participant_is_refused(self):
        self.client.force_login(self.participant)
        self.assertEqual(self.client.get(self.url).status_code, 403)

    def test_an_unknown_course_is_a_400_with_the_page(self):
        self.client.force_login(self.admin)
        response = self.client.get(self.url, {"kurs": "finns-inte"})
        self.assertEqual(response.status_code, 400)

    def test_the_table_exports_to_excel_with_the_same_figures(self):
        respond_many(self.round_a, 6, physical=2, digital=5)
        self.client.force_login(self.admin)
        response = self.client.get(reverse("reports:mode_comparison_xlsx"))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        physical = next(row for row in rows if row[0] == usefulness().text)
        self.assertEqual(physical[2:4], [6, 6])  # answers, people
        self.assertEqual(physical[5], 100.0)  # score 2: every answer
        self.assertEqual(physical[10], 3.0)  # digital 5 − physical 2

    def test_the_page_reads_a_constant_number_of_queries(self):
        self.client.force_login(self.admin)
        respond_many(self.round_a, 5)
        with CaptureQueriesContext(connection) as small:
            self.client.get(self.url)
        for round in [self.round_b, self.round_y]:
            respond_many(round, 7)
        for name in "CDEF":
            respond_many(completed_round(self.course, self.region_y, name=name), 5)
        with CaptureQueriesContext(connection) as large:
            self.client.get(self.url)
        self.assertEqual(len(small), len(large))
        self.assertEqual(len(large), 7)
