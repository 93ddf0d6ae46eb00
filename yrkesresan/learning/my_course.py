"""A participant's own page for a round they are in: days, preparation, deep-dive tasks,
attendance, make-up days, completion, and the people in the round."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import DeepDiveTask
from yrkesresan.enrolment import access as enrolment_access
from yrkesresan.enrolment import deep_dive, preparation
from yrkesresan.enrolment.models import Registration
from yrkesresan.materials import access as material_access

from . import taught

BY_NAME = ("last_name", "first_name", "pk")


def get_own_registration(user, round_pk):
    """The user's registration in the round: 404 unless they hold a place or a waiting-list
    place in it, or completed the course through it."""
    registration = get_object_or_404(
        Registration.objects.select_related(
            "round__course__step__journey",
            "round__structure",
            "round__course_version",
            "round__course_leader__municipality",
            "completion__evaluation_invitation",
        ),
        round_id=round_pk,
        person_id=user.pk,
    )
    if registration.status == Registration.Status.CANCELLED and not hasattr(
        registration, "completion"
    ):
        raise Http404
    return registration


@dataclass
class DayRow:
    day: object  # rounds.CourseDay
    plan: object  # catalog.CourseDayPlan or None
    attendance: object  # learning.Attendance or None
    trainers: list = field(default_factory=list)
    is_make_up: bool = False


@dataclass
class Worker:
    """Someone who runs the round: the course leader or a trainer, with their day numbers."""

    person: User
    is_course_leader: bool
    day_numbers: list


@dataclass
class MyCourse:
    registration: Registration
    days: list  # DayRow for the round's days
    make_up_days: list  # DayRow for days booked in later rounds
    modules: list
    preparation: preparation.PreparationSummary
    deep_dive: list  # (task, answer or None)
    last_day: object
    may_hand_in: bool
    round_mates: list | None  # registrations of the others, or None if not shown
    workers: list
    reads_material: bool

    @property
    def round(self):
        return self.registration.round

    @property
    def course(self):
        return self.registration.round.course

    @property
    def completion(self):
        return getattr(self.registration, "completion", None)

    @property
    def open_invitation(self):
        completion = self.completion
        invitation = getattr(completion, "evaluation_invitation", None) if completion else None
        return invitation if invitation is not None and not invitation.answered else None

    @property
    def is_registered(self):
        return self.registration.status == Registration.Status.REGISTERED


def my_course(user, registration):
    """Everything on the participant's page for one registration, in a fixed number of
    queries whatever the number of days, trainers and people in the round."""
    round = registration.round
    course = round.course
    # The texts of the round's version; progress and answers point at the live rows.
    version = taught.older_version(
        course, round.course_version if round.course_version_id else None
    )
    taught.course_as_of(course, version)
    plans = {plan.number: plan for plan in taught.day_plans_as_of(course.day_plans.all(), version)}
    attendance = {a.day_id: a for a in registration.attendances.all()}
    active_people = User.objects.filter(is_active=True).select_related("municipality")
    round_days = list(
        round.days.select_related("venue", "team_assignment__team").prefetch_related(
            Prefetch(
                "team_assignment__team__members",
                queryset=active_people.order_by(*BY_NAME),
            )
        )
    )
    leader = round.course_leader if round.course_leader and round.course_leader.is_active else None
    days = []
    workers = {}
    if leader is not None:
        workers[leader.pk] = Worker(leader, True, [day.number for day in round_days])
    for day in round_days:
        assignment = getattr(day, "team_assignment", None)
        members = list(assignment.team.members.all()) if assignment else []
        for member in members:
            if member.pk not in workers:
                workers[member.pk] = Worker(member, False, [])
            if not workers[member.pk].is_course_leader:
                workers[member.pk].day_numbers.append(day.number)
        trainers = ([leader] if leader else []) + [m for m in members if m != leader]
        days.append(DayRow(day, plans.get(day.number), attendance.get(day.pk), trainers))
    make_up_days = [
        DayRow(
            booking.day,
            plans.get(booking.day.number),
            attendance.get(booking.day_id),
            is_make_up=True,
        )
        for booking in registration.make_up_days.select_related(
            "day__venue", "day__round"
        ).order_by("day__date", "day__starts_at")
    ]
    modules = taught.modules_as_of(preparation.modules_of(user, course), version)
    answers = {a.task_id: a for a in registration.deep_dive_answers.select_related("reviewed_by")}
    tasks = taught.deep_dive_tasks_as_of(
        DeepDiveTask.objects.filter(course=course).order_by("order", "pk"), version
    )
    dates = [row.day.date for row in days + make_up_days]
    last_day = max(dates) if dates else None
    round_mates = None
    if enrolment_access.sees_fellow_participants(user, round):
        round_mates = list(
            round.registrations.filter(status=Registration.Status.REGISTERED)
            .exclude(person_id=user.pk)
            .select_related("person__municipality")
            .order_by(*(f"person__{name}" for name in BY_NAME))
        )
    ordered_workers = sorted(
        workers.values(),
        key=lambda w: (not w.is_course_leader, w.person.last_name, w.person.first_name),
    )
    return MyCourse(
        registration=registration,
        days=days,
        make_up_days=make_up_days,
        modules=modules,
        preparation=preparation.summary_of(modules),
        deep_dive=[(task, answers.get(task.pk)) for task in tasks],
        last_day=last_day,
        may_hand_in=deep_dive.may_hand_in(last_day),
        round_mates=round_mates,
        workers=ordered_workers,
        reads_material=material_access.can_read_participant_material(user, course),
    )
