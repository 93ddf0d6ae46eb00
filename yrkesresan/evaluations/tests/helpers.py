"""Completed rounds, completed people and their answers, for the evaluation's tests.

Completions are made directly (learning.Completion rows), not through the completion service:
what is tested here starts where completion ends, with an Invitation.
"""

import datetime
import importlib
import uuid

from django.apps import apps
from django.utils import timezone

from yrkesresan.catalog.services import publish_draft, start_draft
from yrkesresan.core.testing import PersonaTestCase, make_catalog, make_person
from yrkesresan.enrolment.models import Completion, Registration
from yrkesresan.organisations.models import County, Membership, Municipality, SupportStructure, Unit
from yrkesresan.rounds.models import CourseDay, Round
from yrkesresan.rounds.testing import make_round

from ..models import Invitation, Question
from ..services import move_sealed_answers, submit_evaluation


def completed_round(course, structure, *, name="Omgång 1", days_ago=60, all_physical=False):
    """A completed round whose four weekly days were `days_ago` days ago and on: day 1
    physical, the others digital (or every day physical)."""
    round = make_round(course, structure, name=name, status=Round.Status.COMPLETED)
    first_day = timezone.localdate() - datetime.timedelta(days=days_ago)
    Round.objects.filter(pk=round.pk).update(
        registration_opens_on=first_day - datetime.timedelta(days=60),
        registration_closes_on=first_day - datetime.timedelta(days=14),
    )
    for day in round.days.all():
        day.date = first_day + datetime.timedelta(days=7 * (day.number - 1))
        if all_physical:
            day.mode = CourseDay.Mode.PHYSICAL
            day.meeting_url = ""
        day.save()
    round.refresh_from_db()
    return round


def complete(person, round):
    """`person` completed `round`: a registration, a completion and the open invitation."""
    registration = Registration.objects.create(
        round=round, person=person, status=Registration.Status.REGISTERED
    )
    completion = Completion.objects.create(
        registration=registration,
        person=person,
        course=round.course,
        completed_on=timezone.localdate(),
        verification_code=uuid.uuid4().hex[:20].upper(),
    )
    return Invitation.objects.create(completion=completion, round=round)


def complete_many(round, count, unit, *, prefix=None):
    """`count` new people in `unit` who completed `round`; their invitations."""
    prefix = prefix or f"r{round.pk}"
    people = [make_person(f"{prefix}.p{n}@example.com", unit=unit) for n in range(count)]
    return [complete(person, round) for person in people]


def question(about, order):
    return Question.objects.get(about=about, order=order)


def usefulness():
    return question(Question.About.DAY, 1)


def day_form():
    return question(Question.About.DAY, 2)


def day_text():
    return question(Question.About.DAY, 3)


def satisfaction():
    return question(Question.About.COURSE, 1)


def course_text():
    return question(Question.About.COURSE, 4)


def answers_for(round, *, useful=4, form=4, satisfied=4, day_words="", words=""):
    """Answers to every day of `round` and the course, with the given scores and texts."""
    answers = {}
    for day in round.days.all():
        answers[(usefulness().pk, day.pk)] = useful
        answers[(day_form().pk, day.pk)] = form
        answers[(day_text().pk, day.pk)] = day_words
    answers[(satisfaction().pk, None)] = satisfied
    answers[(course_text().pk, None)] = words
    return answers


class EvaluationTestCase(PersonaTestCase):
    """Personas plus a completed round in Region X led by course_leader_x, which the
    participant completed; day 1 physical, days 2–4 digital."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = completed_round(cls.course, cls.region_x)
        cls.round.course_leader = cls.course_leader_x
        cls.round.save()
        cls.invitation = complete(cls.participant, cls.round)


class TwoVersionsTestCase(EvaluationTestCase):
    """The course in two versions: 2.0 taught in the participant's round, 2.1 in a later
    round (`cls.later`, completed 20 days ago); answers are the subclass's."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.v20 = publish_draft(start_draft(cls.course, by=cls.editor), by=cls.editor,
                                number="2.0", change_note="Första.")  # fmt: skip
        cls.v21 = publish_draft(start_draft(cls.course, by=cls.editor), by=cls.editor,
                                number="2.1", change_note="Nya SoL.")  # fmt: skip
        Round.objects.filter(pk=cls.round.pk).update(course_version=cls.v20)
        cls.later = completed_round(cls.course, cls.region_x, name="Omgång 2", days_ago=20)
        Round.objects.filter(pk=cls.later.pk).update(course_version=cls.v21)


def submit_and_move(invitation, answers):
    """Answer, then move the round's sealed answers into responses at once (as the batch job
    would once enough are waiting)."""
    submit_evaluation(invitation, answers)
    move_sealed_answers(invitation.round_id, force=True)


def round_with_people(count):
    """A completed round in a region of its own with `count` invited people, for the
    transactional tests on PostgreSQL: (round, invitations). The national questions come back
    if an earlier transactional test flushed them."""
    if not Question.objects.exists():
        migration = importlib.import_module(
            "yrkesresan.evaluations.migrations.0003_national_questions"
        )
        migration.add_questions(apps, None)
    county = County.objects.create(code="04", name="Södermanlands län")
    town = Municipality.objects.create(code="0484", name="Eskilstuna", county=county)
    Membership.objects.create(municipality=town, joined_on="2021-05-01")
    structure = SupportStructure.objects.create(name="Region Mälardalen")
    structure.counties.add(county)
    unit = Unit.objects.create(municipality=town, name="Utredningsenheten")
    _journey, _steps, _elderly, course = make_catalog()
    round = completed_round(course, structure)
    invitations = [
        complete(make_person(f"p{n}@example.com", unit=unit), round) for n in range(count)
    ]
    return round, invitations
