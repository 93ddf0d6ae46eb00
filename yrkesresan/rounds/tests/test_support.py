"""Shared set-up for the round planning and page tests (this module holds no tests).

`RoundsTestCase` adds to the personas: a venue in each region, and an open round in Region X
next term (`cls.round`, 3 seats, four Thursdays a week apart, day 1 physical at the venue,
course leader course_leader_x) with the participant (registered by manager_a), the Kumla
participant (by coordinator_x) and the Eskilstuna colleague on another unit (by the municipal
contact, with diet and accessibility needs and consent) in its seats, and the colleague of
unit A on its waiting list.
"""

import datetime

from django.utils import timezone

from yrkesresan.core.testing import PersonaTestCase, make_person, years_ago
from yrkesresan.enrolment.services import register
from yrkesresan.rounds import queries as round_queries
from yrkesresan.rounds import services as planning
from yrkesresan.rounds.models import Round, Venue, term_dates


def next_term_thursday(weeks=4):
    """A Thursday `weeks` weeks into next term, so that four weekly days fit in the term."""
    term = round_queries.next_term(round_queries.coming_terms()[0])
    start = term_dates(term)[0] + datetime.timedelta(weeks=weeks)
    return start + datetime.timedelta(days=(3 - start.weekday()) % 7)


def create_round(test, *, structure=None, venue=None, seats=3, name="Omgång 1", first_day=None):
    """A draft round planned the usual way through planning.create_round."""
    structure = structure or test.region_x
    first_day = first_day or next_term_thursday()
    return planning.create_round(
        test.course,
        structure,
        by=test.coordinator_x,
        term=planning.term_of(first_day),
        name=name,
        seats=seats,
        registration_opens_on=timezone.localdate(),
        registration_closes_on=first_day - datetime.timedelta(days=14),
        days=planning.propose_days(
            test.course,
            first_day,
            venue=venue or test.venue,
            meeting_url="https://meet.example.se/omgang",
        ),
    )


def open_round(round, by):
    from yrkesresan.enrolment.services import change_status

    return change_status(round, Round.Status.OPEN, by=by)


def add_participants(test, round, count, *, unit=None, by=None, prefix="extra"):
    """`count` new social workers on the step Ny in `unit`, registered into `round`."""
    unit = unit or test.unit_a
    people = []
    for n in range(count):
        person = make_person(f"{prefix}{round.pk}-{n}@example.com", unit=unit, started=years_ago(1))
        register(person, round, by=by or test.coordinator_x)
        people.append(person)
    return people


class RoundsTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.venue = Venue.objects.create(
            structure=cls.region_x,
            name="Stadshuset",
            room="Sal 3",
            address="Fristadstorget 2, Eskilstuna",
            capacity=40,
        )
        cls.venue_y = Venue.objects.create(
            structure=cls.region_y, name="Solna stadshus", address="Solna", capacity=40
        )
        cls.round = create_round(cls)
        open_round(cls.round, cls.coordinator_x)
        Round.objects.filter(pk=cls.round.pk).update(course_leader=cls.course_leader_x)
        cls.round.refresh_from_db()
        cls.registration = register(cls.participant, cls.round, by=cls.manager_a)
        cls.kumla_registration = register(cls.kumla_participant, cls.round, by=cls.coordinator_x)
        cls.needs_registration = register(
            cls.other_unit_participant,
            cls.round,
            by=cls.contact_eskilstuna,
            special_diet="Vegansk kost",
            accessibility_needs="Hörslinga",
            needs_consent=True,
        )
        cls.waiting = register(
            cls.colleague,
            cls.round,
            by=cls.manager_a,
            step_mismatch_reason="Ny inom barn och unga.",
        )
