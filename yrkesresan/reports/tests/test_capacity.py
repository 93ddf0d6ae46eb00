"""report_planning.capacity_plan, counted in the database: a hand-computed case with the edge cases
(placements over the years, the boundaries of the year ranges, the best standing of a person
with several registrations), the same figures as deciding each person's step in Python, and
a constant number of queries."""

import datetime
from collections import Counter, defaultdict

from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yrkesresan.accounts.models import User, WorkRole, started_by
from yrkesresan.catalog.models import Course
from yrkesresan.core.testing import make_person, years_ago
from yrkesresan.enrolment import queries as enrolment_queries
from yrkesresan.enrolment.models import Placement, Registration
from yrkesresan.enrolment.placement import current_placement, set_work_role
from yrkesresan.reports import planning as report_planning
from yrkesresan.rounds import services as planning
from yrkesresan.rounds.models import Round, term_dates
from yrkesresan.rounds.tests.test_support import RoundsTestCase, next_term_thursday

REGISTERED = Registration.Status.REGISTERED
WAITLISTED = Registration.Status.WAITLISTED


def reference_plan(structure, *, by_date):
    """The plan's people figures decided one person at a time, as capacity_plan did before it
    counted in the database: {course pk: (on_step, done, booked, waiting, by_municipality)}."""
    journeys = report_planning.published_journeys()
    courses_by_step = defaultdict(list)
    for journey in journeys:
        for step in journey.steps.all():
            courses_by_step[step.pk].extend(step.courses.all())
    figures = {
        course.pk: [0, 0, 0, 0, Counter()]
        for courses in courses_by_step.values()
        for course in courses
    }
    standing = {}
    for registration in Registration.objects.filter(status__in=enrolment_queries.ACTIVE).exclude(
        round__status=Round.Status.CANCELLED
    ):
        last_day = registration.round.days.order_by("-number").first().date
        if registration.status == WAITLISTED:
            rank = 1
        elif registration.round.status in report_planning.DONE_STATUSES:
            rank = 3
        else:
            rank = 2 if last_day <= by_date else 0
        key = (registration.person_id, registration.round.course_id)
        standing[key] = max(standing.get(key, 0), rank)
    for person in enrolment_queries.member_staff(structure).select_related("municipality"):
        for journey in journeys:
            step = current_placement(person, journey).step
            for course in courses_by_step[step.pk] if step else ():
                figure = figures[course.pk]
                figure[0] += 1
                rank = standing.get((person.pk, course.pk), 0)
                if rank == 3:
                    figure[1] += 1
                elif rank == 2:
                    figure[2] += 1
                else:
                    figure[3] += rank == 1
                    figure[4][person.municipality.name] += 1
    return {pk: tuple(figure) for pk, figure in figures.items()}


def figures(needs):
    return {
        need.course.pk: (need.on_step, need.done, need.booked, need.waiting, need.by_municipality)
        for need in needs
    }


class StartedByTests(SimpleTestCase):
    def test_the_date_bound_agrees_with_years_in_profession(self):
        days = [datetime.date(2027, 1, 1) + datetime.timedelta(days=n) for n in range(0, 800, 23)]
        days += [datetime.date(2028, 2, 29), datetime.date(2028, 2, 28), datetime.date(2027, 3, 1)]
        for on in days:
            for years in (1, 2, 5):
                latest = started_by(on, years)
                for shift in range(-400, 400, 3):
                    start = latest + datetime.timedelta(days=shift)
                    person = User(profession_started_on=start)
                    self.assertEqual(
                        person.years_in_profession(on) >= years,
                        start <= latest,
                        (on, years, start),
                    )

    def test_a_leap_day_bound_becomes_the_28th(self):
        self.assertEqual(started_by(datetime.date(2028, 2, 29), 1), datetime.date(2027, 2, 28))
        self.assertEqual(started_by(datetime.date(2028, 2, 29), 4), datetime.date(2024, 2, 29))
        self.assertIsNone(started_by(datetime.date(2028, 2, 29), 5000))


class CapacityCountsTests(RoundsTestCase):
    """Region X, by the last day of the open round (`cls.round`, course Ny), which is booked
    for the participant, the Eskilstuna colleague on unit A2 and the Kumla participant."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        steps = cls.steps
        cls.van_course = Course.objects.create(step=steps["van"], slug="van", title="Van-kurs")
        cls.chef_course = Course.objects.create(step=steps["chef"], slug="chef", title="Chefskurs")
        cls.by_date = cls.round.days.order_by("-number").first().date
        done_ny = cls.make_round(cls.course, "Klar", Round.Status.COMPLETED)
        late_ny = cls.make_round(
            cls.course, "Sen", Round.Status.OPEN, first_day=next_term_thursday(weeks=10)
        )
        van_running = cls.make_round(cls.van_course, "Van pågår", Round.Status.RUNNING)
        cls.van_open = cls.make_round(cls.van_course, "Van öppen", Round.Status.OPEN)

        def person(name, started, unit=None, **fields):
            return make_person(
                f"{name}@example.com", unit=unit or cls.unit_kumla, started=started, **fields
            )

        # Ny (0–2 years).
        person("ny.grans", years_ago(2, days=-1))  # a day short of 2 years: still Ny
        person("ny.framtid", timezone.localdate() + datetime.timedelta(days=30))  # 0 years
        ny_klar = person("ny.klar", years_ago(1))
        cls.register(ny_klar, done_ny, REGISTERED)
        cls.register(ny_klar, late_ny, WAITLISTED)  # done counts, not waiting
        cls.register(person("ny.sen", years_ago(1)), late_ny, REGISTERED)  # ends too late
        cls.register(person("ny.vantar", years_ago(1), unit=cls.unit_a2), cls.round, WAITLISTED)
        to_chef = person("ny.chef", years_ago(0, 30))
        cls.place(to_chef, "chef")  # Ny by the years, but placed on Chef
        cls.register(to_chef, done_ny, REGISTERED)
        person("ny.inaktiv", years_ago(1), is_active=False)
        make_person("arboga.ny@example.com", municipality=cls.arboga, started=years_ago(1))
        person("okand", None)
        # Van (2–5 years).
        cls.register(person("van.grans", years_ago(2)), van_running, REGISTERED)  # 2 years
        cls.register(person("van.ovre", years_ago(5, days=-1)), cls.van_open, WAITLISTED)
        placed = person("erfaren.van", years_ago(5), unit=cls.unit_a2)  # Erfaren by the years
        cls.place(placed, "van")
        cls.register(placed, cls.van_open, REGISTERED)

    @classmethod
    def make_round(cls, course, name, status, first_day=None):
        first_day = first_day or next_term_thursday()
        round = planning.create_round(
            course,
            cls.region_x,
            by=cls.coordinator_x,
            term=planning.term_of(first_day),
            name=name,
            seats=10,
            registration_opens_on=timezone.localdate(),
            registration_closes_on=first_day - datetime.timedelta(days=14),
            days=planning.propose_days(
                course, first_day, venue=cls.venue, meeting_url="https://meet.example.se/x"
            ),
        )
        Round.objects.filter(pk=round.pk).update(status=status)
        return round

    @classmethod
    def register(cls, person, round, status):
        Registration.objects.create(person=person, round=round, status=status)

    @classmethod
    def place(cls, person, step):
        Placement.objects.create(
            person=person,
            journey=cls.journey,
            step=cls.steps[step],
            source=Placement.Source.MANAGER,
            reason="Bedömning",
        )

    def plan(self, by_date=None):
        return report_planning.capacity_plan(self.region_x, by_date=by_date or self.by_date)

    def test_the_hand_counted_figures(self):
        self.assertEqual(
            figures(self.plan()),
            {
                # participant, A2 colleague and Kumla participant booked; ny.klar done;
                # ny.vantar waiting; ny.grans, ny.framtid, ny.sen without a seat.
                self.course.pk: (8, 1, 3, 1, Counter(Kumla=3, Eskilstuna=1)),
                # van.grans done (running round), erfaren.van booked, van.ovre waiting.
                self.van_course.pk: (3, 1, 1, 1, Counter(Kumla=1)),
                # ny.chef, placed there.
                self.chef_course.pk: (1, 0, 0, 0, Counter(Kumla=1)),
            },
        )
        needs = {need.course.pk: need for need in self.plan()}
        self.assertEqual(needs[self.course.pk].need, 4)
        self.assertEqual(
            (needs[self.van_course.pk].free_seats, needs[self.van_course.pk].planned_rounds),
            (9, 1),
        )

    def test_unit_managers_count_on_chef_and_team_leaders_on_arbetsledare(self):
        leading = Course.objects.create(
            step=self.steps["arbetsledare"], slug="leda-teamet", title="Leda teamet"
        )
        set_work_role(self.manager_kumla, WorkRole.UNIT_MANAGER, by=self.admin)  # no start date
        set_work_role(self.manager_a, WorkRole.UNIT_MANAGER, by=self.admin)
        make_person("teamledare@example.com", unit=self.unit_kumla, started=years_ago(8),
                    work_role=WorkRole.TEAM_LEADER)  # fmt: skip
        found = figures(self.plan())
        # ny.chef (placed there) and the two unit managers.
        self.assertEqual(found[self.chef_course.pk], (3, 0, 0, 0, Counter(Kumla=2, Eskilstuna=1)))
        self.assertEqual(found[leading.pk], (1, 0, 0, 0, Counter(Kumla=1)))
        self.assertEqual(found, reference_plan(self.region_x, by_date=self.by_date))

    def test_the_same_figures_as_one_person_at_a_time(self):
        term_end = term_dates(self.round.term)[1]
        for by_date in [self.by_date - datetime.timedelta(days=1), self.by_date, term_end]:
            with self.subTest(by_date=by_date):
                expected = reference_plan(self.region_x, by_date=by_date)
                self.assertEqual(figures(self.plan(by_date)), expected)

    def test_a_constant_number_of_queries(self):
        with CaptureQueriesContext(connection) as before:
            self.plan()
        for n in range(12):
            person = make_person(
                f"fler{n}@example.com", unit=self.unit_a, started=years_ago(n % 7, days=n)
            )
            if n % 3 == 0:
                self.place(person, ["ny", "van", "erfaren", "chef"][n % 4])
            if n % 2 == 0:
                self.register(person, self.van_open, [REGISTERED, WAITLISTED][n % 4 // 2])
        with self.assertNumQueries(len(before.captured_queries)):
            self.plan()
        self.assertEqual(len(before.captured_queries), 6)
