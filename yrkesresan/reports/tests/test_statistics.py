"""The physical/digital statistics on made data: a known difference is found, none is not."""

import random
from collections import Counter

from django.test import SimpleTestCase
from django.utils import translation

from yrkesresan.reports.comparison import sentence
from yrkesresan.reports.statistics import Distribution, cliffs_delta, compare, t_quantile


def made(scores, people=None):
    """A Distribution of these scores, one person per answer unless `people` says fewer."""
    return Distribution.of(Counter(scores), people or len(scores))


def drawn(rng, weights, n):
    """`n` scores drawn with these weights for 1..5."""
    return made(rng.choices([1, 2, 3, 4, 5], weights=weights, k=n))


class TQuantileTests(SimpleTestCase):
    def test_the_quantile_matches_the_tables_from_three_degrees_of_freedom(self):
        for df, table in [(3, 3.182), (4, 2.776), (5, 2.571), (10, 2.228), (30, 2.042)]:
            with self.subTest(df=df):
                self.assertAlmostEqual(t_quantile(0.975, df), table, delta=0.004)

    def test_fewer_degrees_of_freedom_are_taken_at_three(self):
        self.assertEqual(t_quantile(0.975, 1.2), t_quantile(0.975, 3))


class DistributionTests(SimpleTestCase):
    def test_mean_variance_and_shares_come_from_the_counts(self):
        distribution = made([1, 3, 3, 5])
        self.assertEqual(distribution.n, 4)
        self.assertEqual(distribution.mean, 3)
        self.assertAlmostEqual(distribution.variance, 8 / 3)
        self.assertEqual(distribution.shares, (25.0, 0.0, 50.0, 0.0, 25.0))


class CliffsDeltaTests(SimpleTestCase):
    def test_delta_counts_pairs_above_minus_pairs_below(self):
        # Digital 2 and 4 against physical 3 and 3: two pairs above, two below.
        self.assertEqual(cliffs_delta(made([2, 4]), made([3, 3])), 0)
        # Digital 4, 5 against physical 3, 4: pairs (4>3), (4=4), (5>3), (5>4) → 3 of 4 above.
        self.assertEqual(cliffs_delta(made([4, 5]), made([3, 4])), 0.75)


class CompareTests(SimpleTestCase):
    def test_a_known_difference_of_one_point_is_found_and_lies_in_the_interval(self):
        rng = random.Random(11)
        physical = drawn(rng, [5, 15, 40, 30, 10], 200)  # mean 3.25
        digital = drawn(rng, [0, 5, 15, 35, 45], 200)  # mean 4.2
        difference = compare(physical, digital)
        self.assertTrue(difference.can_tell)
        self.assertTrue(difference.digital_higher)
        self.assertLess(difference.low, 0.95)
        self.assertGreater(difference.high, 0.95)
        self.assertGreater(difference.delta, 0.33)
        self.assertIn(difference.size, ("medium", "large"))

    def test_lower_digital_scores_are_found_too(self):
        difference = compare(made([4, 5, 5, 4, 5, 4, 5, 5]), made([2, 1, 2, 3, 2, 1, 2, 2]))
        self.assertTrue(difference.can_tell)
        self.assertFalse(difference.digital_higher)
        self.assertEqual(difference.delta, -1)
        self.assertEqual(difference.size, "large")

    def test_draws_from_the_same_distribution_are_rarely_told_apart(self):
        """With no difference at all, a 95 % interval excludes zero in about one draw of
        twenty: the test would fail both for an interval that is too narrow and for one
        that never finds anything."""
        rng = random.Random(7)
        told = 0
        for _ in range(400):
            physical = drawn(rng, [5, 15, 40, 30, 10], 60)
            digital = drawn(rng, [5, 15, 40, 30, 10], 60)
            told += compare(physical, digital).can_tell
        self.assertLess(told / 400, 0.08)
        self.assertGreater(told / 400, 0.02)

    def test_a_known_difference_of_one_point_is_found_in_almost_every_draw(self):
        rng = random.Random(5)
        found = sum(
            compare(
                drawn(rng, [5, 15, 40, 30, 10], 30), drawn(rng, [0, 5, 15, 35, 45], 30)
            ).digital_higher
            for _ in range(100)
        )
        self.assertGreater(found, 95)

    def test_identical_answers_give_no_difference_and_a_negligible_effect(self):
        difference = compare(made([3, 4, 4, 5, 2]), made([3, 4, 4, 5, 2]))
        self.assertEqual(difference.estimate, 0)
        self.assertFalse(difference.can_tell)
        self.assertEqual(difference.size, "negligible")

    def test_the_interval_counts_people_not_answers(self):
        """Ten people who each answered on three digital days are ten people: the interval
        is as wide as for ten answers, not for thirty."""
        physical = made([2, 3, 3, 4, 3, 2, 4, 3, 3, 3])
        by_answers = compare(physical, made([3, 4, 4, 5, 4, 3, 5, 4, 4, 4] * 3))
        by_people = compare(physical, made([3, 4, 4, 5, 4, 3, 5, 4, 4, 4] * 3, people=10))
        self.assertGreater(by_people.high - by_people.low, by_answers.high - by_answers.low)

    def test_every_answer_alike_in_both_modes_is_a_difference_without_spread(self):
        difference = compare(made([3] * 6), made([4] * 6))
        self.assertEqual((difference.low, difference.estimate, difference.high), (1, 1, 1))
        self.assertTrue(difference.can_tell)


class SentenceTests(SimpleTestCase):
    def test_when_the_data_cannot_tell_the_sentence_says_so(self):
        physical, digital = made([3, 4, 4, 5, 2, 3]), made([3, 4, 5, 4, 2, 3])
        with translation.override("sv"):
            text = sentence(physical, digital, compare(physical, digital))
        self.assertIn("kan inte avgöra", text)

    def test_a_clear_difference_is_said_with_its_direction_and_size(self):
        physical, digital = made([2, 2, 3, 2, 1, 2]), made([4, 5, 4, 5, 4, 5])
        with translation.override("sv"):
            text = sentence(physical, digital, compare(physical, digital))
        self.assertIn("Digitala dagar fick högre betyg", text)
        self.assertIn("stor", text)

    def test_too_few_people_in_a_mode_is_said_and_nothing_is_compared(self):
        with translation.override("sv"):
            text = sentence(made([3, 4, 5, 4, 4]), Distribution(), None)
        self.assertIn("för få svar", text)
