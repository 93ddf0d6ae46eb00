"""The region's and the nation's dashboards: figures, each a chart with its data table, and
the same tables as an Excel workbook. The counts come grouped from reports.queries (one query
a figure, whatever the size of the data); this module only arranges them."""

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from yrkesresan.enrolment.exports import Sheet
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import term_dates, term_of

from . import queries
from .charts import bar_chart
from .disclosure import THRESHOLD


@dataclass
class Figure:
    """One table (rows × columns of numbers) and the chart drawn from it: each column a
    series, each row a label on the axis."""

    ident: str
    title: str
    description: str
    row_header: str
    columns: list
    rows: list  # [(label, [value per column])]
    unit: str = ""
    horizontal: bool = False

    @property
    def chart(self):
        if not self.rows:
            return None
        return bar_chart(
            ident=f"chart-{self.ident}",
            title=self.title,
            description=self.description,
            labels=[str(label) for label, _values in self.rows],
            series=[
                (column, [values[index] for _label, values in self.rows])
                for index, column in enumerate(self.columns)
            ],
            horizontal=self.horizontal,
            height=max(320, 26 * len(self.rows) * len(self.columns) + 120)
            if self.horizontal
            else 320,
        )


def _term_key(term):
    half, year = term.split()
    return (int(year), half == "HT")


def _terms(*mappings):
    """Every term that occurs in the keys of the mappings, oldest first."""
    terms = set()
    for mapping in mappings:
        terms.update(key[0] if isinstance(key, tuple) else key for key in mapping)
    return sorted(terms, key=_term_key)


def _response_rate(totals):
    """The per cent answered of `totals` (queries.invitations_by); None when no unit was big
    enough to count."""
    if not totals or not totals["invited"]:
        return None
    return round(100 * totals["answered"] / totals["invited"])


def _with_response_rule(description):
    """A response rate's description, followed by the rule that keeps small groups out."""
    rule = _(
        "Each round's invitations to one municipality's staff count only when at least "
        "%(threshold)s were invited; a dash means too few to show."
    ) % {"threshold": THRESHOLD}
    return f"{description} {rule}"


def _seats_by_term_and_course(seats, registrations, description, columns):
    """The figure of the seats planned against the people registered and waiting, a bar
    group per term and course: `seats` {(term, course): seats}, `registrations`
    {(term, course, status): people} (reports.queries)."""
    registered = Registration.Status.REGISTERED
    waitlisted = Registration.Status.WAITLISTED
    term_courses = sorted(
        {*seats, *((term, course) for term, course, _status in registrations)},
        key=lambda key: (_term_key(key[0]), key[1]),
    )
    return Figure(
        "seats",
        _("Staff waiting against the seats planned, per term and course"),
        description,
        _("Term and course"),
        columns,
        [
            (
                f"{term} · {course}",
                [
                    seats.get((term, course), 0),
                    registrations.get((term, course, registered), 0),
                    registrations.get((term, course, waitlisted), 0),
                ],
            )
            for term, course in term_courses
        ],
        horizontal=True,
    )


def region_figures(rounds):
    """The region's dashboard over `rounds` (its support structures' rounds)."""
    seats = queries.seats_by_term(rounds, "course__title")
    registrations = queries.registrations_by_term(rounds, "round__course__title")
    by_step = queries.completions_by(rounds, "course__step__name")
    by_municipality = queries.completions_by(rounds, "person__municipality__name")
    responses = queries.invitations_by(rounds, "round__term")
    given = queries.trainer_days_given(rounds)
    taken = queries.course_days_taken(rounds)
    day_municipalities = sorted({name or _("No municipality") for name in [*given, *taken]})
    steps = sorted({key[1] for key in by_step})
    municipalities = sorted({key[1] or _("No municipality") for key in by_municipality})
    completion_terms = _terms(by_step)
    return [
        _seats_by_term_and_course(
            seats,
            registrations,
            _(
                "Horizontal bars per term and course: the seats planned in the rounds, the "
                "people registered for them and the people on their waiting lists."
            ),
            [_("Seats planned"), _("Registered"), _("Waiting")],
        ),
        Figure(
            "completions-by-step",
            _("Completions per term and step"),
            _("Bars per term: the courses completed in the rounds, one bar per step."),
            _("Term"),
            steps,
            [(term, [by_step.get((term, step), 0) for step in steps]) for term in completion_terms],
        ),
        Figure(
            "completions-by-municipality",
            _("Completions per municipality and term"),
            _(
                "Horizontal bars per municipality of the people who completed a course, one "
                "bar per term."
            ),
            _("Municipality"),
            completion_terms,
            [
                (
                    name,
                    [
                        by_municipality.get(
                            (term, None if name == _("No municipality") else name), 0
                        )
                        for term in completion_terms
                    ],
                )
                for name in municipalities
            ],
            horizontal=True,
        ),
        Figure(
            "trainer-days",
            _("Trainer days given and course days taken per municipality"),
            _(
                "Horizontal bars per municipality: the days its trainers gave in the rounds "
                "(one day for each trainer in a day's team) and the course days its registered "
                "staff have a seat on."
            ),
            _("Municipality"),
            [_("Trainer days given"), _("Course days taken")],
            [
                (
                    name,
                    [
                        given.get(None if name == _("No municipality") else name, 0),
                        taken.get(None if name == _("No municipality") else name, 0),
                    ],
                )
                for name in day_municipalities
            ],
            horizontal=True,
        ),
        Figure(
            "response-rate",
            _("Evaluation response rate per term (%)"),
            _with_response_rule(
                _("Bars per term: the share of invited participants who answered the evaluation.")
            ),
            _("Term"),
            [_("Answered (%)")],
            [
                (term, [_response_rate(responses[term])])
                for term in sorted(responses, key=_term_key)
            ],
            unit="%",
        ),
    ]


def municipalities_figures(municipality_ids, rounds, seat_rounds):
    """The dashboard of the municipalities `municipality_ids` (a contact's municipality, or a
    county's): their staff in `rounds` and the seats planned in `seat_rounds` (the rounds of
    the support structures serving them). The region's queries, narrowed to their people;
    the response rates from the same units as everywhere (reports.disclosure)."""
    seats = queries.seats_by_term(seat_rounds, "course__title")
    registrations = queries.registrations_by_term(
        seat_rounds, "round__course__title", municipality_ids=municipality_ids
    )
    by_step = queries.completions_by(
        rounds, "course__step__name", municipality_ids=municipality_ids
    )
    responses = queries.invitations_by(rounds, "round__term", municipality_ids)
    given = queries.trainer_days_given(rounds, municipality_ids)
    taken = queries.course_days_taken(rounds, municipality_ids)
    steps = sorted({key[1] for key in by_step})
    names = sorted({*given, *taken})
    return [
        _seats_by_term_and_course(
            seats,
            registrations,
            _(
                "Horizontal bars per term and course: the seats planned in the rounds of the "
                "support structures, and the staff registered for them and waiting."
            ),
            [_("Seats planned"), _("Staff registered"), _("Staff waiting")],
        ),
        Figure(
            "completions-by-step",
            _("Completions per term and step"),
            _("Bars per term: the courses the staff completed, one bar per step."),
            _("Term"),
            steps,
            [(term, [by_step.get((term, step), 0) for step in steps]) for term in _terms(by_step)],
        ),
        Figure(
            "trainer-days",
            _("Trainer days given and course days taken"),
            _(
                "Horizontal bars per municipality: the days its trainers gave in the rounds "
                "(one day for each trainer in a day's team) and the course days its registered "
                "staff have a seat on."
            ),
            _("Municipality"),
            [_("Trainer days given"), _("Course days taken")],
            [(name, [given.get(name, 0), taken.get(name, 0)]) for name in names],
            horizontal=True,
        ),
        Figure(
            "response-rate",
            _("Evaluation response rate per term (%)"),
            _with_response_rule(
                _("Bars per term: the share of the invited staff who answered the evaluation.")
            ),
            _("Term"),
            [_("Answered (%)")],
            [
                (term, [_response_rate(responses[term])])
                for term in sorted(responses, key=_term_key)
            ],
            unit="%",
        ),
    ]


def _term_starts(count=4, today=None):
    """The first day of the current term and of the `count - 1` terms before it."""
    today = today or timezone.localdate()
    term = term_of(today)
    starts = []
    for _index in range(count):
        starts.append((term, term_dates(term)[0]))
        year = int(term.split()[1])
        term = f"VT {year}" if term.startswith("HT") else f"HT {year - 1}"
    return list(reversed(starts))


def nation_figures(rounds, today=None):
    """The nation's dashboard over every round `rounds` holds."""
    starts = _term_starts(today=today)
    members = {term: queries.members_by_county(start) for term, start in starts}
    counties = sorted({county for counts in members.values() for county in counts})
    participants = queries.participants_by(rounds, "round__course__step__journey__name")
    completions = queries.completions_by(rounds, "course__step__journey__name")
    journeys = sorted({key[1] for key in participants} | {key[1] for key in completions})
    terms = _terms(participants, completions)
    region_participants = queries.participants_by(rounds, "round__structure__name")
    region_completions = queries.completions_by(rounds, "registration__round__structure__name")
    responses = queries.invitations_by(rounds, "round__structure__name")
    regions = sorted({key[1] for key in region_participants} | set(responses))

    def total(mapping, name):
        return sum(n for key, n in mapping.items() if key[1] == name)

    return [
        Figure(
            "members-by-county",
            _("Member municipalities per county at the start of each term"),
            _(
                "Horizontal bars per county: the municipalities taking part in the programme "
                "on the first day of each of the last four terms."
            ),
            _("County"),
            [term for term, _start in starts],
            [
                (county, [members[term].get(county, 0) for term, _s in starts])
                for county in counties
            ],
            horizontal=True,
        ),
        Figure(
            "journeys",
            _("Participants and completions per journey and term"),
            _(
                "Bars per term: for each journey, the people registered in its rounds and the "
                "courses completed."
            ),
            _("Term"),
            [
                label % {"journey": journey}
                for journey in journeys
                for label in (_("%(journey)s: participants"), _("%(journey)s: completions"))
            ],
            [
                (
                    term,
                    [
                        value
                        for journey in journeys
                        for value in (
                            participants.get((term, journey), 0),
                            completions.get((term, journey), 0),
                        )
                    ],
                )
                for term in terms
            ],
        ),
        Figure(
            "regions",
            _("Regions compared"),
            _with_response_rule(
                _(
                    "Horizontal bars per regional support structure: participants "
                    "registered, courses completed and the evaluation response rate in per "
                    "cent, over every term."
                )
            ),
            _("Support structure"),
            [_("Participants"), _("Completions"), _("Answered (%)")],
            [
                (
                    region,
                    [
                        total(region_participants, region),
                        total(region_completions, region),
                        _response_rate(responses.get(region)),
                    ],
                )
                for region in regions
            ],
            horizontal=True,
        ),
    ]


def figures_workbook(title, figures):
    """Every figure's table as a sheet of its own."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for figure in figures:
        sheet = Sheet(workbook.create_sheet(_sheet_name(figure.title)))
        sheet.append([title], bold=True)
        sheet.append([figure.title])
        header = sheet.append([figure.row_header, *figure.columns], bold=True)
        for label, values in figure.rows:
            sheet.append([str(label), *values])
        sheet.finish(header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(text):
    return "".join(c for c in str(text) if c not in "[]:*?/\\")[:31]
