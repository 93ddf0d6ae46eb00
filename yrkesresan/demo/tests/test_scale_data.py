"""generate_scale_data: deterministic for a seed, and the data follows the rules of the services."""

from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.catalog.models import Journey
from yrkesresan.demo.scale import DEMO_PASSWORD, DOMAIN, generate
from yrkesresan.enrolment.certificates import present_days, what_was_taught
from yrkesresan.enrolment.models import (
    Attendance,
    Completion,
    DeepDiveAnswer,
    MakeUpDay,
    PreparationProgress,
    Registration,
)
from yrkesresan.enrolment.placement import current_placement
from yrkesresan.enrolment.queries import with_counts
from yrkesresan.evaluations.models import Answer, Invitation, Response
from yrkesresan.organisations.models import County, Municipality
from yrkesresan.reports.models import ModeTally
from yrkesresan.rounds.models import CourseDay, Round
from yrkesresan.staffing.models import Team, TeamDay

pytestmark = pytest.mark.django_db

SIZE = {"staff": 300, "years": 2}


def signature():
    """What a seed decides, without database ids."""
    return {
        "people": list(
            User.objects.order_by("email").values_list(
                "email", "first_name", "last_name", "municipality__code", "unit__name", "title"
            )
        ),
        "roles": sorted(RoleAssignment.objects.values_list("user__email", "role")),
        "rounds": list(
            Round.objects.order_by("structure__name", "course__slug", "term", "name").values_list(
                "structure__name", "course__slug", "term", "name", "status", "seats"
            )
        ),
        "registrations": sorted(
            Registration.objects.values_list("person__email", "round__name", "status")
        ),
        "counts": [
            model.objects.count()
            for model in (Attendance, Completion, DeepDiveAnswer, Invitation, Response, Answer)
        ],
        "codes": sorted(Completion.objects.values_list("verification_code", flat=True)),
    }


def generate_and_roll_back(seed):
    with transaction.atomic():
        generate(seed=seed, **SIZE)
        result = signature()
        transaction.set_rollback(True)
    return result


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = generate_and_roll_back(7)
    assert not User.objects.exists()
    assert first == generate_and_roll_back(7)
    assert first["people"] != generate_and_roll_back(8)["people"]


@pytest.fixture
def data():
    return generate(seed=3, **SIZE)


def test_sizes_and_organisations(data):
    assert User.objects.filter(municipality__isnull=False).count() == SIZE["staff"]
    assert data["staff (in municipalities)"] == SIZE["staff"]
    assert Municipality.objects.count() == 290
    members = Municipality.objects.members().count()
    assert members == 264  # about 91 %
    uncovered = County.objects.filter(support_structures__isnull=True)
    assert not uncovered.exists()
    assert County.objects.annotate(n=Count("support_structures")).filter(n__gt=1).count() == 0
    # Cooperations across counties, like Region Mälardalen.
    assert any(count > 1 for count in data_structure_county_counts())
    # Staff only in member municipalities, most of them new (under two years).
    staff = User.objects.filter(municipality__isnull=False)
    assert not staff.exclude(municipality__in=Municipality.objects.members()).exists()
    new = sum(1 for person in staff if person.years_in_profession() < 2)
    assert new > staff.count() / 2
    # Every unit has a manager, every round a course leader.
    assert not staff.filter(unit__isnull=True).exists()
    managed = set(RoleAssignment.objects.filter(role="manager").values_list("unit_id", flat=True))
    assert managed == set(staff.values_list("unit_id", flat=True))
    assert not Round.objects.filter(course_leader__isnull=True).exists()
    for role in ("coordinator", "trainer", "course_leader", "municipal_contact"):
        assert RoleAssignment.objects.filter(role=role).exists(), role


def test_unit_managers_and_team_leaders_are_on_their_role_steps(data):
    journey = Journey.objects.prefetch_related("steps").get(slug="barn-och-unga")
    managers = User.objects.filter(roles__role="manager")
    assert set(managers.values_list("work_role", flat=True)) == {"unit_manager"}
    leaders = User.objects.filter(work_role="team_leader")
    # About one team leader for every unit of ten or more staff.
    assert leaders.count() >= managers.count() // 2
    assert set(leaders.values_list("title", flat=True)) == {"Teamledare"}
    for person in [*managers, *leaders]:
        step = current_placement(person, journey).step
        assert (
            step.slug == {"unit_manager": "chef", "team_leader": "arbetsledare"}[person.work_role]
        ), person.email


def data_structure_county_counts():
    from yrkesresan.organisations.models import SupportStructure

    return SupportStructure.objects.annotate(n=Count("counties")).values_list("n", flat=True)


def test_everyone_logs_in_with_the_demo_password(data):
    hashes = set(User.objects.values_list("password", flat=True))
    assert len(hashes) == 1
    assert check_password(DEMO_PASSWORD, hashes.pop())


def test_no_round_is_oversold_and_people_wait_only_when_it_is_full(data):
    # (At this size the queues are too short for full rounds; at 60 000 staff a few hundred
    # people wait, and the same checks hold.)
    rounds = with_counts(Round.objects.all())
    for round in rounds:
        assert round.registered_count <= round.seats, round
        if round.waitlisted_count:
            assert round.registered_count == round.seats, round
        if round.status == Round.Status.DRAFT:
            assert round.registered_count == round.waitlisted_count == 0
        if round.status == Round.Status.CANCELLED:
            assert round.registered_count == round.waitlisted_count == 0
    # Waiting in queue order: nobody waiting queued before someone with a seat.
    for round in rounds.filter(waitlisted_count__gt=0):
        active = round.registrations.exclude(status="cancelled").order_by("queued_at", "pk")
        statuses = [r.status for r in active]
        assert statuses == sorted(statuses, key=lambda s: s != "registered")
    assert not Registration.objects.filter(
        ~Q(special_diet="") | ~Q(accessibility_needs=""), needs_consent=False
    ).exists()
    assert (
        not Registration.objects.filter(round__status="completed", needs_consent=True)
        .exclude(special_diet="", accessibility_needs="")
        .exists()
    )
    # One active registration per person and course.
    duplicates = (
        Registration.objects.exclude(status="cancelled")
        .values("person", "round__course")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()


def test_completions_only_for_those_who_did_everything(data):
    completions = Completion.objects.select_related("registration__round__course")
    assert completions.exists()
    assert MakeUpDay.objects.exists()
    present = defaultdict(set)  # registration -> day numbers attended in full
    for registration_id, number in Attendance.objects.filter(status="present").values_list(
        "registration_id", "day__number"
    ):
        present[registration_id].add(number)
    for completion in completions:
        registration = completion.registration
        course = registration.round.course
        assert registration.status == Registration.Status.REGISTERED
        assert registration.round.status == Round.Status.COMPLETED
        assert completion.course_id == course.pk and completion.person_id == registration.person_id
        assert present[registration.pk] == set(range(1, course.course_days + 1))
        tasks = set(course.preparation_tasks.values_list("pk", flat=True))
        done = set(
            PreparationProgress.objects.filter(
                person=registration.person, done_at__isnull=False
            ).values_list("task_id", flat=True)
        )
        assert tasks <= done
        answers = DeepDiveAnswer.objects.filter(registration=registration)
        assert answers.count() == course.deep_dive_tasks.count()
        assert not answers.exclude(status="approved").exists()
    # Make-up days are days of another round of the same course, with the same number.
    for make_up in MakeUpDay.objects.select_related("registration__round", "day__round"):
        assert make_up.day.round_id != make_up.registration.round_id
        assert make_up.day.round.course_id == make_up.registration.round.course_id
    # Attendance only for people with a seat, on days that are over.
    assert not Attendance.objects.exclude(registration__status="registered").exists()
    assert not Attendance.objects.filter(day__date__gte=data_today()).exists()


def test_completions_keep_what_was_taught_as_marking_them_complete_does(data):
    completions = list(Completion.objects.select_related("registration", "course__step__journey"))
    assert completions
    days = present_days([completion.registration for completion in completions])
    taught = {}
    for completion in completions:
        course = completion.course
        expected = taught.setdefault(course.pk, what_was_taught(course))
        assert {name: getattr(completion, name) for name in expected} == expected
        assert completion.attended_days == days[completion.registration_id]
        assert len(completion.attended_days) == course.course_days
    assert any(
        day["make_up_round"] for completion in completions for day in completion.attended_days
    )


def data_today():
    from django.utils import timezone

    return timezone.localdate()


def test_evaluations_are_one_per_completion_and_anonymous(data):
    assert Invitation.objects.count() == Completion.objects.count()
    answered = dict(
        Invitation.objects.filter(answered=True)
        .values("round")
        .annotate(n=Count("pk"))
        .values_list("round", "n")
    )
    responses = dict(
        Response.objects.values("round").annotate(n=Count("pk")).values_list("round", "n")
    )
    assert answered == responses
    # Day answers carry the day's mode; both modes are answered.
    assert (
        not Answer.objects.filter(day__isnull=False)
        .exclude(day_mode__in=["physical", "digital"])
        .exists()
    )
    assert {"physical", "digital"} <= set(Answer.objects.values_list("day_mode", flat=True))
    # The comparison's counts are made as the batch move makes them: one per day answer.
    scored = Answer.objects.filter(day__isnull=False, score__isnull=False).count()
    counted = ModeTally.objects.aggregate(
        n=Sum(F("score_1") + F("score_2") + F("score_3") + F("score_4") + F("score_5"))
    )["n"]
    assert scored and counted == scored


def test_trainers_teams_and_days(data):
    assert Team.objects.exists()
    trainers = set(
        RoleAssignment.objects.filter(role="trainer").values_list("user_id", "structure_id")
    )
    for team in Team.objects.select_related("round").prefetch_related("members"):
        for member in team.members.all():
            assert (member.pk, team.round.structure_id) in trainers
    for team_day in TeamDay.objects.select_related("team", "day"):
        assert team_day.team.round_id == team_day.day.round_id
    physical = CourseDay.objects.filter(mode="physical")
    assert physical.exists() and not physical.filter(venue__isnull=True).exists()
    assert not CourseDay.objects.filter(mode="digital", meeting_url="").exists()


def test_the_command_refuses_a_database_with_data_and_reports_what_it_made():
    out = StringIO()
    call_command("generate_scale_data", staff=200, years=1, seed=2, stdout=out)
    assert "generated in" in out.getvalue()
    assert User.objects.filter(email__endswith=f"@{DOMAIN}").count() > 200
    with pytest.raises(CommandError, match="already holds generated scale data"):
        call_command("generate_scale_data", staff=200, years=1, seed=2, force=True)


def test_the_command_refuses_a_non_empty_database_without_force():
    User.objects.create_user("someone@example.com", "pw-for-test-1234")
    with pytest.raises(CommandError, match="not empty"):
        call_command("generate_scale_data", staff=200, years=1, seed=2, stdout=StringIO())
    call_command("generate_scale_data", staff=200, years=1, seed=2, force=True, stdout=StringIO())
    assert User.objects.filter(email="someone@example.com").exists()
