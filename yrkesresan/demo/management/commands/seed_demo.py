"""`manage.py seed_demo`: fill the database with the Region Mälardalen demo.

Idempotent: every row is matched on a natural key (kommunkod, e-mail address, slug, statute
number, unit name, course and position), so a second run changes nothing but dates that are
relative to today. Demo accounts are reset to their demo state on every run: fields, roles and
the password DEMO_PASSWORD. Nothing outside the demo data is deleted.
"""

import random
import time
from datetime import date, timedelta

from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.catalog.models import (
    Course,
    CourseDayPlan,
    CourseVersion,
    DeepDiveTask,
    Journey,
    KnowledgeGoal,
    LegalReference,
    PreparationTask,
    Step,
)
from yrkesresan.demo import content as demo_content
from yrkesresan.demo.learning import seed_progress
from yrkesresan.demo.materials import seed_materials
from yrkesresan.demo.people import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    EDITED_JOURNEY,
    FULLY_CONNECTED_COUNTIES,
    NATIONAL_NON_MEMBERS,
    PARTICIPANT_TITLES,
    REGION_MEMBERS,
    STRUCTURE_COUNTY_CODES,
    STRUCTURE_NAME,
    STRUCTURE_SHORT_NAME,
    all_demo_people,
    region_units,
)
from yrkesresan.demo.rounds import COURSE_SLUG as DEMO_COURSE_SLUG
from yrkesresan.demo.rounds import seed_rounds
from yrkesresan.demo.sso import DEMO_TOTP_PEOPLE, demo_totp_secret, seed_two_factor
from yrkesresan.demo.versions import seed_versions
from yrkesresan.organisations.models import (
    County,
    Membership,
    Municipality,
    SupportStructure,
    Unit,
)
from yrkesresan.organisations.reference_data import load_municipalities

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "Command"]

USER_FIELDS = [
    "first_name",
    "last_name",
    "title",
    "municipality",
    "unit",
    "profession_started_on",
    "work_role",
    "findable_by_colleagues",
    "is_active",
    "is_staff",
    "is_superuser",
    "password",
]


class Command(BaseCommand):
    help = (
        "Fill the database with the Region Mälardalen demo: reference data, the support "
        "structure, memberships, units, about 140 fictional people and the demo catalog. "
        f"Idempotent. Every demo account gets the password {DEMO_PASSWORD!r}."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        today = timezone.localdate()
        with transaction.atomic():
            load_municipalities()
            municipalities = {m.code: m for m in Municipality.objects.select_related("county")}
            structure = seed_structure()
            seed_memberships(municipalities)
            units = seed_units(municipalities)
            journeys = seed_catalog()
            people = seed_people(today, municipalities, units, structure, journeys)
            versions = seed_versions(DEMO_COURSE_SLUG)
            rounds = seed_rounds(
                today, structure, Course.objects.get(slug=DEMO_COURSE_SLUG), versions
            )
            seed_progress(rounds, by=User.objects.get(email="samordnare@example.com"))
            seed_materials()
            seed_two_factor()
        elapsed = time.monotonic() - started
        if options["verbosity"] < 1:
            return
        connected = Municipality.objects.members(today).count()
        participants = sum(
            1 for person in people if person.title in PARTICIPANT_TITLES and not person.roles
        )
        self.stdout.write(
            f"Demo data in place in {elapsed:.1f} s: {connected} of {len(municipalities)} "
            f"municipalities connected, {len(units)} units in {STRUCTURE_SHORT_NAME}, "
            f"{len(people)} demo people ({participants} participants), "
            f"{len(journeys)} journeys, {len(demo_content.COURSES)} courses, "
            f"{len(rounds)} course rounds."
        )
        self.stdout.write(login_table())
        self.stdout.write(
            f"{' and '.join(DEMO_TOTP_PEOPLE)} then give a one-time code from the TOTP key "
            f"{demo_totp_secret()} (add it to an authenticator app)."
        )


def login_table():
    rows = [("E-mail", "Role", "Password")]
    rows += [(person.email, person.label, DEMO_PASSWORD) for person in DEMO_ACCOUNTS]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    lines = [f"{email:<{widths[0]}}  {label:<{widths[1]}}  {pw}" for email, label, pw in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


# Organisations ----------------------------------------------------------------------------


def seed_structure():
    structure, _ = SupportStructure.objects.update_or_create(
        name=STRUCTURE_NAME, defaults={"short_name": STRUCTURE_SHORT_NAME}
    )
    structure.counties.set(County.objects.filter(code__in=STRUCTURE_COUNTY_CODES))
    return structure


def membership_dates(municipalities):
    """kommunkod -> joined_on for every municipality the demo connects.

    The region's members are listed in demo_people; elsewhere all but NATIONAL_NON_MEMBERS
    municipalities joined between April 2021 and the national launch in September 2022.
    """
    for code, (name, *_) in REGION_MEMBERS.items():
        if code not in municipalities or municipalities[code].name != name:
            raise CommandError(f"The reference data has no municipality {code} {name}.")
    dates = {code: joined_on for code, (_, joined_on, *_) in REGION_MEMBERS.items()}
    elsewhere = sorted(
        code
        for code, municipality in municipalities.items()
        if municipality.county.code not in STRUCTURE_COUNTY_CODES
    )
    candidates = [
        code
        for code in elsewhere
        if municipalities[code].county.code not in FULLY_CONNECTED_COUNTIES
    ]
    non_members = set(random.Random(2021).sample(candidates, NATIONAL_NON_MEMBERS))
    rng = random.Random(2022)
    for code in elsewhere:
        joined_on = date(2021, 4, 15) + timedelta(days=rng.randint(0, 520))
        if code not in non_members:
            dates[code] = joined_on
    return dates


def seed_memberships(municipalities):
    """Give every connected municipality a membership unless it already has one."""
    have = set(Membership.objects.values_list("municipality_id", flat=True).distinct())
    Membership.objects.bulk_create(
        Membership(municipality=municipalities[code], joined_on=joined_on)
        for code, joined_on in membership_dates(municipalities).items()
        if municipalities[code].pk not in have
    )


def seed_units(municipalities):
    """(kommunkod, unit name) -> Unit for every demo unit."""
    wanted = region_units()
    existing = set(
        Unit.objects.filter(municipality__code__in=REGION_MEMBERS).values_list(
            "municipality__code", "name"
        )
    )
    Unit.objects.bulk_create(
        Unit(municipality=municipalities[code], name=name)
        for code, name in wanted
        if (code, name) not in existing
    )
    units = Unit.objects.filter(municipality__code__in=REGION_MEMBERS).select_related(
        "municipality"
    )
    by_key = {(unit.municipality.code, unit.name): unit for unit in units}
    return {key: by_key[key] for key in wanted}


# Catalog ----------------------------------------------------------------------------------


def seed_catalog():
    """Journeys, steps, laws and courses from demo_content. Returns slug -> Journey."""
    journeys = {}
    steps = {}
    for order, data in enumerate(demo_content.JOURNEYS, start=1):
        journey, _ = Journey.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "summary": data["summary"],
                "producer": data["producer"],
                "status": data["status"],
                "order": order,
            },
        )
        journeys[journey.slug] = journey
        for step_order, step_data in enumerate(data["steps"], start=1):
            step, _ = Step.objects.update_or_create(
                journey=journey,
                slug=step_data["slug"],
                defaults={
                    "name": step_data["name"],
                    "description": step_data["description"],
                    "order": step_order,
                    "min_years": step_data["min_years"],
                    "max_years": step_data["max_years"],
                    "work_role": step_data.get("work_role", ""),
                },
            )
            steps[(journey.slug, step.slug)] = step

    laws = {}
    for data in demo_content.LEGAL_REFERENCES:
        fields = {k: v for k, v in data.items() if k not in ("sfs_number", "replaced_by")}
        fields.setdefault("valid_until", None)
        laws[data["sfs_number"]], _ = LegalReference.objects.update_or_create(
            sfs_number=data["sfs_number"], defaults=fields
        )
    for data in demo_content.LEGAL_REFERENCES:
        law = laws[data["sfs_number"]]
        replaced_by = laws[data["replaced_by"]] if data.get("replaced_by") else None
        if law.replaced_by_id != (replaced_by.pk if replaced_by else None):
            law.replaced_by = replaced_by
            law.save(update_fields=["replaced_by"])

    for order, data in enumerate(demo_content.COURSES, start=1):
        seed_course(data, steps[(data["journey"], data["step"])], laws, order)
    return journeys


def seed_course(data, step, laws, order):
    if len(data["day_plans"]) != data["course_days"]:
        raise CommandError(f"{data['slug']}: {data['course_days']} days need as many day plans.")
    if CourseVersion.objects.filter(course__slug=data["slug"], status="published").exists():
        # A versioned course's content is its versions' (demo.versions): only place it.
        course, _ = Course.objects.update_or_create(
            slug=data["slug"], defaults={"step": step, "order": order}
        )
        return course
    course, _ = Course.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "step": step,
            "title": data["title"],
            "summary": data["summary"],
            "target_group": data["target_group"],
            "course_days": data["course_days"],
            "version": data["version"],
            "order": order,
        },
    )
    course.legal_references.set([laws[number] for number in data["legal_references"]])
    sync_children(
        KnowledgeGoal,
        course,
        [{"kind": kind, "text": text} for kind, text in data["goals"]],
    )
    sync_children(
        PreparationTask,
        course,
        [
            {"goal": "", "motivation": "", "body": "", "url": "", **task}
            for task in data["preparation_tasks"]
        ],
    )
    sync_children(DeepDiveTask, course, data["deep_dive_tasks"])
    for number, plan in enumerate(data["day_plans"], start=1):
        CourseDayPlan.objects.update_or_create(course=course, number=number, defaults=plan)
    CourseDayPlan.objects.filter(course=course, number__gt=data["course_days"]).delete()
    return course


def sync_children(model, course, rows):
    """Make the course's rows of `model` equal `rows`, matched by position (`order`).

    Rows are updated in place rather than replaced, so their ids stay stable for anything
    that refers to them; surplus rows are deleted.
    """
    existing = list(model.objects.filter(course=course).order_by("order", "pk"))
    fields = sorted({"order", *(field for row in rows for field in row)})
    changed, created = [], []
    for position, row in enumerate(rows, start=1):
        values = {**row, "order": position}
        if position <= len(existing):
            obj = existing[position - 1]
            if any(getattr(obj, field) != value for field, value in values.items()):
                for field, value in values.items():
                    setattr(obj, field, value)
                changed.append(obj)
        else:
            created.append(model(course=course, **values))
    if changed:
        model.objects.bulk_update(changed, fields)
    model.objects.bulk_create(created)
    model.objects.filter(pk__in=[obj.pk for obj in existing[len(rows) :]]).delete()


# People -----------------------------------------------------------------------------------


def demo_password_hash():
    """One hash for every demo account: hashing 150 passwords one by one is slow.

    Reuses the hash already stored for the first demo account when it is still the demo
    password under the current hasher, so that a second run leaves the rows unchanged.
    """
    current = (
        User.objects.filter(email=DEMO_ACCOUNTS[0].email).values_list("password", flat=True).first()
    )
    if current:
        try:
            hasher = identify_hasher(current)
        except ValueError:
            hasher = None
        if (
            hasher is not None
            and hasher.algorithm == get_hasher().algorithm
            and not hasher.must_update(current)
            and check_password(DEMO_PASSWORD, current)
        ):
            return current
    return make_password(DEMO_PASSWORD)


def seed_people(today, municipalities, units, structure, journeys):
    """Create or reset every demo person and their roles. Returns the DemoPerson list."""
    people = all_demo_people()
    password = demo_password_hash()
    existing = {
        user.email: user for user in User.objects.filter(email__in=[p.email for p in people])
    }
    changed, created = [], []
    for person in people:
        values = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "title": person.title,
            "municipality": municipalities[person.municipality] if person.municipality else None,
            "unit": units[(person.municipality, person.unit)] if person.unit else None,
            "profession_started_on": (
                today - timedelta(days=person.started_days_ago)
                if person.started_days_ago is not None
                else None
            ),
            "work_role": person.work_role,
            "findable_by_colleagues": person.findable_by_colleagues,
            "is_active": True,
            "is_staff": person.is_staff,
            "is_superuser": person.is_superuser,
            "password": password,
        }
        user = existing.get(person.email)
        if user is None:
            created.append(User(email=person.email, **values))
        else:
            for field, value in values.items():
                setattr(user, field, value)
            changed.append(user)
    User.objects.bulk_create(created)
    User.objects.bulk_update(changed, USER_FIELDS, batch_size=200)

    users = {user.email: user for user in User.objects.filter(email__in=[p.email for p in people])}
    seed_roles(people, users, structure, journeys[EDITED_JOURNEY])
    return people


def role_key(user_id, role, unit=None, municipality=None, structure=None, journey=None):
    return (user_id, role, unit, municipality, structure, journey)


def seed_roles(people, users, structure, journey):
    """Give demo accounts exactly their demo roles; other people's roles are left alone."""
    wanted = set()
    for person in people:
        user = users[person.email]
        for role in person.roles:
            scope = RoleAssignment.SCOPE_FIELD[role]
            scope_id = {
                "unit": user.unit_id,
                "municipality": user.municipality_id,
                "structure": structure.pk,
                "journey": journey.pk,
                None: None,
            }[scope]
            if scope is not None and scope_id is None:
                raise CommandError(f"{person.email}: the role {role} needs a {scope}.")
            wanted.add(role_key(user.pk, role, **({scope: scope_id} if scope else {})))

    have = {}
    for assignment in RoleAssignment.objects.filter(user__in=users.values()):
        key = role_key(
            assignment.user_id,
            assignment.role,
            assignment.unit_id,
            assignment.municipality_id,
            assignment.structure_id,
            assignment.journey_id,
        )
        have[key] = assignment.pk
    RoleAssignment.objects.filter(
        pk__in=[pk for key, pk in have.items() if key not in wanted]
    ).delete()
    RoleAssignment.objects.bulk_create(
        RoleAssignment(
            user_id=user_id,
            role=role,
            unit_id=unit_id,
            municipality_id=municipality_id,
            structure_id=structure_id,
            journey_id=journey_id,
        )
        for user_id, role, unit_id, municipality_id, structure_id, journey_id in sorted(
            wanted - have.keys(), key=str
        )
    )
