"""Hundreds of registrations at the same moment never oversell a round (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from yrkesresan.accounts.models import ApiToken, RoleAssignment, User
from yrkesresan.core.testing import make_catalog, years_ago
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import register
from yrkesresan.organisations.models import County, Membership, Municipality, SupportStructure, Unit
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
