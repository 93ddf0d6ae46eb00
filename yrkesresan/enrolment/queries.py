"""Reads for enrolment's pages and the API: counts, the waiting list and the round's change log,
built in the database."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import COURSE_ORDER, Course
from yrkesresan.core.models import AuditEvent
from yrkesresan.organisations.models import Municipality
from yrkesresan.rounds.models import CourseDay, Round
from yrkesresan.staffing.models import Plan, PlanAssignment

from .models import Completion, DeepDiveAnswer, Registration

# A registration that holds a seat or a place in the queue.
ACTIVE = (Registration.Status.REGISTERED, Registration.Status.WAITLISTED)


def with_counts(rounds):
    """Annotate `registered_count` and `waitlisted_count` in one query."""
    return rounds.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
    )


def round_queue(round, with_names):
    """One query over every registration of the round in queue order: (positions, number
    with a seat, names). positions: registration id -> place on the waiting list (1 is next);
    names (only `with_names`, for the change log): registration id -> the person's name."""
    fields = ["pk", "status"] + (["person__first_name", "person__last_name"] if with_names else [])
    positions, names, registered = {}, {}, 0
    for pk, status, *name in (
        Registration.objects.filter(round=round).order_by("queued_at", "pk").values_list(*fields)
    ):
        if with_names:
            names[pk] = f"{name[0]} {name[1]}"
        if status == Registration.Status.REGISTERED:
            registered += 1
        elif status == Registration.Status.WAITLISTED:
            positions[pk] = len(positions) + 1
    return positions, registered, names


def change_log(round, day_numbers, names, limit=100):
    """The round's audit events and those of its days and registrations, newest first, with
    the day numbers (day id -> number) and names (registration id -> name, round_queue) the
    page has already read. Each event gets `concerns`: the day ("Day 2") or the participant's
    name, or "" for the round itself. One query."""
    events = list(
        AuditEvent.objects.filter(
            Q(object_type="rounds.round", object_id=str(round.pk))
            | Q(object_type="rounds.courseday", object_id__in=[str(pk) for pk in day_numbers])
            | Q(object_type="enrolment.registration", object_id__in=[str(pk) for pk in names])
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:limit]
    )
    for event in events:
        if event.object_type == "rounds.courseday":
            event.concerns = _("Day %(number)s") % {
                "number": day_numbers.get(int(event.object_id), "?")
            }
        elif event.object_type == "enrolment.registration":
            event.concerns = names.get(int(event.object_id), "")
        else:
            event.concerns = ""
    return events


def member_staff(structure, today=None, person=""):
    """Active people employed in the member municipalities of the structure's counties.

    With `person` (the path to a User, e.g. "person__"), the Q that picks rows of another
    model whose person is one of them, without a subquery of people.
    """
    members = Municipality.objects.members(today).filter(county__support_structures=structure)
    if person:
        return Q(**{f"{person}is_active": True, f"{person}municipality__in": members})
    return User.objects.filter(is_active=True, municipality__in=members)


# The start page's panels (home.dashboard): a coordinator's attention list and the work of those
# who teach. Enrolment is the lowest app that reads all of it (rounds, teams, registrations).


@dataclass(frozen=True)
class AttentionItem:
    """One thing a coordinator should fix, with the page where it is fixed. `urgency` orders
    the list (lower first) and `kind` names the rule for tests and styling."""

    kind: str
    urgency: int
    text: str
    url: str
    date: datetime.date | None = None


CHECKLIST = (
    ("room_booked", _lazy("room")),
    ("fika_ordered", _lazy("fika")),
    ("material_sent", _lazy("material")),
    ("link_sent", _lazy("link")),
)


# A round this many days or fewer from its first day, with fewer registered than its minimum,
# needs the coordinator's attention.
MINIMUM_WARNING_DAYS = 21


def attention_for(structure_ids, today=None):
    """What needs the coordinator of `structure_ids`' attention, most urgent first. Nine
    queries, whatever the number of rounds: rounds without a course leader; coming days without
    a team; days within 14 days whose checklist is open; coming days at a venue smaller than
    the round's seats; rounds starting within 21 days with fewer registered than their minimum;
    free seats with people waiting; trainers who have not answered the coming days an accepted
    plan gives them; registration windows closing within a week; draft rounds whose
    registration should have opened."""
    today = today or timezone.localdate()
    live = Round.objects.filter(structure_id__in=structure_ids, status__in=Round.LIVE_STATUSES)
    coming = CourseDay.objects.filter(round__in=live, date__gte=today).select_related(
        "round__course"
    )
    items = []
    for round in live.filter(course_leader__isnull=True).select_related("course"):
        items.append(
            AttentionItem(
                "no_course_leader",
                1,
                _("%(round)s has no course leader.") % {"round": _round_label(round)},
                reverse("staffing:round_staffing", args=[round.pk]),
            )
        )
    for day in coming.filter(team_assignment__isnull=True).order_by("date", "round_id", "number"):
        items.append(
            AttentionItem(
                "day_without_team",
                1,
                _("Day %(number)s of %(round)s (%(date)s) has no team.")
                % {"number": day.number, "round": _round_label(day.round), "date": _date(day.date)},
                reverse("staffing:round_staffing", args=[day.round_id]) + f"#day-{day.pk}",
                day.date,
            )
        )
    open_checklist = Q()
    for field, _label in CHECKLIST:
        open_checklist |= Q(**{field: False})
    soon = coming.filter(open_checklist, date__lte=today + datetime.timedelta(days=14))
    for day in soon.order_by("date", "round_id", "number"):
        missing = ", ".join(str(label) for field, label in CHECKLIST if not getattr(day, field))
        items.append(
            AttentionItem(
                "checklist_open",
                2,
                _("Day %(number)s of %(round)s (%(date)s): still open in the checklist: %(items)s.")
                % {
                    "number": day.number,
                    "round": _round_label(day.round),
                    "date": _date(day.date),
                    "items": missing,
                },
                reverse("rounds:day_edit", args=[day.round_id, day.number]),
                day.date,
            )
        )
    too_small = coming.filter(venue__capacity__lt=F("round__seats")).select_related("venue")
    for day in too_small.order_by("date", "round_id", "number"):
        items.append(
            AttentionItem(
                "over_capacity",
                2,
                _(
                    "Day %(number)s of %(round)s (%(date)s): %(venue)s takes %(capacity)s, "
                    "the round has %(seats)s seats."
                )
                % {
                    "number": day.number,
                    "round": _round_label(day.round),
                    "date": _date(day.date),
                    "venue": day.venue.name,
                    "capacity": day.venue.capacity,
                    "seats": day.round.seats,
                },
                reverse("rounds:day_edit", args=[day.round_id, day.number]),
                day.date,
            )
        )
    counted = with_counts(live.select_related("course"))
    for round in counted.filter(status__in=(Round.Status.OPEN, Round.Status.CLOSED)):
        if round.waitlisted_count and round.registered_count < round.seats:
            items.append(
                AttentionItem(
                    "seat_with_waiting",
                    2,
                    _("%(round)s has a free seat and %(count)s waiting.")
                    % {"round": _round_label(round), "count": round.waitlisted_count},
                    reverse("enrolment:round", args=[round.pk]),
                )
            )
    first_day = CourseDay.objects.filter(round=OuterRef("pk")).order_by("date").values("date")[:1]
    under = (
        counted.filter(minimum_participants__isnull=False)
        .annotate(starts_on=Subquery(first_day))
        .filter(
            starts_on__range=(today, today + datetime.timedelta(days=MINIMUM_WARNING_DAYS)),
            registered_count__lt=F("minimum_participants"),
        )
    )
    for round in under.order_by("starts_on", "pk"):
        items.append(
            AttentionItem(
                "under_minimum",
                2,
                _(
                    "%(round)s starts on %(date)s with %(count)s registered, fewer than its "
                    "minimum of %(minimum)s."
                )
                % {
                    "round": _round_label(round),
                    "date": _date(round.starts_on),
                    "count": round.registered_count,
                    "minimum": round.minimum_participants,
                },
                reverse("enrolment:round", args=[round.pk]),
                round.starts_on,
            )
        )
    unanswered = (
        PlanAssignment.objects.filter(
            plan__structure_id__in=structure_ids,
            plan__status=Plan.Status.ACCEPTED,
            response=PlanAssignment.Response.PENDING,
            day__date__gte=today,
            day__round__status__in=Round.LIVE_STATUSES,
        )
        .values("plan__structure_id", "plan__term", "person_id")
        .annotate(
            first_name=F("person__first_name"),
            last_name=F("person__last_name"),
            days=Count("pk"),
            first=Min("day__date"),
        )
        .order_by("first", "last_name", "first_name", "person_id")
    )
    for row in unanswered:
        items.append(
            AttentionItem(
                "day_not_confirmed",
                2,
                ngettext(
                    "%(name)s has not confirmed %(count)s day in the plan for %(term)s "
                    "(the first on %(date)s).",
                    "%(name)s has not confirmed %(count)s days in the plan for %(term)s "
                    "(the first on %(date)s).",
                    row["days"],
                )
                % {
                    "name": f"{row['first_name']} {row['last_name']}",
                    "count": row["days"],
                    "term": row["plan__term"],
                    "date": _date(row["first"]),
                },
                reverse("staffing:term_plan", args=[row["plan__structure_id"], row["plan__term"]]),
                row["first"],
            )
        )
    closing = live.filter(
        status=Round.Status.OPEN,
        registration_closes_on__range=(today, today + datetime.timedelta(days=7)),
    ).select_related("course")
    for round in closing.order_by("registration_closes_on", "pk"):
        items.append(
            AttentionItem(
                "registration_closing",
                3,
                _("Registration for %(round)s closes on %(date)s.")
                % {"round": _round_label(round), "date": _date(round.registration_closes_on)},
                reverse("enrolment:round", args=[round.pk]),
                round.registration_closes_on,
            )
        )
    late = live.filter(status=Round.Status.DRAFT, registration_opens_on__lte=today)
    for round in late.select_related("course").order_by("registration_opens_on", "pk"):
        items.append(
            AttentionItem(
                "draft_should_open",
                3,
                _("%(round)s is still a draft; its registration should have opened on %(date)s.")
                % {"round": _round_label(round), "date": _date(round.registration_opens_on)},
                reverse("enrolment:round", args=[round.pk]),
                round.registration_opens_on,
            )
        )
    items.sort(key=lambda item: (item.urgency, item.date or datetime.date.min))
    return items


def _round_label(round):
    return f"{round.course.title}, {round.name}"


def _date(value):
    return date_format(value, "DATE_FORMAT")


@dataclass(frozen=True)
class RoundWork:
    """A round the person leads, with what waits in it: answers to review, people to mark."""

    round: Round
    to_review: int
    to_complete: int


def teaching_work(user, today=None):
    """The rounds `user` leads as course leader that are not over, each with the deep-dive
    answers waiting for review and the registered participants without a completion once the
    last day has passed. One query."""
    today = today or timezone.localdate()
    last_day = CourseDay.objects.filter(round=OuterRef("pk")).order_by("-date").values("date")[:1]
    rounds = (
        Round.objects.filter(
            course_leader=user,
            status__in=(Round.Status.OPEN, Round.Status.CLOSED, Round.Status.RUNNING),
        )
        .select_related("course")
        .annotate(
            last_day=Subquery(last_day),
            to_review=Count(
                "registrations__deep_dive_answers",
                filter=Q(registrations__deep_dive_answers__status=DeepDiveAnswer.Status.SUBMITTED),
                distinct=True,
            ),
            without_completion=Count(
                "registrations",
                filter=Q(
                    registrations__status=Registration.Status.REGISTERED,
                    registrations__completion__isnull=True,
                ),
                distinct=True,
            ),
        )
        .order_by("last_day", "pk")
    )
    return [
        RoundWork(
            round,
            round.to_review,
            round.without_completion if round.last_day and round.last_day < today else 0,
        )
        for round in rounds
    ]


def _count_of(queryset):
    """A correlated COUNT(*) subquery (0 when none), so counts do not multiply joins."""
    counted = queryset.order_by().values("course_id").annotate(n=Count("*")).values("n")[:1]
    return Coalesce(Subquery(counted), Value(0))


def courses_of_journeys(journeys):
    """The national editor's panel: the courses of `journeys` (a Journey queryset) in the
    catalog's order, with their rounds planned or open, running and completed, and their
    completions. One query."""
    rounds = Round.objects.filter(course_id=OuterRef("pk"))
    return (
        Course.objects.filter(step__journey__in=journeys)
        .select_related("step__journey")
        .annotate(
            planned_rounds=_count_of(
                rounds.filter(
                    status__in=(Round.Status.DRAFT, Round.Status.OPEN, Round.Status.CLOSED)
                )
            ),
            running_rounds=_count_of(rounds.filter(status=Round.Status.RUNNING)),
            completed_rounds=_count_of(rounds.filter(status=Round.Status.COMPLETED)),
            completion_count=_count_of(Completion.objects.filter(course_id=OuterRef("pk"))),
        )
        .order_by(*COURSE_ORDER)
    )
