"""Demo rounds for seed_demo: the seed's situation in Region Mälardalen.

Rounds of *Handläggning med barnet i centrum* at every stage: two completed, two running (one
with its days over, one in the middle of them), three for the coming spring (two open for
registration, one still a draft); 120 people registered, trainers on the days (the spring's
planned by the planner, see planning.py).
Dates are relative to the day the seed runs; rows are matched on natural keys, so a second run
changes nothing but those dates.
"""

import datetime

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import CourseDay, Round, Venue, term_of

from .people import PARTICIPANT_TITLES
from .planning import seed_term_plan
from .staffing import seed_staffing

COURSE_SLUG = "handlaggning-med-barnet-i-centrum"
MEETING_URL = "https://mote.example.se/yrkesresan/{slug}"

VENUES = [
    {
        "name": "Eskilstuna konferenscenter",
        "room": "Sal Tunafors",
        "address": "Kungsgatan 12, 632 20 Eskilstuna",
        "capacity": 48,
        "accessibility_notes": "Hiss från entréplan, hörslinga i salen, RWC på plan 2.",
    },
    {
        "name": "Örebro universitet, Campus USÖ",
        "room": "Sal C3",
        "address": "Södra Grev Rosengatan 32, 703 62 Örebro",
        "capacity": 40,
        "accessibility_notes": "Entré i markplan, hörslinga, tillgänglig toalett vid entrén.",
    },
]


def next_weekday(date, weekday=3):
    """The first given weekday (default Thursday, the seed's course day) on or after `date`."""
    return date + datetime.timedelta(days=(weekday - date.weekday()) % 7)


def round_plans(today):
    """(name, first day, status, seats, all days physical?, registrations) for the demo.

    Rounds at every stage of the lifecycle: two completed, one whose days are over and which
    waits for completion, one in the middle of its days, two open for the spring, one draft.
    """
    spring = datetime.date(today.year + (today.month > 6), 1, 1)

    def ago(days):
        return today - datetime.timedelta(days=days)

    return [
        ("Omgång 1", next_weekday(ago(days=300)), "completed", 25, True, 24),
        ("Omgång 2", next_weekday(ago(days=100)), "completed", 25, False, 24),
        # Four weekly days, all over: deep-dive tasks are being handed in and reviewed.
        ("Omgång 3", next_weekday(ago(days=38)), "running", 20, False, 18),
        # Days 1–3 are over, day 4 is within the coming week.
        ("Omgång 4", next_weekday(ago(days=20)), "running", 20, False, 18),
        ("Omgång 5", next_weekday(spring + datetime.timedelta(days=20)), "open", 30, False, 32),
        ("Omgång 6", next_weekday(spring + datetime.timedelta(days=60)), "open", 30, False, 4),
        ("Omgång 7", next_weekday(spring + datetime.timedelta(days=110)), "draft", 30, False, 0),
    ]


def seed_rounds(today, structure, course, versions=None):
    """The demo rounds of `course` (round_plans). `versions` ({number: CourseVersion}): the
    rounds open for registration teach 2.1, the others (and the draft, which the coordinator
    may move) 2.0."""
    versions = versions or {}
    venues = [
        Venue.objects.update_or_create(
            structure=structure, name=v["name"], room=v["room"], defaults=v
        )[0]
        for v in VENUES
    ]
    participants = list(
        User.objects.filter(
            municipality__county__in=structure.counties.all(),
            title__in=PARTICIPANT_TITLES,
            roles__isnull=True,
        )
        .exclude(email__in=["deltagare1@example.com", "deltagare2@example.com"])
        .order_by("email")
    )
    deltagare1 = User.objects.get(email="deltagare1@example.com")
    deltagare2 = User.objects.get(email="deltagare2@example.com")
    coordinator = User.objects.filter(
        roles__role=RoleAssignment.Role.COORDINATOR, roles__structure=structure
    ).first()
    course_leader = User.objects.filter(
        roles__role=RoleAssignment.Role.COURSE_LEADER, roles__structure=structure
    ).first()
    trainers = list(
        User.objects.filter(roles__role=RoleAssignment.Role.TRAINER, roles__structure=structure)
        .exclude(pk=getattr(course_leader, "pk", None))
        .order_by("email")
    )
    rounds = []
    spring_term = term_of(datetime.date(today.year + (today.month > 6), 1, 1))
    queue = iter(participants)
    for index, (name, first_day, status, seats, all_physical, count) in enumerate(
        round_plans(today)
    ):
        closes = first_day - datetime.timedelta(days=21)
        round, _created = Round.objects.update_or_create(
            structure=structure,
            course=course,
            name=name,
            defaults={
                "term": term_of(first_day),
                "status": status,
                "seats": seats,
                "registration_opens_on": min(closes, today) - datetime.timedelta(days=45),
                "registration_closes_on": closes,
                "fee_model": Round.FeeModel.PER_DAY,
                "fee_amount": 450,
                "course_leader": course_leader,
                "course_version": versions.get("2.1" if status == "open" else "2.0"),
            },
        )
        seed_days(round, first_day, venues[index % 2], all_physical)
        named = {"Omgång 2": [deltagare2], "Omgång 4": [deltagare1]}.get(name, [])
        people = named + [next(queue) for _ in range(count - len(named))]
        seed_registrations(round, people, coordinator, completed=status == "completed")
        if course_leader and len(trainers) >= 8 and round.term != spring_term:
            seed_staffing(round, trainers[:8], course_leader)
        rounds.append(round)
    spring = [r for r in rounds if r.term == spring_term]
    if course_leader and len(trainers) >= 8 and spring:
        # The spring's trainers come from the planner, as the coordinator would get them.
        seed_term_plan(
            structure, spring_term, spring, course, trainers[:8], course_leader, coordinator
        )
    return rounds


def seed_days(round, first_day, venue, all_physical):
    for number in range(1, round.course.course_days + 1):
        physical = all_physical or number == 1
        CourseDay.objects.update_or_create(
            round=round,
            number=number,
            defaults={
                "date": first_day + datetime.timedelta(days=7 * (number - 1)),
                "starts_at": datetime.time(9, 0),
                "ends_at": datetime.time(15, 30),
                "mode": CourseDay.Mode.PHYSICAL if physical else CourseDay.Mode.DIGITAL,
                "venue": venue if physical else None,
                "meeting_url": "" if physical else MEETING_URL.format(slug=round.pk),
                "room_booked": physical,
                "fika_ordered": physical and round.status != "draft",
                "material_sent": round.status == "completed",
                "link_sent": round.status == "completed",
            },
        )


def seed_registrations(round, people, by, *, completed):
    """The first `seats` people get seats, the rest wait in order; a few share needs."""
    existing = set(round.registrations.values_list("person_id", flat=True))
    start = datetime.datetime.combine(
        round.registration_opens_on, datetime.time(8, 0), tzinfo=datetime.UTC
    )
    # As services.register writes it: a live registration holds its course.
    live_course = round.course_id if round.status in Round.LIVE_STATUSES else None
    for position, person in enumerate(people):
        if person.pk in existing:
            continue
        shares_needs = position % 9 == 4 and not completed
        Registration.objects.create(
            round=round,
            person=person,
            live_course_id=live_course,
            status="registered" if position < round.seats else "waitlisted",
            queued_at=start + datetime.timedelta(minutes=position),
            registered_by=by,
            needs_consent=shares_needs,
            special_diet="Vegetarisk" if shares_needs else "",
            accessibility_needs="Behöver hörslinga" if shares_needs and position % 2 else "",
        )
