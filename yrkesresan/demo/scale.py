"""National scale data for the benchmark: `manage.py generate_scale_data`.

Sweden at full size: the 290 municipalities with about 91 % members, support structures over
all 21 counties (three of them cooperating across counties), units with their managers and
team leaders (on the Chef and Arbetsledare steps), N staff with most of them new, the demo
catalog, and rounds every term for Y years with registrations, waiting lists, attendance,
preparation, deep-dive answers, completions, anonymous evaluation answers and the trainers'
teams.

Everything comes from one `random.Random(seed)`, so a seed gives the same people, rounds and
answers every time (dates are relative to `today`). Rows are written with `bulk_create` in
batches, straight into the tables: the data is shaped to follow the rules of the services
(no oversold round, a waiting list only when full, completion only after every day was
attended, preparation done and the deep-dive answers approved), but the services themselves
are not called, which would take hours at this size.

Names are fictional: random pairs of common Swedish first and last names. Every generated
person has the demo password (seed_demo's DEMO_PASSWORD) through one precomputed hash.
"""

import datetime
import math
import string
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from random import Random

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation

from yrkesresan.accounts.models import RoleAssignment, User, WorkRole
from yrkesresan.catalog.models import Course, Journey, KnowledgeGoal
from yrkesresan.enrolment.certificates import taught_day, what_was_taught
from yrkesresan.enrolment.models import (
    Attendance,
    Completion,
    DeepDiveAnswer,
    MakeUpDay,
    Placement,
    PreparationProgress,
    Registration,
)
from yrkesresan.evaluations.models import Answer, Invitation, Question, Response
from yrkesresan.notifications.models import RegistrationCalendar
from yrkesresan.organisations.models import (
    County,
    Membership,
    Municipality,
    SupportStructure,
    Unit,
)
from yrkesresan.organisations.reference_data import load_municipalities
from yrkesresan.reports.services import tally_rounds
from yrkesresan.rounds.models import CourseDay, Round, Venue, term_of
from yrkesresan.staffing.models import Team, TeamDay

from .people import (
    DEMO_PASSWORD,
    FIRST_NAMES,
    LAST_NAMES,
    MANAGER_TITLE,
    STRUCTURE_NAME,
    TEAM_LEADER_TITLE,
    ascii_fold,
)

DOMAIN = "skala.example"
BATCH = 5000
MEMBER_SHARE = 0.91
YEAR = 365
Role = RoleAssignment.Role
Status = Registration.Status

# Support structures (regional mission): name, short name, county codes. Three cooperate
# across counties, like Region Mälardalen in the demo (whose name is reused, so that the scale
# data joins the demo's structure when run on top of seed_demo).
STRUCTURES = [
    ("Storsthlm – regional stödstruktur i Stockholms län", "Storsthlm", ("01",)),
    ("Region Uppsala – FoU Socialtjänst", "Uppsala län", ("03",)),
    (STRUCTURE_NAME, "Region Mälardalen", ("04", "18", "19")),
    ("RSS Östergötland", "Östergötland", ("05",)),
    ("Region Jönköpings län – Utvecklingsavdelningen", "Jönköpings län", ("06",)),
    ("Sydost – Kronoberg, Kalmar och Blekinge", "Sydost", ("07", "08", "10")),
    ("Region Gotland – socialförvaltningen", "Gotland", ("09",)),
    ("Kommunförbundet Skåne", "Skåne", ("12",)),
    ("Region Halland – FoU Halland", "Halland", ("13",)),
    ("Göteborgsregionen och Västkom", "Västra Götaland", ("14",)),
    ("Region Värmland – Kommunal utveckling", "Värmland", ("17",)),
    ("Region Dalarna – Kommunal samverkan", "Dalarna", ("20",)),
    ("Region Gävleborg – FoU Välfärd", "Gävleborg", ("21",)),
    ("Kommunförbundet Västernorrland", "Västernorrland", ("22",)),
    ("Region Jämtland Härjedalen – FoU", "Jämtland Härjedalen", ("23",)),
    ("Norrlandsnätverket – Västerbotten och Norrbotten", "Övre Norrland", ("24", "25")),
]

# Kinds of unit, with the titles of their staff and weights.
UNIT_KINDS = [
    ("Mottagningsenheten barn och unga", (("Socialsekreterare", 1),)),
    (
        "Utredningsenheten barn och familj",
        (("Socialsekreterare", 5), ("Barnutredare", 3), ("Ungdomsledare", 1)),
    ),
    ("Familjehemsenheten", (("Familjehemssekreterare", 3), ("Barnföljare", 2))),
    ("Ungdomsenheten", (("Ungdomsledare", 3), ("Socialsekreterare", 1))),
    ("Uppföljningsenheten placerade barn", (("Socialsekreterare", 2), ("Barnföljare", 1))),
]
DISTRICTS = [
    "Centrum", "Norr", "Söder", "Öst", "Väst", "Nordost", "Sydväst", "Hamnen", "Dalen",
    "Skogen", "Ängen", "Backen", "Strand", "Bron", "Torget", "Parken",
]  # fmt: skip
STAFF_PER_UNIT = 24
# A unit of at least this many staff has a team leader (arbetsledare) besides its manager.
TEAM_LEADER_FROM = 8
MAX_UNITS = len(UNIT_KINDS) * (len(DISTRICTS) + 1)

# Per term, the share of the people on a course's step who take it in a round, by course
# order in the catalog (the first course of a step is taken by more).
TERM_RATE = 0.045
SEATS = (20, 24, 25, 30)
DEEP_DIVE_TEXTS = (
    "Jag har gått igenom en av mina utredningar med barnets perspektiv som utgångspunkt och "
    "ser nu att barnets egna ord behöver synas tydligare i bedömningen.",
    "I vår enhet har vi diskuterat hur vi dokumenterar samtal med barn. Vi prövar en gemensam "
    "mall under våren och följer upp i arbetsplatsträffen.",
    "Fallet visar hur viktigt det är att riskbedömningen görs tidigt. Jag har lagt till "
    "frågorna från kursdag 2 i min checklista.",
)
PARTLY_NOTES = ("Gick 14.00", "Kom 10.30", "Gick på lunchen, sjukt barn", "Tekniska problem")
EVALUATION_TEXTS = (
    "Bra blandning av teori och fall från verkligheten.",
    "Mer tid för diskussion i smågrupper.",
    "Den fysiska dagen gav mest, det var värdefullt att träffa kollegor från andra kommuner.",
    "Det digitala formatet fungerade bra och sparade restid.",
    "Tydliga utbildare som kunde koppla lagstiftningen till praktiken.",
)
DEFAULT_QUESTIONS = [
    # about, kind, text, low label, high label
    ("day", "scale", "Hur nöjd är du med kursdagen som helhet?", "Inte alls nöjd", "Mycket nöjd"),
    ("day", "scale", "Hur väl fungerade formen (fysisk eller digital) för dagens innehåll?",
     "Mycket dåligt", "Mycket bra"),
    ("course", "scale", "Hur användbar är kursen i ditt dagliga arbete?",
     "Inte alls användbar", "Mycket användbar"),
    ("course", "scale", "Hur väl förberedde förberedelseuppgifterna dig för kursdagarna?",
     "Inte alls", "Mycket väl"),
    ("course", "text", "Vad vill du särskilt lyfta fram eller ändra?", "", ""),
]  # fmt: skip
CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "01IO")


def password_hash():
    """One hash of the demo password for every generated person (hashing 60 000 takes hours)."""
    from yrkesresan.demo.management.commands.seed_demo import demo_password_hash

    return demo_password_hash()


def terms_back(today, years):
    """The terms of the last `years` years up to the current one, and the next term."""
    current = term_of(today)
    half, year = current.split()
    terms = []
    for _ in range(2 * years):
        terms.append(f"{half} {year}")
        half, year = ("HT", str(int(year) - 1)) if half == "VT" else ("VT", year)
    terms.reverse()
    half, year = current.split()
    terms.append(f"VT {int(year) + 1}" if half == "HT" else f"HT {year}")
    return terms


def term_window(term, course_days):
    """First and last possible first day of a round in a term (days are a week apart)."""
    half, year = term.split()
    year = int(year)
    span = datetime.timedelta(days=7 * (course_days - 1))
    if half == "VT":
        return datetime.date(year, 1, 25), datetime.date(year, 6, 5) - span
    return datetime.date(year, 8, 25), datetime.date(year, 12, 5) - span


@dataclass
class Person:
    """A generated person before and after insertion (pk is set by bulk_create)."""

    user: User
    municipality: object = None
    unit: object = None
    years: int = 0
    step_slug: str = ""
    roles: list = field(default_factory=list)


class ScaleGenerator:
    def __init__(self, *, staff, years, seed, today=None, log=None):
        self.staff = staff
        self.years = years
        self.rng = Random(seed)
        self.today = today or timezone.localdate()
        self.now = timezone.now()
        self.log = log or (lambda message: None)
        self.counts = {}
        self.codes = set()

    # Helpers --------------------------------------------------------------------------

    def uuid(self):
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def bulk(self, model, objects, label=None):
        objects = list(objects)
        model.objects.bulk_create(objects, batch_size=BATCH)
        with translation.override("en"):
            label = str(label or model._meta.verbose_name_plural)
        self.counts[label] = self.counts.get(label, 0) + len(objects)
        return objects

    def at(self, date, hour=9, minute=0):
        return datetime.datetime.combine(
            date, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone()
        )

    def verification_code(self):
        while True:
            code = "-".join(
                "".join(self.rng.choice(CODE_ALPHABET) for _ in range(4)) for _ in range(3)
            )
            if code not in self.codes:
                self.codes.add(code)
                return code

    # The run ----------------------------------------------------------------------------

    @transaction.atomic
    def run(self):
        steps = [
            ("reference data and catalog", self.reference_and_catalog),
            ("structures and memberships", self.organisations),
            ("units and people", self.people),
            ("roles", self.roles),
            ("rounds and days", self.rounds),
            ("registrations", self.registrations),
            ("course work and completions", self.course_work),
            ("evaluations", self.evaluations),
            ("trainers' teams", self.staffing),
        ]
        for label, step in steps:
            started = time.monotonic()
            step()
            self.log(f"  {label}: {time.monotonic() - started:.1f} s")
        return self.counts

    def reference_and_catalog(self):
        from yrkesresan.demo.management.commands.seed_demo import seed_catalog

        load_municipalities()
        seed_catalog()
        self.counties = {c.code: c for c in County.objects.all()}
        self.municipalities = list(Municipality.objects.select_related("county").order_by("code"))
        self.courses = list(
            Course.objects.filter(step__journey__status=Journey.Status.PUBLISHED)
            .select_related("step__journey")
            .prefetch_related(
                "preparation_tasks",
                "deep_dive_tasks",
                Prefetch("goals", queryset=KnowledgeGoal.objects.order_by("order", "pk")),
            )
            .order_by("step__journey__order", "step__order", "order")
        )
        self.journey = self.courses[0].step.journey if self.courses else None
        self.steps = {step.slug: step for step in self.journey.steps.all()} if self.journey else {}
        if not Question.objects.exists():
            self.bulk(
                Question,
                (
                    Question(
                        about=about, kind=kind, text=text, low_label=low, high_label=high,
                        order=order,
                    )
                    for order, (about, kind, text, low, high) in enumerate(DEFAULT_QUESTIONS)
                ),
            )  # fmt: skip
        self.questions = list(Question.objects.filter(active=True).order_by("about", "order"))

    def organisations(self):
        rng = self.rng
        self.structures = []
        for name, short_name, codes in STRUCTURES:
            structure, _ = SupportStructure.objects.get_or_create(
                name=name, defaults={"short_name": short_name}
            )
            structure.counties.add(*(self.counties[code] for code in codes))
            structure.county_codes = codes
            self.structures.append(structure)
        self.counts["support structures"] = len(self.structures)

        # About 91 % members, drawn whatever is already in the database (determinism).
        members = rng.sample(self.municipalities, round(len(self.municipalities) * MEMBER_SHARE))
        members.sort(key=lambda m: m.code)
        joined = {m.pk: datetime.date(2021, 4, 15) + datetime.timedelta(rng.randint(0, 520))
                  for m in members}  # fmt: skip
        have = set(Membership.objects.values_list("municipality_id", flat=True))
        self.bulk(
            Membership,
            (
                Membership(municipality=m, joined_on=joined[m.pk])
                for m in members
                if m.pk not in have
            ),
        )
        self.members = members

        # Size: county seats (kommunkod ending in 80) and the three big cities are large,
        # the rest spread with a long tail.
        big = {"0180": 30.0, "1480": 20.0, "1280": 12.0}
        weights = {}
        for m in members:
            weight = rng.lognormvariate(0, 0.7)
            if m.code in big:
                weight *= big[m.code]
            elif m.code.endswith("80"):
                weight *= 5
            elif m.code[2:] in ("81", "82", "83"):
                weight *= 2
            weights[m.pk] = weight
        self.staff_by_municipality = allocate(self.staff, weights)
        self.structure_of_county = {}
        for structure in self.structures:
            for code in structure.county_codes:
                self.structure_of_county.setdefault(self.counties[code].pk, structure)

    def people(self):
        rng = self.rng
        existing = set(Unit.objects.values_list("municipality_id", "name"))
        units, plan = [], []
        for m in self.members:
            count = self.staff_by_municipality[m.pk]
            if count == 0:
                continue
            unit_count = max(1, min(round(count / STAFF_PER_UNIT), MAX_UNITS))
            names = unit_names(unit_count)
            for name, kind in names:
                unit = Unit(municipality=m, name=name)
                unit.kind = kind
                if (m.pk, name) not in existing:
                    units.append(unit)
                plan.append(unit)
        self.bulk(Unit, units, "units (new)")
        by_key = {(u.municipality_id, u.name): u for u in Unit.objects.all()}
        units_of = defaultdict(list)
        for unit in plan:
            real = by_key[(unit.municipality.pk, unit.name)]
            real.kind = unit.kind
            real.municipality = unit.municipality
            units_of[unit.municipality.pk].append(real)

        password = password_hash()
        people = []
        number = 0

        def person(municipality, unit, title, days, **extra):
            nonlocal number
            number += 1
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            user = User(
                email=f"{ascii_fold(first)}.{ascii_fold(last)}.{number}@{DOMAIN}",
                first_name=first,
                last_name=last,
                title=title,
                municipality=municipality,
                unit=unit,
                profession_started_on=self.today - datetime.timedelta(days=days),
                findable_by_colleagues=rng.random() < 0.3,
                password=password,
                date_joined=self.now,
                **extra,
            )
            entry = Person(user, municipality, unit, years=days // YEAR)
            people.append(entry)
            return entry

        self.managers = {}
        for m in self.members:
            count = self.staff_by_municipality[m.pk]
            municipal_units = units_of[m.pk]
            for index in range(count):
                unit = municipal_units[index % len(municipal_units)]
                if index < len(municipal_units):
                    manager = person(
                        m,
                        unit,
                        MANAGER_TITLE,
                        rng.randint(7 * YEAR, 22 * YEAR),
                        work_role=WorkRole.UNIT_MANAGER,
                    )
                    manager.roles.append((Role.MANAGER, unit))
                    self.managers[unit.pk] = manager
                    continue
                if index < 2 * len(municipal_units) and count >= TEAM_LEADER_FROM * len(
                    municipal_units
                ):
                    days = rng.randint(5 * YEAR, 20 * YEAR)
                    person(m, unit, TEAM_LEADER_TITLE, days, work_role=WorkRole.TEAM_LEADER)
                    continue
                title = weighted(rng, dict(UNIT_KINDS)[unit.kind])
                person(m, unit, title, experience_days(rng))
        # Regional and national people, employed outside the municipalities.
        self.coordinators = {}
        for index, structure in enumerate(self.structures, start=1):
            for k in (1, 2):
                entry = person(None, None, "Utvecklingsledare", rng.randint(8 * YEAR, 20 * YEAR))
                entry.user.email = f"samordnare.{index}.{k}@{DOMAIN}"
                entry.roles.append((Role.COORDINATOR, structure))
                self.coordinators.setdefault(structure.pk, entry)
        admin = person(None, None, "Systemförvaltare", 15 * YEAR)
        admin.user.email = f"admin@{DOMAIN}"
        admin.roles.append((Role.ADMINISTRATOR, None))
        if self.journey:
            editor = person(None, None, "Innehållsredaktör", 12 * YEAR)
            editor.user.email = f"redaktor@{DOMAIN}"
            editor.roles.append((Role.NATIONAL_EDITOR, self.journey))

        self.bulk(User, (entry.user for entry in people), "people")
        self.people = people
        self.staff_people = [p for p in people if p.municipality is not None]
        self.counts["units"] = len(plan)
        self.counts["staff (in municipalities)"] = len(self.staff_people)

        # Placement: unit managers and team leaders on the step for their role at work; the
        # others by years, a few entered directly at a higher step or were placed by their
        # manager with a reason.
        placements = []
        role_steps = {step.work_role: step.slug for step in self.steps.values() if step.work_role}
        for entry in self.staff_people:
            entry.step_slug = "ny" if entry.years < 2 else "van" if entry.years < 5 else "erfaren"
            if entry.user.work_role in role_steps:
                entry.step_slug = role_steps[entry.user.work_role]
                continue
            if not self.steps:
                continue
            draw = rng.random()
            if entry.step_slug == "van" and draw < 0.03:
                entry.step_slug = "erfaren"
                placements.append(
                    Placement(
                        person=entry.user, journey=self.journey, step=self.steps["erfaren"],
                        source=Placement.Source.DIRECT_ENTRY, decided_by=entry.user,
                    )
                )  # fmt: skip
            elif entry.step_slug == "van" and draw < 0.04:
                entry.step_slug = "ny"
                placements.append(
                    Placement(
                        person=entry.user, journey=self.journey, step=self.steps["ny"],
                        source=Placement.Source.MANAGER,
                        reason="Ny inom barn och unga efter flera år inom försörjningsstöd.",
                        decided_by=self.managers[entry.unit.pk].user,
                    )
                )  # fmt: skip
        if self.journey:
            self.bulk(Placement, placements)

    def roles(self):
        rng = self.rng
        by_structure = defaultdict(list)
        for entry in self.staff_people:
            structure = self.structure_of_county[entry.municipality.county_id]
            by_structure[structure.pk].append(entry)
        self.staff_of_structure = by_structure
        self.trainers, self.course_leaders = {}, {}
        for structure in self.structures:
            staff = by_structure[structure.pk]
            # Municipal contacts: an experienced person in each member municipality.
            experienced = [p for p in staff if p.years >= 5 and not p.roles]
            rng.shuffle(experienced)
            # Trainers: the most experienced of the rest (at least eight where there are).
            rest = sorted((p for p in staff if p.years < 5 and not p.roles), key=lambda p: -p.years)
            contacts = {}
            for entry in experienced:
                if entry.municipality.pk not in contacts:
                    contacts[entry.municipality.pk] = entry
                    entry.roles.append((Role.MUNICIPAL_CONTACT, entry.municipality))
            pool = [p for p in experienced if not p.roles] + rest
            wanted = max(8, len(staff) // 250)
            trainers = pool[:wanted]
            leaders = trainers[: max(2, len(trainers) // 6)]
            for entry in trainers:
                entry.roles.append((Role.TRAINER, structure))
            for entry in leaders:
                entry.roles.append((Role.COURSE_LEADER, structure))
            self.trainers[structure.pk] = trainers
            self.course_leaders[structure.pk] = leaders
        scope_field = RoleAssignment.SCOPE_FIELD
        self.bulk(
            RoleAssignment,
            (
                RoleAssignment(
                    user=entry.user, role=role, **({scope_field[role]: scope} if scope else {})
                )
                for entry in self.people
                for role, scope in entry.roles
            ),
        )

    def rounds(self):
        rng = self.rng
        today = self.today
        self.venues = {}
        venues = []
        for structure in self.structures:
            biggest = sorted(
                (m for m in self.members if m.county.code in structure.county_codes),
                key=lambda m: -self.staff_by_municipality[m.pk],
            )[:3]
            for m in biggest:
                venues.append(
                    Venue(
                        structure=structure,
                        name=f"{m.name} konferenscenter",
                        room=rng.choice(("Sal A", "Sal B", "Stora salen", "Aulan")),
                        address=f"Storgatan {rng.randint(1, 60)}, {m.name}",
                        capacity=rng.choice((40, 45, 50, 60)),
                        accessibility_notes="Hiss, hörslinga och tillgänglig toalett.",
                    )
                )
                venues[-1].structure_pk = structure.pk
        self.bulk(Venue, venues)
        for venue in venues:
            self.venues.setdefault(venue.structure_pk, []).append(venue)

        self.terms = terms_back(today, self.years)
        eligible = defaultdict(list)  # (structure pk, step slug) -> people
        for structure in self.structures:
            for entry in self.staff_of_structure[structure.pk]:
                if not any(role == Role.TRAINER for role, _ in entry.roles):
                    eligible[(structure.pk, entry.step_slug)].append(entry)
        rounds, plans = [], []
        first_of_step = {}
        for course in self.courses:
            first_of_step.setdefault(course.step_id, course.pk)
        for structure in self.structures:
            numbers = defaultdict(int)
            for term in self.terms:
                for course in self.courses:
                    people = len(eligible[(structure.pk, course.step.slug)])
                    rate = TERM_RATE * (1 if first_of_step[course.step_id] == course.pk else 0.6)
                    count = max(1, round(people * rate / 25)) if people >= 10 else 0
                    for _ in range(count):
                        numbers[course.pk] += 1
                        plan = self.plan_round(structure, course, term, numbers[course.pk])
                        if plan is None:
                            continue
                        rounds.append(plan["round"])
                        plans.append(plan)
        self.bulk(Round, rounds, "rounds")
        days = []
        for plan in plans:
            for day in plan["days"]:
                day.round = plan["round"]
                days.append(day)
        self.bulk(CourseDay, days, "course days")
        self.plans = plans
        self.eligible = eligible

    def plan_round(self, structure, course, term, number):
        rng = self.rng
        today = self.today
        start, end = term_window(term, course.course_days)
        if end < start:
            return None
        first_day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
        first_day += datetime.timedelta(days=(1 - first_day.weekday()) % 7 + rng.randint(0, 2))
        dates = [first_day + datetime.timedelta(days=7 * n) for n in range(course.course_days)]
        if term_of(dates[-1]) != term:
            dates = [d - datetime.timedelta(days=7) for d in dates]
        opens = first_day - datetime.timedelta(days=100)
        closes = first_day - datetime.timedelta(days=21)
        if dates[-1] < today - datetime.timedelta(days=21):
            status = Round.Status.CANCELLED if rng.random() < 0.03 else Round.Status.COMPLETED
        elif first_day <= today:
            status = Round.Status.RUNNING
        elif closes < today:
            status = Round.Status.CLOSED
        elif opens <= today:
            status = Round.Status.OPEN
        else:
            status = Round.Status.DRAFT
        leaders = self.course_leaders[structure.pk]
        all_physical = rng.random() < 0.2
        venues = self.venues.get(structure.pk) or [None]
        venue = rng.choice(venues)
        round = Round(
            course=course,
            structure=structure,
            term=term,
            name=f"Omgång {number}",
            status=status,
            seats=rng.choice(SEATS),
            registration_opens_on=opens,
            registration_closes_on=closes,
            fee_model=rng.choice((Round.FeeModel.PER_DAY, Round.FeeModel.PER_DAY,
                                  Round.FeeModel.NONE)),
            fee_amount=450,
            course_leader=rng.choice(leaders).user if leaders else None,
        )  # fmt: skip
        if round.fee_model == Round.FeeModel.NONE:
            round.fee_amount = 0
        days = []
        for index, date in enumerate(dates, start=1):
            physical = (all_physical or index == 1) and venue is not None
            done = status == Round.Status.COMPLETED or date < today
            days.append(
                CourseDay(
                    number=index,
                    date=date,
                    starts_at=datetime.time(9, 0),
                    ends_at=datetime.time(15, 30) if physical else datetime.time(15, 0),
                    mode=CourseDay.Mode.PHYSICAL if physical else CourseDay.Mode.DIGITAL,
                    venue=venue if physical else None,
                    meeting_url=""
                    if physical
                    else f"https://mote.example.se/yrkesresan/{structure.pk}-{course.pk}-{number}",
                    uid=self.uuid(),
                    room_booked=physical and status != Round.Status.DRAFT,
                    fika_ordered=physical and done,
                    material_sent=done,
                    link_sent=done and not physical,
                )
            )
        return {"round": round, "days": days, "structure": structure, "course": course}

    def registrations(self):
        rng = self.rng
        today = self.today
        # One queue per structure and course, of the people on the course's step.
        pools = {}
        for structure in self.structures:
            for course in self.courses:
                shuffled = list(self.eligible[(structure.pk, course.step.slug)])
                rng.shuffle(shuffled)
                pools[(structure.pk, course.pk)] = shuffled
        taken = defaultdict(set)  # course pk -> person pks with an active registration
        registrations = []
        # Chronological, so that earlier rounds take people first.
        self.plans.sort(key=lambda plan: (plan["days"][0].date, plan["round"].pk))
        for plan in self.plans:
            course_round = plan["round"]
            plan["registrations"] = []
            if course_round.status == Round.Status.DRAFT:
                continue
            pool = pools[(plan["structure"].pk, plan["course"].pk)]
            if course_round.status == Round.Status.OPEN:
                wanted = round(course_round.seats * rng.uniform(0.3, 1.2))
            else:
                wanted = rng.randint(course_round.seats * 3 // 4, course_round.seats + 2)
            cancels = rng.randint(0, 3)
            people = []
            while pool and len(people) < wanted + cancels:
                entry = pool.pop()
                if entry.user.pk in taken[plan["course"].pk]:
                    continue
                people.append(entry)
            window_end = min(course_round.registration_closes_on, today)
            window = max((window_end - course_round.registration_opens_on).days, 0) * 24 * 60
            queued = sorted(rng.randint(0, window) for _ in people)
            cancelled_positions = set(rng.sample(range(len(people)), min(cancels, len(people))))
            seats_left = course_round.seats
            for position, entry in enumerate(people):
                queued_at = self.at(course_round.registration_opens_on, 8) + datetime.timedelta(
                    minutes=queued[position]
                )
                cancelled = (
                    position in cancelled_positions or course_round.status == Round.Status.CANCELLED
                )
                if cancelled:
                    status = Status.CANCELLED
                elif seats_left > 0:
                    status = Status.REGISTERED
                    seats_left -= 1
                else:
                    status = Status.WAITLISTED
                if not cancelled:
                    taken[plan["course"].pk].add(entry.user.pk)
                manager = self.managers.get(entry.unit.pk)
                shares = (
                    status != Status.CANCELLED
                    and course_round.status != Round.Status.COMPLETED
                    and rng.random() < 0.08
                )
                live = not cancelled and course_round.status in Round.LIVE_STATUSES
                registration = Registration(
                    round=course_round,
                    person=entry.user,
                    status=status,
                    # As services.register writes it: a live registration holds its course.
                    live_course_id=plan["course"].pk if live else None,
                    queued_at=queued_at,
                    registered_by=(manager or self.coordinators[plan["structure"].pk]).user,
                    needs_consent=shares,
                    special_diet=rng.choice(("Vegetarisk", "Glutenfri", "Laktosfri"))
                    if shares
                    else "",
                    accessibility_needs="Behöver hörslinga"
                    if shares and rng.random() < 0.3
                    else "",
                )
                if cancelled:
                    cancelled_at = min(
                        queued_at + datetime.timedelta(days=rng.randint(1, 40)), self.now
                    )
                    registration.cancelled_at = max(cancelled_at, queued_at)
                    registration.cancel_reason = (
                        "Omgången ställdes in."
                        if course_round.status == Round.Status.CANCELLED
                        else rng.choice(("Sjukskriven", "Byter tjänst", "Krock med domstol"))
                    )
                    registration.cancelled_late = (
                        course_round.status != Round.Status.CANCELLED
                        and timezone.localdate(registration.cancelled_at)
                        > course_round.registration_closes_on
                    )
                registration.entry = entry
                registrations.append(registration)
                plan["registrations"].append(registration)
        self.bulk(Registration, registrations, "registrations")
        self.bulk(
            RegistrationCalendar,
            (
                RegistrationCalendar(
                    registration=r,
                    revision=1 if r.status == Status.REGISTERED else 2,
                    holds_events=r.status == Status.REGISTERED,
                )
                for r in registrations
                if r.status == Status.REGISTERED or (r.status == Status.CANCELLED and r.pk % 2)
            ),
            "calendar states",
        )

    def course_work(self):
        """Preparation, attendance, make-up days, deep-dive answers and completions."""
        rng = self.rng
        today = self.today
        progress, attendances, make_ups, answers, completions = [], [], [], [], []
        # (structure, course) -> rounds in date order, to find make-up days.
        series = defaultdict(list)
        for plan in self.plans:
            if plan["round"].status in (Round.Status.COMPLETED, Round.Status.RUNNING):
                series[(plan["structure"].pk, plan["course"].pk)].append(plan)
        for plan in self.plans:
            round, course = plan["round"], plan["course"]
            days = plan["days"]
            leader = round.course_leader
            tasks = list(course.preparation_tasks.all())
            deep_tasks = list(course.deep_dive_tasks.all())
            taught = what_was_taught(course, course.goals.all())
            first_day = days[0].date
            before = self.at(first_day - datetime.timedelta(days=1), 20)
            for registration in plan["registrations"]:
                if registration.status != Status.REGISTERED:
                    continue
                person = registration.person
                # Preparation belongs to the person and the course.
                started = round.status in (Round.Status.RUNNING, Round.Status.COMPLETED)
                all_done = started and rng.random() < 0.95
                prep_done = bool(tasks)
                for task in tasks:
                    if all_done:
                        done = True
                    elif round.status in (Round.Status.CLOSED, Round.Status.RUNNING):
                        done = rng.random() < 0.7
                    else:
                        done = rng.random() < 0.3
                    prep_done = prep_done and done
                    if not done and rng.random() < 0.5:
                        continue
                    done_at = None
                    if done:
                        lead = datetime.timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 8))
                        done_at = min(before - lead, self.now)
                    notes = ""
                    if task.kind == "reflection" and rng.random() < 0.6:
                        notes = "Mina tankar inför kursen: " + rng.choice(DEEP_DIVE_TEXTS)[:80]
                    progress.append(
                        PreparationProgress(person=person, task=task, notes=notes, done_at=done_at)
                    )
                if not started:
                    continue
                attended_all = True
                attended = []  # the day of each number the person was present on
                for day in days:
                    if day.date >= today:
                        attended_all = False
                        continue
                    draw = rng.random()
                    status = "present" if draw < 0.91 else "partly" if draw < 0.95 else "absent"
                    attendances.append(
                        Attendance(
                            registration=registration,
                            day=day,
                            status=status,
                            note=rng.choice(PARTLY_NOTES) if status == "partly" else "",
                            marked_by=leader,
                        )
                    )
                    if status == "present":
                        attended.append(day)
                    else:
                        made_up = self.make_up(series, plan, day, registration, make_ups)
                        if made_up is None:
                            attended_all = False
                        else:
                            attended.append(made_up)
                            attendances.append(
                                Attendance(
                                    registration=registration,
                                    day=made_up,
                                    status="present",
                                    marked_by=made_up.round.course_leader,
                                )
                            )
                days_over = days[-1].date < today
                if not days_over:
                    continue
                completed = round.status == Round.Status.COMPLETED
                approved_all = bool(deep_tasks)
                for task in deep_tasks:
                    if completed and attended_all:
                        status = "approved" if rng.random() < 0.97 else "needs_more"
                    else:
                        status = weighted(
                            rng,
                            (("draft", 1), ("submitted", 4), ("needs_more", 1), ("approved", 3),
                             (None, 1)),
                        )  # fmt: skip
                    if status is None:
                        approved_all = False
                        continue
                    approved_all = approved_all and status == "approved"
                    submitted = self.at(days[-1].date + datetime.timedelta(rng.randint(1, 10)), 13)
                    submitted = min(submitted, self.now)
                    reviewed = status in ("approved", "needs_more")
                    answers.append(
                        DeepDiveAnswer(
                            registration=registration,
                            task=task,
                            text=rng.choice(DEEP_DIVE_TEXTS),
                            status=status,
                            submitted_at=None if status == "draft" else submitted,
                            feedback="Utveckla gärna kopplingen till lagstiftningen."
                            if status == "needs_more"
                            else "",
                            reviewed_by=leader if reviewed else None,
                            reviewed_at=min(submitted + datetime.timedelta(days=3), self.now)
                            if reviewed
                            else None,
                        )
                    )
                if completed and attended_all and prep_done and approved_all:
                    completed_on = min(
                        days[-1].date + datetime.timedelta(days=rng.randint(14, 20)), today
                    )
                    completion = Completion(
                        registration=registration,
                        person=person,
                        course=course,
                        completed_on=completed_on,
                        marked_by=leader,
                        verification_code=self.verification_code(),
                        attended_days=[taught_day(day, round.pk) for day in attended],
                        **taught,
                    )
                    completion.round = round
                    completion.days = days
                    completions.append(completion)
        self.bulk(PreparationProgress, progress)
        self.bulk(MakeUpDay, make_ups)
        self.bulk(Attendance, attendances)
        self.bulk(DeepDiveAnswer, answers)
        self.bulk(Completion, completions)
        self.completions = completions

    def make_up(self, series, plan, day, registration, make_ups):
        """Half of those who missed a day take it in a later round that has already held it."""
        if self.rng.random() < 0.5:
            return None
        for later in series[(plan["structure"].pk, plan["course"].pk)]:
            if later["round"].pk == plan["round"].pk:
                continue
            same = later["days"][day.number - 1]
            if day.date < same.date < self.today:
                same.round = later["round"]
                make_ups.append(
                    MakeUpDay(
                        registration=registration,
                        day=same,
                        booked_by=self.coordinators[plan["structure"].pk].user,
                    )
                )
                return same
        return None

    def evaluations(self):
        rng = self.rng
        day_questions = [q for q in self.questions if q.about == Question.About.DAY]
        course_questions = [q for q in self.questions if q.about == Question.About.COURSE]
        invitations, responses, answers = [], [], []
        for completion in self.completions:
            answered = rng.random() < 0.55
            invitations.append(
                Invitation(
                    completion=completion,
                    round=completion.round,
                    answered=answered,
                    reminded=not answered or rng.random() < 0.3,
                )
            )
            if not answered:
                continue
            # The answers carry nothing that points back to the person.
            response = Response(id=self.uuid(), round=completion.round)
            responses.append(response)
            for day in completion.days:
                for question in day_questions:
                    answers.append(self.answer(response, question, day))
            for question in course_questions:
                answer = self.answer(response, question, None)
                if answer is not None:
                    answers.append(answer)
        self.bulk(Invitation, invitations, "evaluation invitations")
        # Shuffled so that not even the order of insertion lines up with the invitations.
        rng.shuffle(responses)
        self.bulk(Response, responses, "evaluation responses")
        self.bulk(Answer, (a for a in answers if a is not None), "evaluation answers")
        # What the evaluations' batch move does for every round it moves in.
        tally_rounds()

    def answer(self, response, question, day):
        rng = self.rng
        if question.kind == Question.Kind.TEXT:
            if rng.random() > 0.35:
                return None
            return Answer(
                id=self.uuid(), response=response, question=question,
                text=rng.choice(EVALUATION_TEXTS),
            )  # fmt: skip
        # Physical days score a little higher than digital ones (the seed's open question).
        mean = 4.2 if day is not None and day.mode == CourseDay.Mode.PHYSICAL else 3.9
        score = min(5, max(1, round(rng.gauss(mean, 0.8))))
        return Answer(
            id=self.uuid(),
            response=response,
            question=question,
            day=day,
            day_mode=day.mode if day is not None else "",
            score=score,
        )

    def staffing(self):
        """Two teams of trainers per round, each taking half of the days."""
        teams, members, team_days = [], [], []
        cursor = defaultdict(int)
        for plan in self.plans:
            round = plan["round"]
            if round.status in (Round.Status.DRAFT, Round.Status.CANCELLED):
                continue
            trainers = self.trainers[plan["structure"].pk]
            if len(trainers) < 4:
                continue
            start = cursor[plan["structure"].pk]
            cursor[plan["structure"].pk] = (start + 4) % len(trainers)
            chosen = [trainers[(start + k) % len(trainers)] for k in range(4)]
            days = plan["days"]
            half = (len(days) + 1) // 2
            for index, (group, team_share) in enumerate(
                [(chosen[:2], days[:half]), (chosen[2:], days[half:])], start=1
            ):
                if not team_share:
                    continue
                team = Team(round=round, name=f"Team {index}")
                team.group, team.share = group, team_share
                teams.append(team)
        self.bulk(Team, teams, "trainer teams")
        for team in teams:
            members.extend(
                Team.members.through(team_id=team.pk, user_id=entry.user.pk) for entry in team.group
            )
            team_days.extend(TeamDay(day=day, team=team) for day in team.share)
        self.bulk(Team.members.through, members, "team members")
        self.bulk(TeamDay, team_days, "team days")


def allocate(total, weights):
    """Split `total` by `weights` (largest remainder), at least three per municipality.

    With fewer than ten people a municipality (small test sizes), only the heaviest
    municipalities get staff, about ten each.
    """
    if total < 10 * len(weights):
        heaviest = sorted(weights, key=lambda key: (-weights[key], key))[: max(1, total // 10)]
        counts = dict.fromkeys(weights, 0)
        counts.update(allocate(total, {key: weights[key] for key in heaviest}))
        return counts
    floor = 3
    rest = total - floor * len(weights)
    whole = sum(weights.values())
    quotas = {key: rest * weight / whole for key, weight in weights.items()}
    counts = {key: floor + math.floor(quota) for key, quota in quotas.items()}
    leftover = total - sum(counts.values())
    for key in sorted(quotas, key=lambda key: (-(quotas[key] % 1), key))[:leftover]:
        counts[key] += 1
    return counts


def unit_names(count):
    """(name, kind) for `count` units: the kinds first, then the kinds again by district."""
    kinds = [name for name, _ in UNIT_KINDS]
    names = [(kind, kind) for kind in kinds[:count]]
    district = 0
    while len(names) < count:
        for kind in kinds:
            if len(names) == count:
                break
            names.append((f"{kind}, {DISTRICTS[district % len(DISTRICTS)]}", kind))
        district += 1
    return names


def weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def experience_days(rng):
    """Most staff are new (Ny, under two years), fewer have 2–5 years, some more."""
    draw = rng.random()
    if draw < 0.6:
        return rng.randint(10, 2 * YEAR - 10)
    if draw < 0.85:
        return rng.randint(2 * YEAR + 10, 5 * YEAR - 10)
    return rng.randint(5 * YEAR + 10, 25 * YEAR)


def generate(*, staff, years, seed, today=None, log=None):
    """Generate the data; returns {label: rows created}."""
    return ScaleGenerator(staff=staff, years=years, seed=seed, today=today, log=log).run()


__all__ = ["DEMO_PASSWORD", "DOMAIN", "generate"]
