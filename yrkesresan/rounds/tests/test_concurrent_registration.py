"""Hundreds of registrations at the same moment never oversell a round (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.core.testing import make_catalog, years_ago
from yrkesresan.organisations.models import County, Membership, Municipality, SupportStructure, Unit
from yrkesresan.rounds.models import Registration
from yrkesresan.rounds.services import register
from yrkesresan.rounds.testing import make_round

PEOPLE = 200
SEATS = 50
WORKERS = 16


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are what is tested; SQLite has none"
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_registrations_fill_exactly_the_seats():
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
        for n in range(PEOPLE)
    )
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

    assert statuses.count("registered") == SEATS
    assert statuses.count("waitlisted") == PEOPLE - SEATS
    assert Registration.objects.filter(status="registered").count() == SEATS
    assert Registration.objects.filter(status="waitlisted").count() == PEOPLE - SEATS
    # Fair order: every seated person was queued before everyone on the waiting list.
    last_seated = Registration.objects.filter(status="registered").latest("queued_at")
    first_waiting = Registration.objects.filter(status="waitlisted").earliest("queued_at")
    assert last_seated.queued_at <= first_waiting.queued_at
