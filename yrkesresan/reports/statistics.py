"""Physical against digital days: what a difference in scores means, from counts alone.

Every figure here is computed from a distribution of scores (how many answers gave 1, 2, … 5)
and the number of people behind it, never from individual answers, so that the comparison
can be made from the anonymous aggregates that `reports.queries.mode_score_groups` reads.

The difference is digital minus physical in mean score, with a 95 % Welch interval. One person
answers a day question once for every day of a mode, and their answers are alike, so the
standard error divides each group's variance by its number of *people*, not of answers: the
interval is wider (more cautious) than one that took every answer as independent. The effect
size is Cliff's delta: the probability that a digital answer is higher than a physical one,
minus the probability that it is lower (−1 to 1; about 0.15 is small, 0.33 medium, 0.47 large).
When the interval contains zero, the data cannot tell the modes apart.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

SCORES = (1, 2, 3, 4, 5)
# Cliff's delta: the usual limits of a negligible, small and medium effect (Romano et al. 2006).
NEGLIGIBLE, SMALL, MEDIUM = 0.147, 0.33, 0.474


@dataclass(frozen=True)
class Distribution:
    """How many answers gave each score, and how many people (responses) gave them."""

    counts: tuple = (0, 0, 0, 0, 0)  # answers with score 1, 2, 3, 4, 5
    people: int = 0

    @classmethod
    def of(cls, by_score, people):
        return cls(tuple(by_score.get(score, 0) for score in SCORES), people)

    @property
    def n(self):
        return sum(self.counts)

    @property
    def mean(self):
        if not self.n:
            return None
        return sum(score * count for score, count in zip(SCORES, self.counts, strict=True)) / self.n

    @property
    def variance(self):
        """The sample variance of the scores (n − 1 in the denominator); 0 for one answer."""
        if self.n < 2:
            return 0.0
        mean = self.mean
        squares = sum(
            count * (score - mean) ** 2 for score, count in zip(SCORES, self.counts, strict=True)
        )
        return squares / (self.n - 1)

    @property
    def shares(self):
        """The share of answers per score in per cent, in score order."""
        return tuple(100 * count / self.n if self.n else 0.0 for count in self.counts)


def t_quantile(p, df):
    """The p-quantile of Student's t distribution with `df` degrees of freedom.

    The Cornish–Fisher expansion around the normal quantile (Abramowitz & Stegun 26.7.5), to
    within 0.004 of the tables for the 97.5 % quantile at 3 degrees of freedom and within 0.001
    from 4 on; below 3 it is taken at 3 (such intervals are few: every group has five people).
    """
    df = max(df, 3.0)
    z = NormalDist().inv_cdf(p)
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def cliffs_delta(digital, physical):
    """P(a digital answer > a physical one) − P(digital < physical), from the two counts."""
    if not digital.n or not physical.n:
        return None
    balance = 0
    for d_score, d_count in zip(SCORES, digital.counts, strict=True):
        for p_score, p_count in zip(SCORES, physical.counts, strict=True):
            if d_score != p_score:
                balance += d_count * p_count * (1 if d_score > p_score else -1)
    return balance / (digital.n * physical.n)


@dataclass(frozen=True)
class Difference:
    """Digital minus physical: the difference in mean score with its 95 % interval, and
    Cliff's delta."""

    estimate: float
    low: float
    high: float
    delta: float

    @property
    def can_tell(self):
        """False when the interval contains zero: the data cannot tell the modes apart."""
        return self.low > 0 or self.high < 0

    @property
    def digital_higher(self):
        return self.can_tell and self.estimate > 0

    @property
    def size(self):
        """'negligible', 'small', 'medium' or 'large', from Cliff's delta."""
        magnitude = abs(self.delta)
        if magnitude < NEGLIGIBLE:
            return "negligible"
        if magnitude < SMALL:
            return "small"
        if magnitude < MEDIUM:
            return "medium"
        return "large"


def compare(physical, digital, confidence=0.95):
    """The Difference between two Distributions, or None when either has fewer than two
    people (no variance to speak of)."""
    if physical.people < 2 or digital.people < 2:
        return None
    estimate = digital.mean - physical.mean
    v_d = digital.variance / digital.people
    v_p = physical.variance / physical.people
    se = math.sqrt(v_d + v_p)
    if se == 0:
        # Every answer in both groups is the same score: the difference is what it is.
        return Difference(estimate, estimate, estimate, cliffs_delta(digital, physical))
    # Welch–Satterthwaite degrees of freedom, over the people of each group.
    df = (v_d + v_p) ** 2 / (v_d**2 / (digital.people - 1) + v_p**2 / (physical.people - 1))
    half = t_quantile(1 - (1 - confidence) / 2, df) * se
    return Difference(estimate, estimate - half, estimate + half, cliffs_delta(digital, physical))
