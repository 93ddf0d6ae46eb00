"""Hundreds of registrations at the same moment never oversell a round, nor give one person two
places on one course (PostgreSQL)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from yrkesresan.accounts.models import ApiToken, RoleAssignment, User
from yrkesresan.core.testing import make_catalog, years_ago
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import RegistrationError, register
from yrkesresan.organisations.models import County, Membership, Municipality, SupportStructure, Unit
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

PEOPLE = 200
SEATS = 50
WORKERS = 16


def make_rush(people):
    """A round of SEATS seats, its coordinator and `people` staff who may take them."""
    county = County.objects.create(code="04", name="Södermanlands län")
    town = Municipality.objects.create(code="0484", name="Eskilstuna", county=county)
    Membership.objects.create(municipality=town, joined_on="2021-05-01")
    structure = SupportStructure.objects.create(name="Region Mälardalen")
    structure.counties.add(county)
    unit = Unit.objects.create(municipality=town, name="Utredningsenheten")
    coordinator = User.objects.create_user("samordnare@example.com", "x")
    RoleAssignment.objects.create(user=coordinator, role="coordinator", structure=structure)
    _journey, _steps, _elderly, course = make_catalog()
    round = make_round(course, structure, seats=SEATS)
    people = User.objects.bulk_create(
        User(
            email=f"p{n}@example.com",
            first_name="P",
            last_name=str(n),
            municipality=town,
            unit=unit,
            profession_started_on=years_ago(1),
        )
        for n in range(people)
    )
    return round, coordinator, people


def assert_fair_and_full(statuses, people):
    assert statuses.count("registered") == SEATS
    assert statuses.count("waitlisted") == people - SEATS
    assert Registration.objects.filter(status="registered").count() == SEATS
    assert Registration.objects.filter(status="waitlisted").count() == people - SEATS
    # Fair order: every seated person was queued before everyone on the waiting list.
    last_seated = Registration.objects.filter(status="registered").latest("queued_at")
    first_waiting = Registration.objects.filter(status="waitlisted").earliest("queued_at")
    assert last_seated.queued_at <= first_waiting.queued_at


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are what is tested; SQLite has none"
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_fill_exactly_the_seats():
    round, coordinator, people = make_rush(PEOPLE)
    go = threading.Event()

    def register_one(person):
        go.wait(timeout=30)  # the first WORKERS calls start together
        try:
            return register(person, round, by=coordinator).status
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(register_one, person) for person in people]
        go.set()
        statuses = [future.result() for future in futures]

    assert_fair_and_full(statuses, PEOPLE)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are what is tested; SQLite has none"
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_through_the_api_fill_exactly_the_seats():
    # The API's path: the round and the rules' facts read before the lock, compiled queries.
    round, coordinator, people = make_rush(PEOPLE // 2)
    token = ApiToken.issue(coordinator)
    path = reverse("api:round_registrations", args=[round.pk])
    go = threading.Event()

    def register_one(person):
        go.wait(timeout=30)
        try:
            response = Client().post(
                path,
                {"email": person.email},
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            assert response.status_code == 201, response.content
            return response.json()["status"]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(register_one, person) for person in people]
        go.set()
        statuses = [future.result() for future in futures]

    assert_fair_and_full(statuses, PEOPLE // 2)


def register_everyone_twice(people, first, second, register_one):
    """Each person into both rounds at once; returns (person, round, outcome) for each call."""
    go = threading.Event()

    def call(person, round):
        go.wait(timeout=30)
        try:
            return person, round, register_one(person, round)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [
            pool.submit(call, person, round) for person in people for round in (first, second)
        ]
        go.set()
        return [future.result() for future in futures]


def assert_one_place_each(people, first, second, outcomes):
    """Each person got one place, in one of the rounds, and was refused the other naming it."""
    live = Registration.objects.live().filter(round__in=[first, second])
    assert sorted(live.values_list("person_id", flat=True)) == sorted(p.pk for p in people)
    held = dict(live.values_list("person_id", "round_id"))
    for person, round, outcome in outcomes:
        if held[person.pk] == round.pk:
            assert outcome == "placed", (person, round, outcome)
        else:
            assert outcome == ("refused", held[person.pk]), (person, round, outcome)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are what is tested; SQLite has none"
)
@pytest.mark.django_db(transaction=True)
def test_one_person_registered_into_two_rounds_of_a_course_at_once_gets_one_place():
    first, coordinator, people = make_rush(PEOPLE // 4)
    second = make_round(first.course, first.structure, seats=SEATS, name="Omgång 2")

    def register_one(person, round):
        try:
            register(person, round, by=coordinator)
        except RegistrationError as error:
            assert error.code == RegistrationError.BOOKED_ON_COURSE
            return "refused", error.round_id
        return "placed"

    outcomes = register_everyone_twice(people, first, second, register_one)
    assert_one_place_each(people, first, second, outcomes)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are what is tested; SQLite has none"
)
@pytest.mark.django_db(transaction=True)
def test_one_person_registered_into_two_rounds_through_the_api_at_once_gets_one_place():
    first, coordinator, people = make_rush(PEOPLE // 4)
    second = make_round(first.course, first.structure, seats=SEATS, name="Omgång 2")
    token = ApiToken.issue(coordinator)

    def register_one(person, round):
        response = Client().post(
            reverse("api:round_registrations", args=[round.pk]),
            {"email": person.email},
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        if response.status_code == 409:
            assert response.json()["code"] == "booked_on_course", response.content
            return "refused", response.json()["round"]
        assert response.status_code == 201, response.content
        return "placed"

    outcomes = register_everyone_twice(people, first, second, register_one)
    assert_one_place_each(people, first, second, outcomes)


def waiting_for_locks():
    """How many other sessions wait for a lock (PostgreSQL's own view of its sessions, read
    afresh: within a transaction it is a snapshot)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are what is tested; SQLite has none"
)
@pytest.mark.django_db(transaction=True)
def test_two_identical_requests_at_once_answer_201_then_200_with_the_same_registration():
    round, coordinator, (person,) = make_rush(1)
    token = ApiToken.issue(coordinator)
    path = reverse("api:round_registrations", args=[round.pk])

    def post():
        try:
            return Client().post(
                path,
                {"email": person.email},
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
        finally:
            connections.close_all()

    # Both requests read the rules (no registration yet) and then queue on the round's lock,
    # which this test holds until both wait: the second finds the first's registration.
    with ThreadPoolExecutor(max_workers=2) as pool:
        with transaction.atomic():
            Round.objects.select_for_update().get(pk=round.pk)
            futures = [pool.submit(post), pool.submit(post)]
            for _ in range(200):
                if waiting_for_locks() >= 2:
                    break
                time.sleep(0.05)
            waiting = waiting_for_locks()
        responses = [future.result(timeout=60) for future in futures]
    assert waiting == 2, [(r.status_code, r.content[:200]) for r in responses]

    assert sorted(response.status_code for response in responses) == [200, 201]
    first, second = sorted(responses, key=lambda response: -response.status_code)
    assert first.json() == second.json()
    assert first["Location"] == reverse("api:registration_detail", args=[first.json()["id"]])
    assert Registration.objects.get().pk == first.json()["id"]
