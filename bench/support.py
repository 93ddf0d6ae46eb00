"""Data for the benchmarks (run through `manage.py shell`, never imported by the site)."""

import datetime

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.utils import timezone

from yrkesresan.accounts.models import ApiToken, RoleAssignment, User
from yrkesresan.catalog.models import Course
from yrkesresan.organisations.models import SupportStructure, Unit
from yrkesresan.rounds.models import Registration, Round
from yrkesresan.rounds.testing import make_round


def session_for(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


@transaction.atomic
def prepare_rush(people, seats):
    """A 'bench' round with `seats` seats, `people` new staff, a coordinator token and session."""
    structure = SupportStructure.objects.get(short_name="Region Mälardalen")
    coordinator = User.objects.get(email="samordnare@example.com")
    course = Course.objects.get(slug="handlaggning-med-barnet-i-centrum")
    today = timezone.localdate()
    round = make_round(
        course,
        structure,
        seats=seats,
        name="Bänkomgång",
        first_day=today + datetime.timedelta(days=45),
    )
    units = list(
        Unit.objects.filter(municipality__county__in=structure.counties.all())
        .filter(municipality__memberships__left_on__isnull=True)
        .select_related("municipality")
    )
    started = today - datetime.timedelta(days=200)
    staff = User.objects.bulk_create(
        User(
            email=f"rush{n}@example.com",
            first_name="Rusa",
            last_name=f"Nummer {n}",
            municipality=units[n % len(units)].municipality,
            unit=units[n % len(units)],
            profession_started_on=started,
            password="!",
        )
        for n in range(people)
    )
    assert RoleAssignment.objects.filter(user=coordinator, role="coordinator").exists()
    assert not Registration.objects.filter(round=round).exists()
    return {
        "round": round.pk,
        "term": round.term,
        "emails": [person.email for person in staff],
        "token": ApiToken.issue(coordinator, name="bench"),
        "session": session_for(coordinator),
        "rounds_in_term": Round.objects.filter(structure=structure, term=round.term).count(),
    }
