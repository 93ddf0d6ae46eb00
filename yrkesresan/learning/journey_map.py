"""The participant's journey drawn as a route: steps as stations, courses along the way.

`journey_map_for(person)` gathers everything the start page shows about the person's own
journey in a fixed number of queries, however many courses, rounds and days there are;
`next_thing(journey_map, now)` picks the one thing to do next from it, as a plain function.
"""

import copy
import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import (
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from yrkesresan.catalog.models import Course, DeepDiveTask, Journey, PreparationTask, Step
from yrkesresan.enrolment.models import (
    Completion,
    DeepDiveAnswer,
    Placement,
    PreparationProgress,
    Registration,
    StepSeen,
)
from yrkesresan.enrolment.placement import current_placement
from yrkesresan.rounds.models import CourseDay, Round

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


def journey_map_for(person, *, now=None):
    """The person's journey map, or None when no journey is published.

    Eight queries at most, whatever the size of the catalog and however many rounds, days,
    tasks and answers the person has (see "Reading the map" below).
    """
    now = now or timezone.now()
    journey = _journey(person)
    if journey is None:
        return None
    placement = current_placement(person, journey, placements=journey.person_placements)

    registrations = []  # non-cancelled, latest round first
    completions = {}
    invitations = []
    for registration in _registrations(person):
        completion = getattr(registration, "completion", None)
        if registration.status != Registration.Status.CANCELLED:
            registrations.append(registration)
        if completion is None:
            continue
        completions[completion.course_id] = completion
        invitation = getattr(completion, "evaluation_invitation", None)
        if invitation is not None and not invitation.answered:
            if invitation.round_id == registration.round_id:
                invitation.round = registration.round
            invitations.append(invitation)
    invitations.sort(key=lambda invitation: (invitation.opened_at, invitation.pk))
    active = [
        r
        for r in registrations
        if r.round.course_id not in completions and r.round.status != Round.Status.CANCELLED
    ]
    make_up = _load_days(registrations, active)

    course_ids = {r.round.course_id for r in registrations} | set(completions)
    modules = _modules_with_progress(person, course_ids)
    stations = _stations(journey, placement, registrations, completions, modules)
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
        step_seen=journey.step_seen,
    )
    journey_map.next = next_thing(journey_map, now)
    return journey_map


# Reading the map ------------------------------------------------------------------------------
#
# The start page is the most visited page there is, so each query reads only the columns the
# map shows (only()) and related rows come in one query per kind (select_related, Prefetch):
# the journey with the step the person last saw, its steps with the person's placement, the
# steps' courses; the registrations with their rounds, courses, completions and evaluation
# invitations; the rounds' days with their venues; the make-up days booked; preparation
# progress; deep-dive tasks with the answers; open rounds nearby (only when a course on the
# person's step is not started).

STEP_FIELDS = ("journey_id", "slug", "name", "order", "min_years", "max_years", "work_role")
DAY_FIELDS = (
    "round_id", "number", "date", "starts_at", "ends_at", "mode", "venue_id", "meeting_url",
    "venue__structure_id", "venue__name", "venue__address", "venue__room",
)  # fmt: skip


def _journey(person):
    """The first published journey, or None, with `steps.all()` and each step's
    `courses.all()` loaded in order, `person_placements` (the person's Placement on the
    journey, as a list of none or one, for current_placement) and `step_seen` (the person's
    StepSeen or None). Three queries."""
    seen = StepSeen.objects.filter(person=person, journey=OuterRef("pk"))
    steps = (
        Step.objects.only(*STEP_FIELDS)
        .annotate(
            mine=FilteredRelation("placements", condition=Q(placements__person=person)),
            placement_id=F("mine__id"),
            placement_source=F("mine__source"),
            placement_reason=F("mine__reason"),
        )
        .order_by("order", "pk")
        .prefetch_related(
            Prefetch(
                "courses",
                queryset=Course.objects.only("step_id", "slug", "title", "order").order_by(
                    "order", "title", "pk"
                ),
            )
        )
    )
    journey = (
        Journey.objects.filter(status=Journey.Status.PUBLISHED)
        .only("slug", "name", "status", "order")
        .annotate(
            seen_id=Subquery(seen.values("pk")), seen_step_id=Subquery(seen.values("step_id"))
        )
        .order_by("order", "name")
        .prefetch_related(Prefetch("steps", queryset=steps))
        .first()
    )
    if journey is None:
        return None
    journey.person_placements = []
    by_id = {}
    for step in journey.steps.all():
        by_id[step.pk] = step
        if step.placement_id is not None:
            journey.person_placements.append(
                Placement(
                    id=step.placement_id,
                    person=person,
                    journey=journey,
                    step=step,
                    source=step.placement_source,
                    reason=step.placement_reason,
                )
            )
    journey.step_seen = None
    if journey.seen_id is not None:
        journey.step_seen = StepSeen(id=journey.seen_id, person=person, journey=journey)
        journey.step_seen.step_id = journey.seen_step_id
        if journey.seen_step_id in by_id:
            journey.step_seen.step = by_id[journey.seen_step_id]
    return journey


def _registrations(person):
    """The person's registrations, latest round first, each with its round, the round's
    course, its completion and the completion's evaluation invitation when there are;
    cancelled registrations only if completed. One query."""
    return list(
        Registration.objects.filter(person=person)
        .filter(~Q(status=Registration.Status.CANCELLED) | Q(completion__isnull=False))
        .select_related("round__course", "completion__evaluation_invitation")
        .only(
            "person_id",
            "round_id",
            "status",
            "round__course_id",
            "round__structure_id",
            "round__term",
            "round__name",
            "round__status",
            "round__course__step_id",
            "round__course__slug",
            "round__course__title",
            "round__course__order",
            "completion__registration_id",
            "completion__person_id",
            "completion__course_id",
            "completion__completed_on",
            "completion__evaluation_invitation__completion_id",
            "completion__evaluation_invitation__round_id",
            "completion__evaluation_invitation__answered",
            "completion__evaluation_invitation__opened_at",
        )
        .order_by("-round__registration_closes_on", "-pk")
    )


def _load_days(registrations, active):
    """Set `round.days_in_order` (with venues, in day order) on every registration's round
    and return {registration id: [make-up days]} for the active ones (date order), each
    make-up day with `is_make_up`. One query, none without registrations."""
    if not registrations:
        return {}
    round_ids = {r.round_id for r in registrations}
    days = CourseDay.objects.select_related("venue").only(*DAY_FIELDS).order_by("pk")
    if active:
        booked = Q(make_up_bookings__registration_id__in=[r.pk for r in active])
        days = (
            days.alias(booking=FilteredRelation("make_up_bookings", condition=booked))
            .filter(Q(round_id__in=round_ids) | Q(booking__id__isnull=False))
            .annotate(make_up_for=F("booking__registration_id"))
        )
    else:
        days = days.filter(round_id__in=round_ids)
    by_round = {}
    make_up = {}
    for day in days:
        # A day comes once per make-up booking of it; it may be a day of one of the
        # person's rounds too, which shows it as such, not as a make-up day.
        make_up_for = getattr(day, "make_up_for", None)
        if make_up_for is not None:
            booked_day = copy.copy(day)
            booked_day.is_make_up = True
            make_up.setdefault(make_up_for, []).append(booked_day)
        if day.round_id in round_ids:
            by_round.setdefault(day.round_id, {})[day.pk] = day
    for registration in registrations:
        days = by_round.get(registration.round_id, {}).values()
        registration.round.days_in_order = sorted(days, key=lambda day: day.number)
    for days in make_up.values():
        days.sort(key=lambda day: (day.date, day.starts_at))
    return make_up


def _modules_with_progress(person, course_ids):
    """{course id: [PreparationTask with `is_done`]} for the given courses, in one query."""
    if not course_ids:
        return {}
    done = PreparationProgress.objects.filter(
        person=person, task=OuterRef("pk"), done_at__isnull=False
    )
    tasks = (
        PreparationTask.objects.filter(course_id__in=course_ids)
        .only("course_id", "title", "estimated_minutes", "order")
        .annotate(is_done=Exists(done))
        .order_by("course_id", "order", "pk")
    )
    by_course = {}
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


def _deep_dive(active):
    """({course id: [DeepDiveTask]}, {(registration id, task id): DeepDiveAnswer}) for the
    active registrations: the tasks with the answers of these registrations only (one
    query, a row per task and answer)."""
    ids = [r.pk for r in active]
    rows = (
        DeepDiveTask.objects.filter(course_id__in={r.round.course_id for r in active})
        .only("course_id", "title", "order")
        .annotate(
            answer=FilteredRelation("answers", condition=Q(answers__registration_id__in=ids)),
            answer_id=F("answer__id"),
            answer_registration_id=F("answer__registration_id"),
            answer_status=F("answer__status"),
        )
        .order_by("course_id", "order", "pk")
    )
    tasks = {}
    by_id = {}
    answers = {}
    for row in rows:
        task = by_id.setdefault(row.pk, row)
        if task is row:
            tasks.setdefault(task.course_id, []).append(task)
        if row.answer_id is not None:
            answers[(row.answer_registration_id, task.pk)] = DeepDiveAnswer(
                id=row.answer_id,
                registration_id=row.answer_registration_id,
                task=task,
                status=row.answer_status,
            )
    return tasks, answers


def _open_rounds(person, course_ids, now):
    """{course id: (round, first day)}: the soonest round open for registration in the
    person's region (a structure covering their municipality's county) for each course,
    whose first day is today or later. One query, none without courses or employer."""
    if not course_ids or person.municipality_id is None:
        return {}
    rounds = (
        Round.objects.filter(
            course_id__in=course_ids,
            status=Round.Status.OPEN,
            structure__counties__municipalities=person.municipality_id,
        )
        .only("course_id", "name", "status")
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
