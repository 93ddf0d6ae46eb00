"""The benchmark's people, pages and rush round, picked from the scale data.

Run inside Django (`manage.py shell`, see run.py); never imported by the site.
"""

import datetime

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from yrkesresan.accounts.models import ApiToken, RoleAssignment, User
from yrkesresan.catalog.models import Course
from yrkesresan.demo.scale import DOMAIN
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.queries import with_counts
from yrkesresan.organisations.models import Municipality, Unit
from yrkesresan.rounds.models import Round
from yrkesresan.rounds.testing import make_round

# The coordinator of the largest structure (Storsthlm), made by generate_scale_data.
COORDINATOR = f"samordnare.1.1@{DOMAIN}"
ADMIN = f"admin@{DOMAIN}"
RUSH_COURSE = "handlaggning-med-barnet-i-centrum"
RUSH_UNIT = "Bänkenheten (registreringsrusningen)"
RUSH_ROUND = "Bänkomgång"
RUSH_DOMAIN = "@bench.example"


def session_for(user):
    """A logged-in session for `user`, as the login view would make it; returns the cookie."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "yrkesresan.accounts.backends.PasswordBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def mid_course_round(structure_id, today):
    """The round of the structure with most participants whose days have begun, not ended;
    else its running round with most participants, else its latest round with participants
    (small data, e.g. 2 000 staff, may have a running round that nobody registered for)."""
    with_people = (
        Round.objects.filter(structure_id=structure_id)
        .annotate(first=Min("days__date"), last=Max("days__date"))
        .annotate(registered=Count("registrations", filter=Q(registrations__status="registered")))
        .filter(registered__gt=0)
    )
    rounds = with_people.filter(status=Round.Status.RUNNING)
    return (
        rounds.filter(first__lt=today, last__gte=today).order_by("-registered", "pk").first()
        or rounds.order_by("-registered", "pk").first()
        or with_people.order_by("-pk").first()
        or Round.objects.filter(structure_id=structure_id).order_by("-pk").first()
    )


def attendance_url(round):
    """The per-day digital attendance page (leader:attendance) if it exists, else the list."""
    day = round.days.filter(date__lte=timezone.localdate()).order_by("-number").first()
    day = day or round.days.order_by("number").first()
    for args in ([round.pk, day.number], [day.pk], [round.pk]):
        try:
            return "leader_attendance", reverse("leader:attendance", args=args)
        except NoReverseMatch:
            continue
    return "rounds_attendance_list", reverse("enrolment:attendance_list", args=[round.pk])


def remove_previous_rush():
    """Remove earlier runs' rush rounds and people, so that the data stays the generated data."""
    Round.objects.filter(name=RUSH_ROUND).delete()
    User.objects.filter(email__endswith=RUSH_DOMAIN).delete()


def pages(clean=True):
    """name -> {"path", "user", "cookie" or "token"} for every page the bench loads; `clean`
    first removes earlier rush rounds (the profiling tools pass False: a rush may be running)."""
    if clean:
        remove_previous_rush()
    today = timezone.localdate()
    coordinator = User.objects.get(email=COORDINATOR)
    admin = User.objects.get(email=ADMIN)
    structure_id = (
        RoleAssignment.objects.filter(user=coordinator, role="coordinator").first().structure_id
    )
    round = mid_course_round(structure_id, today)
    participant = (
        User.objects.filter(registrations__round=round, registrations__status="registered")
        .annotate(attended=Count("registrations__attendances"))
        .order_by("-attended", "pk")
        .first()
    )
    leader = round.course_leader or coordinator
    # The manager of the largest unit (of the generated data, not the rush's unit).
    unit = (
        Unit.objects.exclude(name=RUSH_UNIT)
        .annotate(n=Count("staff"))
        .order_by("-n", "pk")
        .select_related("municipality")
    ).first()
    manager = User.objects.filter(roles__role="manager", roles__unit=unit).first()
    municipality = unit.municipality
    county = municipality.county
    attendance_kind, attendance_path = attendance_url(round)

    sessions = {}

    def as_user(user, path):
        if user.pk not in sessions:
            sessions[user.pk] = session_for(user)
        return {"path": path, "user": user.email, "cookie": f"sessionid={sessions[user.pk]}"}

    token = ApiToken.issue(coordinator, name="bench")
    result = {
        "floor": {"path": "/bench/floor", "user": "anonymous"},
        "participant_home": as_user(participant, "/"),
        "manager_staff": as_user(manager, reverse("learning:staff")),
        "term_overview": as_user(coordinator, reverse("reports:term_overview")),
        "round_page": as_user(coordinator, reverse("enrolment:round", args=[round.pk])),
        "attendance_list": as_user(leader, attendance_path),
        "api_round": {
            "path": reverse("api:round_detail", args=[round.pk]),
            "user": coordinator.email,
            "token": token,
        },
        # Every dashboard and overview there is.
        "dashboard_coordinator_start": as_user(coordinator, reverse("home:home")),
        "dashboard_national_counties": as_user(admin, reverse("reports:counties")),
        "dashboard_county": as_user(coordinator, reverse("reports:county", args=[county.code])),
        "dashboard_municipality": as_user(
            coordinator, reverse("reports:municipality", args=[municipality.code])
        ),
        "dashboard_capacity": as_user(coordinator, reverse("reports:capacity")),
        "dashboard_manager_rounds": as_user(manager, reverse("reports:my_staff")),
        "dashboard_timeline": as_user(coordinator, reverse("reports:timeline")),
        "dashboard_region": as_user(coordinator, reverse("reports:region_dashboard")),
        "dashboard_nation": as_user(admin, reverse("reports:nation_dashboard")),
        "dashboard_mode_comparison": as_user(coordinator, reverse("reports:mode_comparison")),
        "dashboard_mode_comparison_nation": as_user(admin, reverse("reports:mode_comparison")),
        # The knowledge bank at national content size: a participant, and the coordinator, who
        # reads trainer material too, searching for an inflected word.
        "knowledge_search": as_user(participant, reverse("catalog:knowledge_bank") + "?q=barnet"),
        "knowledge_search_trainer": as_user(
            coordinator, reverse("catalog:knowledge_bank") + "?q=barnens+utredning"
        ),
    }
    # The start page of each role (issue 11): the coordinator's is dashboard_coordinator_start.
    trainers = User.objects.filter(roles__role="trainer", roles__structure_id=structure_id)
    trainer = trainers.filter(trainer_teams__round=round).first() or trainers.first()
    contact = (
        User.objects.filter(
            roles__role="municipal_contact", roles__municipality=municipality
        ).first()
        or User.objects.filter(roles__role="municipal_contact").first()
    )
    editor = User.objects.filter(roles__role="national_editor").first()
    for name, user in [
        ("start_course_leader", leader),
        ("start_trainer", trainer),
        ("start_manager", manager),
        ("start_contact", contact),
        ("start_editor", editor),
    ]:
        if user is not None:
            result[name] = as_user(user, reverse("home:home"))
    # The municipality in figures, as its contact sees it (else as the county's coordinator).
    own_contact = User.objects.filter(
        roles__role="municipal_contact", roles__municipality=municipality
    ).first()
    result["dashboard_municipality_figures"] = as_user(
        own_contact or coordinator,
        reverse("reports:municipality_dashboard", args=[municipality.code]),
    )
    result["dashboard_county_figures"] = as_user(
        admin, reverse("reports:county_dashboard", args=[county.code])
    )
    result["attendance_list"]["page"] = attendance_kind
    result["_context"] = {
        "round": round.pk,
        "round_registered": round.registrations.filter(status="registered").count(),
        "municipality": municipality.name,
        "municipality_staff": municipality.staff.count(),
        "unit_staff": unit.staff.count(),
        "staff": User.objects.filter(municipality__isnull=False)
        .exclude(unit__name=RUSH_UNIT)
        .count(),
        "rounds": Round.objects.count(),
        "registrations": Registration.objects.count(),
    }
    return result


@transaction.atomic
def prepare_rush(people, seats):
    """A fresh open round with `seats` seats in the coordinator's structure, and `people` new
    staff (on the course's step) in its member municipalities; a token for the coordinator."""
    remove_previous_rush()
    coordinator = User.objects.get(email=COORDINATOR)
    structure = RoleAssignment.objects.get(user=coordinator, role="coordinator").structure
    course = Course.objects.get(slug=RUSH_COURSE)
    today = timezone.localdate()
    round = make_round(
        course,
        structure,
        seats=seats,
        name=RUSH_ROUND,
        first_day=today + datetime.timedelta(days=45),
    )
    # The rush's people work in a unit of their own in the structure's smallest member
    # municipality, so that runs do not grow the units and municipalities the pages show.
    smallest = (
        Municipality.objects.members(today)
        .filter(county__support_structures=structure)
        .annotate(n=Count("staff"))
        .order_by("n", "code")
        .first()
    )
    unit, _ = Unit.objects.get_or_create(municipality=smallest, name=RUSH_UNIT)
    started = today - datetime.timedelta(days=200)
    staff = User.objects.bulk_create(
        User(
            email=f"rush.{round.pk}.{n}{RUSH_DOMAIN}",
            first_name="Rusa",
            last_name=f"Nummer {n}",
            municipality=smallest,
            unit=unit,
            profession_started_on=started,
            password="!",
        )
        for n in range(people)
    )
    return {
        "round": round.pk,
        "emails": [person.email for person in staff],
        "token": ApiToken.issue(coordinator, name="bench rush"),
    }


def query_counts(pages):
    """name -> the number of queries one request of each page makes, counted in this process
    with Django's test client (after a first request that warms the process's caches)."""
    from django.db import connection
    from django.test import Client

    counts = {}
    for name, page in pages.items():
        client = Client(HTTP_HOST="127.0.0.1")
        headers = {}
        if page.get("cookie"):
            cookie_name, value = page["cookie"].split("=", 1)
            client.cookies[cookie_name] = value
        if page.get("token"):
            headers["Authorization"] = f"Bearer {page['token']}"
        client.get(page["path"], headers=headers)
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            client.get(page["path"], headers=headers)
        counts[name] = len(queries)
    return counts


def rush_outcome(round_id):
    round = with_counts(Round.objects.all()).get(pk=round_id)
    return {
        "seats": round.seats,
        "registered": round.registered_count,
        "waitlisted": round.waitlisted_count,
    }
