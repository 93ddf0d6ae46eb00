"""The participant's journey drawn as a route: steps as stations, courses along the way.

`journey_map_for(person)` gathers everything the start page shows about the person's own
journey in a fixed number of queries, however many courses, rounds and days there are;
`next_thing(journey_map, now)` picks the one thing to do next from it, as a plain function.
"""

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yrkesresan.catalog.models import Course, DeepDiveTask, Journey, PreparationTask, Step
from yrkesresan.core.partial import partial_instance
from yrkesresan.core.reversing import row_urls
from yrkesresan.enrolment.models import (
    Completion,
    DeepDiveAnswer,
    Placement,
    Registration,
    StepSeen,
)
from yrkesresan.enrolment.placement import current_placement
from yrkesresan.evaluations.models import Invitation
from yrkesresan.rounds.models import CourseDay, Round, Venue

COMPLETED = "completed"
REGISTERED = "registered"
WAITLISTED = "waitlisted"
NOT_STARTED = "not_started"

STATUS_LABELS = {
    COMPLETED: gettext_lazy("Completed"),
    REGISTERED: gettext_lazy("Under way: you have a place in a round"),
    WAITLISTED: gettext_lazy("Under way: on the waiting list"),
    NOT_STARTED: gettext_lazy("Not started"),
}

PASSED = "passed"
CURRENT = "current"
AHEAD = "ahead"

# Deep-dive answers the participant still has to write, or write more on.
OPEN_ANSWER_STATUSES = (None, DeepDiveAnswer.Status.DRAFT, DeepDiveAnswer.Status.NEEDS_MORE)


@dataclass
class CourseOnMap:
    """One course along the route and where the person stands with it."""

    course: Course
    status: str = NOT_STARTED
    registration: Registration | None = None  # the completed or the active registration
    completion: Completion | None = None
    optional: bool = False  # on a step before the person's own, and not done
    preparation_done: int = 0
    preparation_total: int = 0
    # Addresses: the course's page; the person's course page and the course's preparation,
    # when there is a registration (reversed once per map, not once per course).
    url: str = ""
    course_page_url: str = ""
    preparation_url: str = ""

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def is_done(self):
        return self.status == COMPLETED

    @property
    def is_under_way(self):
        return self.status in (REGISTERED, WAITLISTED)


@dataclass
class Station:
    """A step of the journey with its courses; `position` is passed, current or ahead."""

    step: Step
    position: str
    courses: list = field(default_factory=list)

    @property
    def is_current(self):
        return self.position == CURRENT

    @property
    def is_passed(self):
        return self.position == PASSED

    @property
    def done_count(self):
        return sum(1 for entry in self.courses if entry.is_done)

    @property
    def course_count(self):
        return len(self.courses)

    @property
    def is_done(self):
        return bool(self.courses) and self.done_count == self.course_count


@dataclass
class ActiveRound:
    """A registration in a round the person is taking now, with what is left to do in it.

    `days` are the person's own days: the round's days and any make-up days booked for them,
    in date order. `modules` are the course's preparation modules with `is_done` set;
    `deep_dive` pairs each deep-dive task with the person's answer (or None).
    """

    registration: Registration
    days: list
    modules: list
    deep_dive: list

    @property
    def round(self):
        return self.registration.round

    @property
    def course(self):
        return self.registration.round.course

    @property
    def is_registered(self):
        return self.registration.status == Registration.Status.REGISTERED

    @property
    def first_day(self):
        return self.days[0].date if self.days else None

    @property
    def last_day(self):
        return self.days[-1].date if self.days else None

    @property
    def preparation_done(self):
        return sum(1 for module in self.modules if module.is_done)


@dataclass(frozen=True)
class NextThing:
    """The one next thing to do: a sentence, a link, and optionally a line of detail."""

    kind: str
    text: str
    url: str
    detail: str = ""


@dataclass
class JourneyMap:
    journey: Journey
    placement: object  # services.CurrentPlacement
    stations: list
    active: list  # ActiveRound, soonest first
    registrations: list  # every non-cancelled registration of the person, any journey
    invitations: list  # unanswered evaluation invitations
    open_rounds: dict  # course id -> (round, first day) open for registration nearby
    step_seen: StepSeen | None
    next: NextThing | None = None

    @property
    def current(self):
        return next((s for s in self.stations if s.is_current), None)

    @property
    def moved_up_to(self):
        """The new step, when the person has moved up since they last looked; else None."""
        step = self.placement.step
        if step is None or self.step_seen is None:
            return None
        return step if step.order > self.step_seen.step.order else None


def journey_map_for(person, *, now=None):
    """The person's journey map, or None when no journey is published.

    Six queries at most, whatever the size of the catalog and however many rounds, days,
    tasks and answers the person has (see "Reading the map" below).
    """
    now = now or timezone.now()
    catalog = _catalog(person)
    if catalog is None:
        return None
    journey, steps, courses, placements, step_seen = catalog
    placement = current_placement(person, journey, placements=placements, steps=steps)

    registrations = []  # non-cancelled, latest round first
    completions = {}
    invitations = []
    for registration, completion, invitation in _registrations(person):
        if registration.status != Registration.Status.CANCELLED:
            registrations.append(registration)
        if completion is not None:
            completions[completion.course_id] = completion
        if invitation is not None and not invitation.answered:
            invitations.append(invitation)
    invitations.sort(key=lambda invitation: (invitation.opened, invitation.pk))
    active = [
        r
        for r in registrations
        if r.round.course_id not in completions and r.round.status != Round.Status.CANCELLED
    ]
    make_up = _load_days(registrations, active)

    course_ids = {r.round.course_id for r in registrations} | set(completions)
    modules = _modules_with_progress(person, course_ids)
    stations = _stations(steps, courses, placement, registrations, completions, modules)
    current = next((s for s in stations if s.is_current), None)
    step_courses = current.courses if current else []
    not_started = [e.course.pk for e in step_courses if e.status == NOT_STARTED]
    journey_map = JourneyMap(
        journey=journey,
        placement=placement,
        stations=stations,
        active=_active_rounds(active, make_up, modules),
        registrations=registrations,
        invitations=invitations,
        open_rounds=_open_rounds(person, not_started, now),
        step_seen=step_seen,
    )
    journey_map.next = next_thing(journey_map, now)
    return journey_map


# Reading the map ------------------------------------------------------------------------------
#
# The start page is the most visited page there is, so the map is read with a few plain SQL
# queries (portable: SQLite and PostgreSQL) rather than through the ORM, whose work to build
# and compile each query cost more than the database's: the journey with its steps, courses,
# the person's placement and the step they last saw; the registrations with their rounds,
# completions and evaluation invitations; the days of those rounds and the make-up days
# booked; preparation progress; deep-dive tasks with the answers; open rounds nearby (only
# when a course on the person's step is not started). Model instances are built from the
# columns read; any other field is deferred (read from the database if ever used).


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _placeholders(values):
    return ", ".join(["%s"] * len(values))


def _instance(model, values):
    """A model instance from the columns in `values` ({attname: value}); the other fields are
    deferred (core.partial)."""
    return partial_instance(model, connection.alias, **values)


def _split(row, *groups):
    """Cut a row into one {column: value} per group of column names."""
    parts, start = [], 0
    for names in groups:
        parts.append(dict(zip(names, row[start : start + len(names)], strict=True)))
        start += len(names)
    return parts


JOURNEY_COLUMNS = ("id", "slug", "name", "status", "order")
STEP_COLUMNS = ("id", "slug", "name", "order", "min_years", "max_years", "work_role")
PLACEMENT_COLUMNS = ("id", "source", "reason")
SEEN_COLUMNS = ("id", "step_id")
COURSE_COLUMNS = ("id", "slug", "title", "order")

CATALOG_SQL = """
    SELECT j.id, j.slug, j.name, j.status, j."order",
           s.id, s.slug, s.name, s."order", s.min_years, s.max_years, s.work_role,
           p.id, p.source, p.reason,
           seen.id, seen.step_id,
           c.id, c.slug, c.title, c."order"
    FROM catalog_journey j
    LEFT JOIN catalog_step s ON s.journey_id = j.id
    LEFT JOIN learning_placement p
        ON p.step_id = s.id AND p.journey_id = j.id AND p.person_id = %s
    LEFT JOIN learning_stepseen seen ON seen.journey_id = j.id AND seen.person_id = %s
    LEFT JOIN catalog_course c ON c.step_id = s.id
    WHERE j.id = (
        SELECT published.id FROM catalog_journey published WHERE published.status = %s
        ORDER BY published."order", published.name LIMIT 1
    )
    ORDER BY s."order", s.id, c."order", c.title, c.id
"""


def _catalog(person):
    """(journey, steps, courses, placements, step seen) for the first published journey, or
    None.

    One query, a row per course (or per step without courses): `steps` in order (the journey's
    own `steps` are not loaded: Journey.suggested_step is given these);
    `courses` is {step id: [Course]} in order; `placements` the person's Placement on
    the journey as a list (empty or one, for current_placement); the StepSeen or None.
    """
    rows = _rows(CATALOG_SQL, [person.pk, person.pk, Journey.Status.PUBLISHED])
    if not rows:
        return None
    journey = step_seen = None
    steps = {}  # id -> Step, in order
    courses = {}  # step id -> [Course], in order
    placements = []
    for row in rows:
        journey_values, step_values, placed, seen, course_values = _split(
            row, JOURNEY_COLUMNS, STEP_COLUMNS, PLACEMENT_COLUMNS, SEEN_COLUMNS, COURSE_COLUMNS
        )
        if journey is None:
            journey = _instance(Journey, journey_values)
            if seen["id"] is not None:
                step_seen = _instance(
                    StepSeen, {**seen, "person_id": person.pk, "journey_id": journey.pk}
                )
        if step_values["id"] is None:
            continue
        step = steps.get(step_values["id"])
        if step is None:
            step = steps[step_values["id"]] = _instance(
                Step, {**step_values, "journey_id": journey.pk}
            )
            step.journey = journey
            courses[step.pk] = []
            if placed["id"] is not None:
                mine = {"person_id": person.pk, "journey_id": journey.pk, "step_id": step.pk}
                placement = _instance(Placement, {**placed, **mine})
                placement.step = step
                placements.append(placement)
        if course_values["id"] is not None:
            course = _instance(Course, {**course_values, "step_id": step.pk})
            course.step = step
            courses[step.pk].append(course)
    if step_seen is not None and step_seen.step_id in steps:
        step_seen.step = steps[step_seen.step_id]
    return journey, list(steps.values()), courses, placements, step_seen


REGISTRATION_COLUMNS = ("id", "round_id", "status")
ROUND_COLUMNS = ("course_id", "structure_id", "term", "name", "status")
REGISTRATION_COURSE_COLUMNS = ("step_id", "slug", "title", "order")
COMPLETION_COLUMNS = ("id", "course_id", "completed_on")
INVITATION_COLUMNS = ("id", "round_id", "answered", "opened_at")

REGISTRATIONS_SQL = """
    SELECT r.id, r.round_id, r.status,
           o.course_id, o.structure_id, o.term, o.name, o.status,
           c.step_id, c.slug, c.title, c."order",
           k.id, k.course_id, k.completed_on,
           i.id, i.round_id, i.answered, i.opened_at
    FROM rounds_registration r
    JOIN rounds_round o ON o.id = r.round_id
    JOIN catalog_course c ON c.id = o.course_id
    LEFT JOIN learning_completion k ON k.registration_id = r.id
    LEFT JOIN evaluations_invitation i ON i.completion_id = k.id
    WHERE r.person_id = %s AND (r.status <> %s OR k.id IS NOT NULL)
    ORDER BY o.registration_closes_on DESC, r.id DESC
"""


def _registrations(person):
    """[(registration, completion or None, evaluation invitation or None)] for the person,
    latest round first, each registration with its round and the round's course; cancelled
    registrations only if completed. One query.

    An invitation's `opened` is its opening time as read (for ordering only).
    """
    found = []
    for row in _rows(REGISTRATIONS_SQL, [person.pk, Registration.Status.CANCELLED]):
        values, round_values, course_values, completion_values, invitation_values = _split(
            row,
            REGISTRATION_COLUMNS,
            ROUND_COLUMNS,
            REGISTRATION_COURSE_COLUMNS,
            COMPLETION_COLUMNS,
            INVITATION_COLUMNS,
        )
        registration = _instance(Registration, {**values, "person_id": person.pk})
        round = _instance(Round, {**round_values, "id": registration.round_id})
        round.course = _instance(Course, {**course_values, "id": round.course_id})
        registration.round = round
        completion = invitation = None
        if completion_values["id"] is not None:
            mine = {"registration_id": registration.pk, "person_id": person.pk}
            completion = _instance(Completion, {**completion_values, **mine})
            completion.registration = registration
        if invitation_values["id"] is not None:
            opened = invitation_values.pop("opened_at")
            invitation = _instance(
                Invitation,
                {
                    **invitation_values,
                    "answered": bool(invitation_values["answered"]),
                    "completion_id": completion.pk,
                },
            )
            invitation.opened = opened
            invitation.completion = completion
            if invitation.round_id == round.pk:
                invitation.round = round
        found.append((registration, completion, invitation))
    return found


DAY_COLUMNS = (
    "id", "round_id", "number", "date", "starts_at", "ends_at", "mode", "venue_id", "meeting_url"
)  # fmt: skip
VENUE_COLUMNS = ("structure_id", "name", "address", "room")
DAY_SELECT = """
    d.id, d.round_id, d.number, d.date, d.starts_at, d.ends_at, d.mode, d.venue_id,
    d.meeting_url, v.structure_id, v.name, v.address, v.room
"""


def _day(values, venue_values):
    day = _instance(CourseDay, values)
    if day.venue_id is None:
        day.venue = None
    else:
        day.venue = _instance(Venue, {**venue_values, "id": day.venue_id})
    return day


def _load_days(registrations, active):
    """Set `round.days_in_order` (with venues, in day order) on every registration's round
    and return {registration id: [make-up days]} for the active ones (date order), each
    make-up day with `is_make_up`. One query, none without registrations."""
    if not registrations:
        return {}
    round_ids = sorted({r.round_id for r in registrations})
    active_ids = [r.pk for r in active]
    sql = f"""
        SELECT NULL, {DAY_SELECT}
        FROM rounds_courseday d LEFT JOIN rounds_venue v ON v.id = d.venue_id
        WHERE d.round_id IN ({_placeholders(round_ids)})
    """
    params = list(round_ids)
    if active_ids:
        sql += f"""
            UNION ALL
            SELECT m.registration_id, {DAY_SELECT}
            FROM learning_makeupday m
            JOIN rounds_courseday d ON d.id = m.day_id
            LEFT JOIN rounds_venue v ON v.id = d.venue_id
            WHERE m.registration_id IN ({_placeholders(active_ids)})
        """
        params += active_ids
    by_round = {}
    make_up = {}
    for make_up_for, *row in _rows(sql, params):
        day = _day(*_split(row, DAY_COLUMNS, VENUE_COLUMNS))
        if make_up_for is None:
            by_round.setdefault(day.round_id, []).append(day)
        else:
            day.is_make_up = True
            make_up.setdefault(make_up_for, []).append(day)
    for days in by_round.values():
        days.sort(key=lambda day: day.number)
    for days in make_up.values():
        days.sort(key=lambda day: (day.date, day.starts_at))
    for registration in registrations:
        registration.round.days_in_order = by_round.get(registration.round_id, [])
    return make_up


MODULE_COLUMNS = ("id", "course_id", "title", "estimated_minutes", "order")


def _modules_with_progress(person, course_ids):
    """{course id: [PreparationTask with `is_done`]} for the given courses, in one query."""
    if not course_ids:
        return {}
    course_ids = sorted(course_ids)
    sql = f"""
        SELECT t.id, t.course_id, t.title, t.estimated_minutes, t."order",
               EXISTS (
                   SELECT 1 FROM learning_preparationprogress g
                   WHERE g.task_id = t.id AND g.person_id = %s AND g.done_at IS NOT NULL
               )
        FROM catalog_preparationtask t
        WHERE t.course_id IN ({_placeholders(course_ids)})
        ORDER BY t.course_id, t."order", t.id
    """
    by_course = {}
    for *row, is_done in _rows(sql, [person.pk, *course_ids]):
        task = _instance(PreparationTask, dict(zip(MODULE_COLUMNS, row, strict=True)))
        task.is_done = bool(is_done)
        by_course.setdefault(task.course_id, []).append(task)
    return by_course


def _best_registration(registrations):
    """The registration that says most about the course: a place before a waiting list, the
    latest round first (the list comes ordered latest first)."""
    for status in (Registration.Status.REGISTERED, Registration.Status.WAITLISTED):
        for registration in registrations:
            if registration.status == status:
                return registration
    return None


def _stations(steps, courses, placement, registrations, completions, modules):
    by_course = {}
    for registration in registrations:
        by_course.setdefault(registration.round.course_id, []).append(registration)
    current_step = placement.step
    course_url = row_urls("catalog:course")
    course_page_url = row_urls("participant:my_course")
    preparation_url = row_urls("participant:preparation")
    stations = []
    for step in steps:
        # The route is the steps that follow experience, plus a role step the person is on.
        if not step.follows_experience and step != current_step:
            continue
        if current_step is None:
            position = AHEAD
        elif step.order < current_step.order:
            position = PASSED
        elif step == current_step:
            position = CURRENT
        else:
            position = AHEAD
        station = Station(step=step, position=position)
        for course in courses.get(step.pk, ()):
            entry = CourseOnMap(course=course, url=course_url(course.slug))
            completion = completions.get(course.pk)
            if completion is not None:
                entry.status = COMPLETED
                entry.completion = completion
                entry.registration = completion.registration
            else:
                registration = _best_registration(by_course.get(course.pk, []))
                if registration is not None:
                    entry.registration = registration
                    entry.status = (
                        REGISTERED
                        if registration.status == Registration.Status.REGISTERED
                        else WAITLISTED
                    )
            if entry.registration is not None:
                entry.course_page_url = course_page_url(entry.registration.round_id)
                entry.preparation_url = preparation_url(course.slug)
            entry.optional = position == PASSED and not entry.is_done
            course_modules = modules.get(course.pk, [])
            entry.preparation_total = len(course_modules)
            entry.preparation_done = sum(1 for m in course_modules if m.is_done)
            station.courses.append(entry)
        stations.append(station)
    return stations


def _active_rounds(active, make_up, modules):
    """The rounds the person takes now (not completed), soonest first, with their own days,
    preparation and deep-dive answers."""
    if not active:
        return []
    tasks, answers = _deep_dive(active)
    rounds = []
    for registration in active:
        days = registration.round.days_in_order + make_up.get(registration.pk, [])
        days.sort(key=lambda day: (day.date, day.starts_at))
        course_id = registration.round.course_id
        rounds.append(
            ActiveRound(
                registration=registration,
                days=days,
                modules=modules.get(course_id, []),
                deep_dive=[
                    (task, answers.get((registration.pk, task.pk)))
                    for task in tasks.get(course_id, [])
                ],
            )
        )
    far = datetime.date.max
    rounds.sort(key=lambda a: (not a.is_registered, a.first_day or far, a.registration.pk))
    return rounds


DEEP_DIVE_TASK_COLUMNS = ("id", "course_id", "title", "order")
DEEP_DIVE_ANSWER_COLUMNS = ("id", "registration_id", "status")


def _deep_dive(active):
    """({course id: [DeepDiveTask]}, {(registration id, task id): DeepDiveAnswer}) for the
    active registrations: the tasks joined with the answers of these registrations only (one
    query)."""
    ids = [r.pk for r in active]
    course_ids = sorted({r.round.course_id for r in active})
    sql = f"""
        SELECT t.id, t.course_id, t.title, t."order", a.id, a.registration_id, a.status
        FROM catalog_deepdivetask t
        LEFT JOIN learning_deepdiveanswer a
            ON a.task_id = t.id AND a.registration_id IN ({_placeholders(ids)})
        WHERE t.course_id IN ({_placeholders(course_ids)})
        ORDER BY t.course_id, t."order", t.id
    """
    tasks = {}
    by_id = {}
    answers = {}
    for row in _rows(sql, [*ids, *course_ids]):
        task_values, answer_values = _split(row, DEEP_DIVE_TASK_COLUMNS, DEEP_DIVE_ANSWER_COLUMNS)
        task = by_id.get(task_values["id"])
        if task is None:
            task = by_id[task_values["id"]] = _instance(DeepDiveTask, task_values)
            tasks.setdefault(task.course_id, []).append(task)
        if answer_values["id"] is not None:
            answer = _instance(DeepDiveAnswer, {**answer_values, "task_id": task.pk})
            answers[(answer.registration_id, task.pk)] = answer
    return tasks, answers


def _open_rounds(person, course_ids, now):
    """{course id: (round, first day)}: the soonest round open for registration in the
    person's region (a structure covering their municipality's county) for each course,
    whose first day is today or later. One query, none without courses or employer."""
    if not course_ids or person.municipality_id is None:
        return {}
    course_ids = sorted(course_ids)
    sql = f"""
        SELECT o.id, o.course_id, o.name, d.date
        FROM rounds_round o
        JOIN organisations_supportstructure_counties sc
            ON sc.supportstructure_id = o.structure_id
        JOIN organisations_municipality mu ON mu.county_id = sc.county_id
        JOIN rounds_courseday d ON d.round_id = o.id
        WHERE o.course_id IN ({_placeholders(course_ids)}) AND o.status = %s AND mu.id = %s
    """
    rounds = {}
    first_days = {}
    for pk, course_id, name, date in _rows(
        sql, [*course_ids, Round.Status.OPEN, person.municipality_id]
    ):
        if pk not in rounds:
            values = {"id": pk, "course_id": course_id, "name": name, "status": Round.Status.OPEN}
            rounds[pk] = _instance(Round, values)
        first_days[pk] = min(date, first_days.get(pk, date))
    today = timezone.localdate(now)
    found = {}
    for pk in sorted(rounds, key=lambda pk: (first_days[pk], pk)):
        round = rounds[pk]
        if first_days[pk] >= today and round.course_id not in found:
            found[round.course_id] = (round, first_days[pk])
    return found


# The next thing to do -----------------------------------------------------------------------


def when_label(day):
    """'torsdag 12 mars 09:00' in the active language."""
    return "{} {}".format(
        formats.date_format(day.date, "l j N"), formats.time_format(day.starts_at, "H:i")
    )


def where_label(day):
    if not day.is_physical:
        return _("digital")
    if day.venue is None:
        return _("at a venue still to be announced")
    return _("at %(venue)s, %(address)s") % {"venue": day.venue, "address": day.venue.address}


day_word = pgettext_lazy("a course day", "Course day %(number)s")


def _day_thing(active_round, day):
    label = day_word % {"number": day.number}
    if getattr(day, "is_make_up", False):
        text = _("Make-up day: %(day)s on %(when)s, %(where)s") % {
            "day": label.lower(),
            "when": when_label(day),
            "where": where_label(day),
        }
    else:
        text = _("%(day)s on %(when)s, %(where)s") % {
            "day": label,
            "when": when_label(day),
            "where": where_label(day),
        }
    return NextThing(
        kind="course_day",
        text=text,
        url=reverse("participant:my_course", args=[active_round.round.pk]) + f"#dag-{day.pk}",
        detail=str(active_round.course),
    )


def _coming_day(active_round, now):
    return next((day for day in active_round.days if day.ends() > now), None)


def next_thing(journey_map, now):
    """The one next thing for the person to do, or None when nothing is waiting.

    In order: a course day today or tomorrow; an unfinished preparation module; the next course
    day; a deep-dive task to hand in (once the person's last course day has come); an
    unanswered evaluation; a course on the person's step to find a round for; a waiting list.
    """
    today = timezone.localdate(now)
    registered = [a for a in journey_map.active if a.is_registered]

    soon = [(day, a) for a in registered if (day := _coming_day(a, now)) is not None]
    soon.sort(key=lambda pair: pair[0].starts())
    if soon and soon[0][0].date <= today + datetime.timedelta(days=1):
        return _day_thing(soon[0][1], soon[0][0])

    for active_round in registered:
        for number, module in enumerate(active_round.modules, start=1):
            if not module.is_done:
                return NextThing(
                    kind="preparation",
                    text=_("Finish preparation module %(number)s: %(title)s")
                    % {"number": number, "title": module.title},
                    url=reverse(
                        "participant:preparation_module",
                        args=[active_round.course.slug, module.pk],
                    ),
                    detail=_("%(course)s, about %(minutes)s minutes")
                    % {"course": active_round.course, "minutes": module.estimated_minutes},
                )

    if soon:
        return _day_thing(soon[0][1], soon[0][0])

    for active_round in registered:
        if active_round.last_day is None or active_round.last_day > today:
            continue
        for task, answer in active_round.deep_dive:
            status = answer.status if answer else None
            if status not in OPEN_ANSWER_STATUSES:
                continue
            if status == DeepDiveAnswer.Status.NEEDS_MORE:
                text = _("Add to your answer to the deep-dive task: %(title)s")
            else:
                text = _("Hand in the deep-dive task: %(title)s")
            return NextThing(
                kind="deep_dive",
                text=text % {"title": task.title},
                url=reverse("participant:my_course", args=[active_round.round.pk])
                + f"#uppgift-{task.pk}",
                detail=str(active_round.course),
            )

    for invitation in journey_map.invitations:
        return NextThing(
            kind="evaluation",
            text=_("Answer the evaluation of %(course)s") % {"course": invitation.round.course},
            url=reverse("evaluations:answer", args=[invitation.round_id]),
            detail=_("It is voluntary and anonymous."),
        )

    current = journey_map.current
    for entry in current.courses if current else []:
        if entry.status != NOT_STARTED:
            continue
        found = journey_map.open_rounds.get(entry.course.pk)
        if found:
            round, first_day = found
            detail = _(
                "%(round)s starts %(date)s and is open for registration. "
                "Ask your manager to register you."
            ) % {"round": round.name, "date": formats.date_format(first_day, "DATE_FORMAT")}
        else:
            detail = _("No round is open for registration in your region right now.")
        return NextThing(
            kind="find_round",
            text=_("Find a round for the course %(course)s") % {"course": entry.course},
            url=reverse("catalog:course", args=[entry.course.slug]),
            detail=detail,
        )

    for active_round in journey_map.active:
        if not active_round.is_registered:
            return NextThing(
                kind="waiting_list",
                text=_("You are on the waiting list for %(course)s")
                % {"course": active_round.course},
                url=reverse("participant:my_course", args=[active_round.round.pk]),
                detail=_("You will be told if you get a place."),
            )
    return None


# The step last seen -------------------------------------------------------------------------


@transaction.atomic
def record_step_seen(person, journey, step):
    """Remember that the person has seen `step` on the journey (after the notice, or silently
    on their first visit)."""
    seen, _created = StepSeen.objects.update_or_create(
        person=person, journey=journey, defaults={"step": step}
    )
    return seen


def note_first_sight(person, journey_map):
    """Record the current step without a notice when there is nothing to announce: on the
    first visit, and when the step has gone down (a manager's decision the person is told of
    elsewhere). Returns the map with `step_seen` brought up to date."""
    step = journey_map.placement.step
    seen = journey_map.step_seen
    if step is None:
        return journey_map
    if seen is None or step.order < seen.step.order:
        journey_map.step_seen = record_step_seen(person, journey_map.journey, step)
    return journey_map
