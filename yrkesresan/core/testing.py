"""Test personas that spell out the permission model.

Two regions, each a support structure over its counties:
- Region X ("Mälardalen") covers Södermanlands län (04) and Örebro län (18).
- Region Y ("Storstockholm") covers Stockholms län (01).
Municipalities: Eskilstuna (0484) and Katrineholm (0483) in 04, Kumla (1881) in 18, Solna (0184)
in 01. Eskilstuna has two units, Kumla and Solna one each. Arboga (1984) exists but is no member.

People (all with the password PASSWORD):
- participant: a new social worker in Eskilstuna, unit A (1 year in the profession).
- colleague: another social worker in Eskilstuna unit A (6 years: suggested Erfaren).
- other_unit_participant: a social worker in Eskilstuna unit A2 (a different manager).
- kumla_participant: a social worker in Kumla (same region, other municipality).
- solna_participant: a social worker in Solna (the other region).
- manager_a: manager of Eskilstuna unit A. manager_kumla: manager of the Kumla unit.
- contact_eskilstuna: municipal contact of Eskilstuna.
- coordinator_x / coordinator_y: regional coordinators of Region X / Region Y.
- trainer_x, course_leader_x: trainer and course leader in Region X (employed in Katrineholm).
- editor: national editor of Barn och unga (not of the elderly-care journey).
- admin: administrator.
"""

import datetime
import socket

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yrkesresan.accounts.models import RoleAssignment, User, WorkRole
from yrkesresan.catalog.models import (
    Course,
    CourseDayPlan,
    DeepDiveTask,
    Journey,
    KnowledgeGoal,
    LegalReference,
    PreparationTask,
    Step,
)
from yrkesresan.organisations.models import County, Membership, Municipality, SupportStructure, Unit

PASSWORD = "test-password-yrkesresan"
Role = RoleAssignment.Role


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now, for a server a test starts (an
    identity provider, an SMTP sink): fixed ports collide when two suites run side by side."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def count_queries(client, url):
    """How many queries a GET of `url` makes (after one warm-up request)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(context.captured_queries)


def years_ago(years, days=0):
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def make_person(email, municipality=None, unit=None, started=None, **fields):
    fields.setdefault("first_name", email.split("@")[0].split(".")[0].capitalize())
    fields.setdefault("last_name", "Testsson")
    return User.objects.create_user(
        email,
        PASSWORD,
        municipality=municipality or (unit.municipality if unit else None),
        unit=unit,
        profession_started_on=started,
        **fields,
    )


def rejoin(municipality):
    """The municipality took part from 2019, left at the start of 2020 and joined the programme
    again in 2022 (replacing the memberships it had)."""
    municipality.memberships.all().delete()
    Membership.objects.create(
        municipality=municipality,
        joined_on=datetime.date(2019, 1, 1),
        left_on=datetime.date(2020, 1, 1),
    )
    Membership.objects.create(municipality=municipality, joined_on=datetime.date(2022, 1, 1))


def make_catalog():
    """Barn och unga (published: Ny/Van/Erfaren by years, Chef for unit managers and
    Arbetsledare for team leaders) with one course; Äldre (coming)."""
    journey = Journey.objects.create(
        slug="barn-och-unga",
        name="Barn och unga, myndighetsutövning",
        status=Journey.Status.PUBLISHED,
        order=1,
    )
    steps = {
        "ny": Step.objects.create(
            journey=journey, slug="ny", name="Ny", order=1, min_years=0, max_years=2
        ),
        "van": Step.objects.create(
            journey=journey, slug="van", name="Van", order=2, min_years=2, max_years=5
        ),
        "erfaren": Step.objects.create(
            journey=journey, slug="erfaren", name="Erfaren", order=3, min_years=5
        ),
        "chef": Step.objects.create(
            journey=journey, slug="chef", name="Chef", order=4, work_role=WorkRole.UNIT_MANAGER
        ),
        "arbetsledare": Step.objects.create(
            journey=journey,
            slug="arbetsledare",
            name="Arbetsledare",
            order=5,
            work_role=WorkRole.TEAM_LEADER,
        ),
    }
    elderly = Journey.objects.create(
        slug="aldreomsorg", name="Äldreomsorg, utförarverksamheter", order=4
    )
    for order, name in enumerate(["Bas", "Fördjupning", "Spets"], start=1):
        Step.objects.create(journey=elderly, slug=name.lower(), name=name, order=order)
    course = Course.objects.create(
        step=steps["ny"],
        slug="handlaggning-med-barnet-i-centrum",
        title="Handläggning med barnet i centrum",
        course_days=4,
    )
    KnowledgeGoal.objects.create(
        course=course, kind=KnowledgeGoal.Kind.FACTS, text="Känna till socialtjänstlagen"
    )
    PreparationTask.objects.create(
        course=course,
        title="Läs om aktualisering",
        kind=PreparationTask.Kind.TEXT,
        estimated_minutes=30,
    )
    for number, title in enumerate(["Aktualisering", "Utredning", "Bedömning", "Placeringar"], 1):
        CourseDayPlan.objects.create(
            course=course, number=number, title=title, themes=title, team=(number + 1) // 2
        )
    DeepDiveTask.objects.create(course=course, title="Fördjupning", instructions="Skriv.")
    old_act = LegalReference.objects.create(
        short_name="SoL",
        title="Socialtjänstlag",
        sfs_number="2001:453",
        valid_from=datetime.date(2002, 1, 1),
        valid_until=datetime.date(2025, 7, 1),
    )
    new_act = LegalReference.objects.create(
        short_name="SoL",
        title="Socialtjänstlag",
        sfs_number="2025:400",
        valid_from=datetime.date(2025, 7, 1),
    )
    old_act.replaced_by = new_act
    old_act.save()
    course.legal_references.add(old_act, new_act)
    return journey, steps, elderly, course


# Every persona of PersonaTestCase by attribute name, "anonymous" (nobody logged in) first:
# the rows of the permission matrices.
PERSONAS = [
    "anonymous",
    "participant",
    "colleague",
    "other_unit_participant",
    "kumla_participant",
    "solna_participant",
    "manager_a",
    "manager_kumla",
    "contact_eskilstuna",
    "coordinator_x",
    "coordinator_y",
    "trainer_x",
    "course_leader_x",
    "editor",
    "admin",
]


class PersonaTestCase(TestCase):
    """A TestCase with the personas above, made once per class."""

    @classmethod
    def setUpTestData(cls):
        cls.sodermanland = County.objects.create(code="04", name="Södermanlands län")
        cls.orebro_county = County.objects.create(code="18", name="Örebro län")
        cls.stockholm = County.objects.create(code="01", name="Stockholms län")
        cls.vastmanland = County.objects.create(code="19", name="Västmanlands län")
        cls.eskilstuna = Municipality.objects.create(
            code="0484", name="Eskilstuna", county=cls.sodermanland
        )
        cls.katrineholm = Municipality.objects.create(
            code="0483", name="Katrineholm", county=cls.sodermanland
        )
        cls.kumla = Municipality.objects.create(code="1881", name="Kumla", county=cls.orebro_county)
        cls.solna = Municipality.objects.create(code="0184", name="Solna", county=cls.stockholm)
        cls.arboga = Municipality.objects.create(code="1984", name="Arboga", county=cls.vastmanland)
        joined = datetime.date(2021, 5, 1)
        for municipality in [cls.eskilstuna, cls.katrineholm, cls.kumla, cls.solna]:
            Membership.objects.create(municipality=municipality, joined_on=joined)
        cls.region_x = SupportStructure.objects.create(name="Region Mälardalen")
        cls.region_x.counties.add(cls.sodermanland, cls.orebro_county)
        cls.region_y = SupportStructure.objects.create(name="Region Storstockholm")
        cls.region_y.counties.add(cls.stockholm)
        cls.unit_a = Unit.objects.create(
            municipality=cls.eskilstuna, name="Utredningsenheten barn och familj"
        )
        cls.unit_a2 = Unit.objects.create(municipality=cls.eskilstuna, name="Familjehemsenheten")
        cls.unit_kumla = Unit.objects.create(municipality=cls.kumla, name="Barn och familj")
        cls.unit_solna = Unit.objects.create(municipality=cls.solna, name="Barn och unga")
        cls.journey, cls.steps, cls.elderly_journey, cls.course = make_catalog()

        cls.participant = make_person(
            "deltagare@example.com",
            unit=cls.unit_a,
            started=years_ago(1),
            title="Socialsekreterare",
        )
        cls.colleague = make_person("kollega@example.com", unit=cls.unit_a, started=years_ago(6))
        cls.other_unit_participant = make_person(
            "familjehem@example.com", unit=cls.unit_a2, started=years_ago(1)
        )
        cls.kumla_participant = make_person(
            "kumla@example.com", unit=cls.unit_kumla, started=years_ago(0, 100)
        )
        cls.solna_participant = make_person(
            "solna@example.com", unit=cls.unit_solna, started=years_ago(3)
        )
        cls.manager_a = make_person("chef.a@example.com", unit=cls.unit_a, started=years_ago(12))
        cls.manager_kumla = make_person("chef.kumla@example.com", unit=cls.unit_kumla)
        cls.contact_eskilstuna = make_person("kontakt@example.com", municipality=cls.eskilstuna)
        cls.coordinator_x = make_person("samordnare.x@example.com")
        cls.coordinator_y = make_person("samordnare.y@example.com")
        cls.trainer_x = make_person("utbildare@example.com", municipality=cls.katrineholm)
        cls.course_leader_x = make_person("kursansvarig@example.com", municipality=cls.katrineholm)
        cls.editor = make_person("redaktor@example.com", is_staff=True)
        cls.admin = make_person("admin@example.com", is_staff=True, is_superuser=True)

        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(user=cls.manager_a, role=Role.MANAGER, unit=cls.unit_a),
                RoleAssignment(user=cls.manager_kumla, role=Role.MANAGER, unit=cls.unit_kumla),
                RoleAssignment(
                    user=cls.contact_eskilstuna,
                    role=Role.MUNICIPAL_CONTACT,
                    municipality=cls.eskilstuna,
                ),
                RoleAssignment(
                    user=cls.coordinator_x, role=Role.COORDINATOR, structure=cls.region_x
                ),
                RoleAssignment(
                    user=cls.coordinator_y, role=Role.COORDINATOR, structure=cls.region_y
                ),
                RoleAssignment(user=cls.trainer_x, role=Role.TRAINER, structure=cls.region_x),
                RoleAssignment(
                    user=cls.course_leader_x, role=Role.COURSE_LEADER, structure=cls.region_x
                ),
                RoleAssignment(user=cls.course_leader_x, role=Role.TRAINER, structure=cls.region_x),
                RoleAssignment(user=cls.editor, role=Role.NATIONAL_EDITOR, journey=cls.journey),
                RoleAssignment(user=cls.admin, role=Role.ADMINISTRATOR),
            ]
        )

    def login(self, person):
        self.client.force_login(person)
