"""The participant's journey drawn as a route: steps as stations, courses along the way.

`journey_map_for(person)` gathers everything the start page shows about the person's own
journey in a fixed number of queries, however many courses, rounds and days there are;
`next_thing(journey_map, now)` picks the one thing to do next from it, as a plain function.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Prefetch
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yrkesresan.catalog.models import Course, DeepDiveTask, Journey, PreparationTask, Step
from yrkesresan.evaluations.models import Invitation
from yrkesresan.rounds.models import CourseDay, Registration, Round

from .models import Completion, DeepDiveAnswer, MakeUpDay, PreparationProgress, StepSeen
from .services import current_placement

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


def published_journey():
    """The published journey with its steps and their courses (three queries)."""
    return (
        Journey.objects.filter(status=Journey.Status.PUBLISHED)
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.order_by("order").prefetch_related(
                    Prefetch("courses", queryset=Course.objects.order_by("order", "title"))
                ),
            )
        )
        .first()
    )


def journey_map_for(person, *, now=None):
    """The person's journey map, or None when no journey is published.

    A fixed number of queries (about a dozen), whatever the size of the catalog and however
    many rounds, days, tasks and answers the person has.
    """
    now = now or timezone.now()
    journey = published_journey()
    if journey is None:
        return None
    placement = current_placement(person, journey)
    registrations = list(
        Registration.objects.filter(person=person)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("round__course__step", "round__structure")
        .prefetch_related(
            Prefetch("round__days", queryset=CourseDay.objects.select_related("venue"))
        )
        .order_by("-round__registration_closes_on", "-pk")
    )
    completions = {
        c.course_id: c
        for c in Completion.objects.filter(person=person).select_related("registration__round")
    }
    course_ids = {r.round.course_id for r in registrations} | set(completions)
    modules = _modules_with_progress(person, course_ids)

    stations = _stations(journey, placement, registrations, completions, modules)
    active = _active_rounds(registrations, completions, modules)
    invitations = list(
        Invitation.objects.filter(completion__person=person, answered=False)
        .select_related("round__course")
        .order_by("opened_at", "pk")
    )
    current = next((s for s in stations if s.is_current), None)
    step_courses = current.courses if current else []
    not_started = [e.course.pk for e in step_courses if e.status == NOT_STARTED]
    journey_map = JourneyMap(
        journey=journey,
        placement=placement,
        stations=stations,
        active=active,
        registrations=registrations,
        invitations=invitations,
        open_rounds=_open_rounds(person, not_started, now),
        step_seen=StepSeen.objects.filter(person=person, journey=journey)
        .select_related("step")
        .first(),
    )
    journey_map.next = next_thing(journey_map, now)
    return journey_map


def _modules_with_progress(person, course_ids):
    """{course id: [PreparationTask with `is_done`]} for the given courses, in one query."""
    if not course_ids:
        return {}
    done = PreparationProgress.objects.filter(
        person=person, task=OuterRef("pk"), done_at__isnull=False
    )
    by_course = {}
    tasks = (
        PreparationTask.objects.filter(course_id__in=course_ids)
        .annotate(is_done=Exists(done))
        .order_by("course_id", "order", "pk")
    )
    for task in tasks:
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


def _stations(journey, placement, registrations, completions, modules):
    by_course = {}
    for registration in registrations:
        by_course.setdefault(registration.round.course_id, []).append(registration)
    current_step = placement.step
    stations = []
    for step in journey.steps.all():
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
        for course in step.courses.all():
            entry = CourseOnMap(course=course)
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
            entry.optional = position == PASSED and not entry.is_done
            course_modules = modules.get(course.pk, [])
            entry.preparation_total = len(course_modules)
            entry.preparation_done = sum(1 for m in course_modules if m.is_done)
            station.courses.append(entry)
        stations.append(station)
    return stations


def _active_rounds(registrations, completions, modules):
    """The rounds the person takes now (not completed), soonest first, with their own days,
    preparation and deep-dive answers: three queries."""
    active = [
        r
        for r in registrations
        if r.round.course_id not in completions and r.round.status != Round.Status.CANCELLED
    ]
    if not active:
        return []
    ids = [r.pk for r in active]
    make_up = {}
    for booking in (
        MakeUpDay.objects.filter(registration_id__in=ids)
        .select_related("day__venue", "day__round")
        .order_by("day__date", "day__starts_at")
    ):
        booking.day.is_make_up = True
        make_up.setdefault(booking.registration_id, []).append(booking.day)
    tasks = {}
    for task in DeepDiveTask.objects.filter(
        course_id__in={r.round.course_id for r in active}
    ).order_by("course_id", "order", "pk"):
        tasks.setdefault(task.course_id, []).append(task)
    answers = {
        (a.registration_id, a.task_id): a
        for a in DeepDiveAnswer.objects.filter(registration_id__in=ids)
    }
    rounds = []
    for registration in active:
        days = list(registration.round.days.all()) + make_up.get(registration.pk, [])
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


def _open_rounds(person, course_ids, now):
    """{course id: (round, first day)}: the soonest round open for registration in the
    person's region for each course (one query, none without courses or employer)."""
    if not course_ids or person.municipality_id is None:
        return {}
    rounds = (
        Round.objects.filter(
            course_id__in=course_ids,
            status=Round.Status.OPEN,
            structure__counties__municipalities=person.municipality_id,
        )
        .annotate(first_day=Min("days__date"))
        .filter(first_day__gte=timezone.localdate(now))
        .order_by("first_day", "pk")
    )
    found = {}
    for round in rounds:
        found.setdefault(round.course_id, (round, round.first_day))
    return found


# The next thing to do -----------------------------------------------------------------------


def when_label(day):
    """'torsdag 12 mars 09:00' in the active language."""
    return "{} {}".format(
        formats.date_format(day.date, "l j F"), formats.time_format(day.starts_at, "H:i")
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
            ) % {"round": round.name, "date": formats.date_format(first_day, "j F Y")}
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
