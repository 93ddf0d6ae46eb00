"""The physical/digital comparison as the page and its Excel file show it: per day question,
the two distributions, their difference with its interval and effect size, the chart and a
sentence in plain language. Built from reports.queries.mode_score_groups, which keeps the
threshold of five."""

import io
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from yrkesresan.enrolment.exports import Sheet

from .charts import bar_chart
from .disclosure import THRESHOLD, shown
from .statistics import SCORES, Difference, compare


def number(value, digits=2, sign=False):
    text = formats.number_format(abs(value) if sign else value, digits, use_l10n=True)
    if sign:
        return ("+" if value >= 0 else "−") + text
    return text


SIZES = {
    "negligible": lambda: pgettext("effect", "negligible"),
    "small": lambda: pgettext("effect", "small"),
    "medium": lambda: pgettext("effect", "medium"),
    "large": lambda: pgettext("effect", "large"),
}


@dataclass
class ComparisonRow:
    question: object
    physical: object
    digital: object
    difference: Difference | None
    sentence: str
    chart: str | None
    withheld: int

    @property
    def chart_id(self):
        return f"chart-question-{self.question.pk}"


def sentence(physical, digital, difference):
    """What the figures say, in a sentence anyone can read; it says so when they cannot tell."""
    if not (shown(physical.people) and shown(digital.people)):
        return _(
            "There are too few answers from physical or from digital days to compare them: "
            "each mode needs the answers of at least %(threshold)s people."
        ) % {"threshold": THRESHOLD}
    if difference is None or not difference.can_tell:
        return _(
            "The data cannot tell whether physical or digital days are rated differently: the "
            "difference, %(estimate)s points, is within what chance alone could give "
            "(95 %% interval %(low)s to %(high)s)."
        ) % {
            "estimate": number(difference.estimate, sign=True) if difference else "0",
            "low": number(difference.low, sign=True) if difference else "",
            "high": number(difference.high, sign=True) if difference else "",
        }
    template = (
        _(
            "Digital days were rated higher than physical days, by %(points)s points on average "
            "(95 %% interval %(low)s to %(high)s); the effect is %(size)s."
        )
        if difference.digital_higher
        else _(
            "Physical days were rated higher than digital days, by %(points)s points on average "
            "(95 %% interval %(low)s to %(high)s); the effect is %(size)s."
        )
    )
    return template % {
        "points": number(abs(difference.estimate)),
        "low": number(difference.low, sign=True),
        "high": number(difference.high, sign=True),
        "size": SIZES[difference.size](),
    }


def _chart(group):
    series = [
        (mode_name, list(distribution.shares))
        for mode_name, distribution in [
            (_("Physical days"), group.physical),
            (_("Digital days"), group.digital),
        ]
        if shown(distribution.people)
    ]
    if not series:
        return None
    return bar_chart(
        ident=f"chart-question-{group.question.pk}",
        title=_("Share of answers per score: %(question)s") % {"question": group.question.text},
        description=_(
            "Bars per score from 1 to 5, the share of answers in per cent, physical days (solid) "
            "beside digital days (dashed outline). The same figures are in the table below."
        ),
        labels=[str(score) for score in SCORES],
        series=series,
        y_title=_("Share of answers (%)"),
        x_title=_("Score"),
    )


def comparison_rows(groups, *, charts=True):
    rows = []
    for group in groups:
        difference = None
        if shown(group.physical.people) and shown(group.digital.people):
            difference = compare(group.physical, group.digital)
        rows.append(
            ComparisonRow(
                question=group.question,
                physical=group.physical,
                digital=group.digital,
                difference=difference,
                sentence=sentence(group.physical, group.digital, difference),
                chart=_chart(group) if charts else None,
                withheld=group.withheld,
            )
        )
    return rows


def comparison_workbook(rows, filters):
    """The comparison's table as an Excel workbook: one row per question and mode."""
    workbook = Workbook()
    sheet = Sheet(workbook.active)
    sheet.worksheet.title = _("Physical and digital")[:31]
    sheet.append([_("Physical and digital days compared")], bold=True)
    sheet.append([filters])
    sheet.append([])
    header = sheet.append(
        [
            _("Question"),
            _("Mode"),
            _("Answers"),
            _("People"),
            *[_("Score %(score)s (%%)") % {"score": score} for score in SCORES],
            _("Mean (1–5)"),
            _("Difference, digital − physical"),
            _("Interval low (95 per cent)"),
            _("Interval high (95 per cent)"),
            _("Effect size (Cliff's delta)"),
            _("Conclusion"),
        ],
        bold=True,
    )
    for row in rows:
        for mode_name, distribution, first in [
            (_("Physical days"), row.physical, True),
            (_("Digital days"), row.digital, False),
        ]:
            published = shown(distribution.people)
            difference = row.difference if first else None
            sheet.append(
                [
                    row.question.text if first else "",
                    mode_name,
                    distribution.n if published else None,
                    distribution.people if published else None,
                    *[round(share, 1) if published else None for share in distribution.shares],
                    round(distribution.mean, 2) if published else None,
                    round(difference.estimate, 2) if difference else None,
                    round(difference.low, 2) if difference else None,
                    round(difference.high, 2) if difference else None,
                    round(difference.delta, 2) if difference else None,
                    row.sentence if first else "",
                ]
            )
    sheet.finish(header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
