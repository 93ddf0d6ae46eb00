"""The threshold of five, in one place: every figure the reports publish from the evaluations
(answers and scores, response rates) is summed here.

Each measure is counted in *units*, the smallest groups any page breaks it down to: one
round's answers to one question in one mode of day; one round's invitations to the staff of
one municipality. A unit of fewer than THRESHOLD people is left out of every sum, on every
page, chart and Excel file, whatever the filters. A published figure is then a sum of whole
units of at least THRESHOLD people each, and so is the difference of any two of them (a term
minus one of its rounds, a county minus one of its municipalities, the region minus a
course): no one can subtract their way down to fewer than THRESHOLD people.

That holds only while every page sums the same units of a measure and filters by whole
units, which is why the units are named by the queries in reports.queries and the sums are
made by the one rule in evaluations.disclosure, in the database, and nowhere else: the
evaluations' own pages (a round's results, a course's comparison) sum the same units with it.
"""

from yrkesresan.evaluations.disclosure import THRESHOLD, published_totals, shown

__all__ = ["THRESHOLD", "published_totals", "shown"]
