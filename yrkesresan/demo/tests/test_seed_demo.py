"""The demo seed: idempotent, the Region Mälardalen membership rule, the named demo logins."""

from io import StringIO

from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import F
from django.test import RequestFactory, TestCase
from django.utils import timezone

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.catalog.models import Course, Journey, LegalReference
from yrkesresan.enrolment.placement import current_placement
from yrkesresan.organisations.models import County, Municipality, SupportStructure, Unit

PASSWORD = "demo-yrkesresan"

# Written out here rather than imported from the seed data, so that a mistake there fails.
MEMBERS = {
    # Södermanlands län
    "0428": "Vingåker",
    "0461": "Gnesta",
    "0480": "Nyköping",
    "0481": "Oxelösund",
    "0482": "Flen",
    "0483": "Katrineholm",
    "0484": "Eskilstuna",
    "0486": "Strängnäs",
    "0488": "Trosa",
    # Västmanlands län
    "1904": "Skinnskatteberg",
    "1907": "Surahammar",
    "1960": "Kungsör",
    "1961": "Hallstahammar",
    "1962": "Norberg",
    "1981": "Sala",
    "1982": "Fagersta",
    "1983": "Köping",
    # Örebro län
    "1814": "Lekeberg",
    "1860": "Laxå",
    "1861": "Hallsberg",
    "1862": "Degerfors",
    "1881": "Kumla",
    "1882": "Askersund",
    "1884": "Nora",
    "1885": "Lindesberg",
}
NOT_MEMBERS = {
    "1984": "Arboga",
    "1980": "Västerås",
    "1863": "Hällefors",
    "1883": "Karlskoga",
    "1864": "Ljusnarsberg",
    "1880": "Örebro",
}
REGION_COUNTIES = {"04", "18", "19"}
PARTICIPANT_TITLES = [
    "Socialsekreterare",
    "Barnutredare",
    "Barnföljare",
    "Ungdomsledare",
    "Familjehemssekreterare",
]

# email -> [(role, scope field, scope description)]
NAMED_ROLES = {
    "admin@example.com": [("administrator", None, None)],
    "redaktor@example.com": [("national_editor", "journey", "barn-och-unga")],
    "samordnare@example.com": [("coordinator", "structure", "Region Mälardalen")],
    "kontakt.eskilstuna@example.com": [("municipal_contact", "municipality", "0484")],
    "chef.eskilstuna@example.com": [("manager", "unit", "0484")],
    "chef.kumla@example.com": [("manager", "unit", "1881")],
    "kursansvarig@example.com": [
        ("course_leader", "structure", "Region Mälardalen"),
        ("trainer", "structure", "Region Mälardalen"),
    ],
    **{
        f"utbildare{n}@example.com": [("trainer", "structure", "Region Mälardalen")]
        for n in range(1, 9)
    },
    "deltagare1@example.com": [],
    "deltagare2@example.com": [],
}


def seed():
    """Run the demo's seed once more; answer what it printed."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("organisations", "accounts", "catalog", "learning", "rounds")
    }


def snapshot():
    """The seeded data that must not change between runs, by natural key."""
    return {
        "users": sorted(
            User.objects.values_list(
                "email",
                "first_name",
                "last_name",
                "title",
                "municipality__code",
                "unit__name",
                "profession_started_on",
                "work_role",
                "findable_by_colleagues",
                "password",
            )
        ),
        "roles": sorted(
            RoleAssignment.objects.values_list(
                "user__email", "role", "unit__name", "municipality__code", "journey__slug"
            ),
            key=str,
        ),
        "memberships": sorted(
            Municipality.objects.members().values_list("code", "memberships__joined_on")
        ),
    }


def scope_of(assignment, field):
    if field == "unit":
        return assignment.unit.municipality.code
    if field == "municipality":
        return assignment.municipality.code
    if field == "structure":
        return assignment.structure.short_name
    if field == "journey":
        return assignment.journey.slug
    return None


class SeededDemoTests(TestCase):
    """The demo seeded once for the class (each test rolls back to it); a test that runs the
    seed again checks that a second run changes nothing."""

    @classmethod
    def setUpTestData(cls):
        cls.output = seed()

    def test_running_twice_changes_nothing(self):
        counts, data = row_counts(), snapshot()
        seed()
        assert row_counts() == counts
        assert snapshot() == data
        assert counts["organisations.Membership"] > 0
        assert counts["accounts.User"] > 120

    def test_reference_data_and_region(self):
        assert County.objects.count() == 21
        assert Municipality.objects.count() == 290

        structure = SupportStructure.objects.get()
        assert structure.short_name == "Region Mälardalen"
        assert set(structure.counties.values_list("code", flat=True)) == REGION_COUNTIES

        region = Municipality.objects.filter(county__code__in=REGION_COUNTIES)
        members = dict(region.members().values_list("code", "name"))
        assert members == MEMBERS
        assert not region.members().filter(code__in=NOT_MEMBERS).exists()
        assert set(region.exclude(code__in=MEMBERS).values_list("code", flat=True)) == set(
            NOT_MEMBERS
        )

    def test_every_member_has_an_investigation_unit_with_a_manager(self):
        for code in MEMBERS:
            assert Unit.objects.filter(
                municipality__code=code, name="Utredningsenheten barn och familj"
            ).exists(), code
        assert Unit.objects.filter(municipality__code="0484").count() >= 3
        assert not Unit.objects.filter(municipality__code__in=NOT_MEMBERS).exists()

        for unit in Unit.objects.filter(staff__isnull=False).distinct():
            managers = User.objects.filter(roles__role="manager", roles__unit=unit)
            assert managers.count() == 1, unit
            manager = managers.get()
            assert manager.unit == unit and manager.title == "Enhetschef"

    def test_unit_managers_are_on_chef_and_team_leaders_on_arbetsledare(self):
        journey = Journey.objects.prefetch_related("steps").get(slug="barn-och-unga")
        steps = {step.slug: step.work_role for step in journey.steps.all()}
        assert steps["chef"] == "unit_manager" and steps["arbetsledare"] == "team_leader"
        for email in ["chef.eskilstuna@example.com", "chef.kumla@example.com"]:
            chef = User.objects.get(email=email)
            assert chef.work_role == "unit_manager"
            assert current_placement(chef, journey).step.slug == "chef"
        assert set(User.objects.filter(title="Enhetschef").values_list("work_role", flat=True)) == {
            "unit_manager"
        }
        leaders = User.objects.filter(title="Teamledare")
        assert leaders.exists()
        assert set(leaders.values_list("work_role", flat=True)) == {"team_leader"}
        # The Eskilstuna manager has team leaders among their staff.
        chef = User.objects.get(email="chef.eskilstuna@example.com")
        assert leaders.filter(unit=chef.unit).exists()
        for leader in leaders:
            assert current_placement(leader, journey).step.slug == "arbetsledare"

    def test_named_accounts_have_their_roles_and_the_demo_password(self):
        output = self.output
        request = RequestFactory().post("/konto/logga-in/")
        for email, expected in NAMED_ROLES.items():
            assert email in output
            user = authenticate(request, username=email, password=PASSWORD)
            assert user is not None, email
            assert user.email == email
            roles = sorted(
                (assignment.role, field, scope_of(assignment, field))
                for assignment in user.roles.select_related(
                    "unit__municipality", "structure", "journey"
                )
                for field in [RoleAssignment.SCOPE_FIELD[assignment.role]]
            )
            assert roles == sorted(expected), email
        assert authenticate(request, username="admin@example.com", password="fel-losenord") is None

        admin = User.objects.get(email="admin@example.com")
        assert admin.is_staff and admin.is_superuser
        editor = User.objects.get(email="redaktor@example.com")
        assert editor.is_staff and not editor.is_superuser

        eskilstuna_chef = User.objects.get(email="chef.eskilstuna@example.com")
        new_worker = User.objects.get(email="deltagare1@example.com")
        assert new_worker.unit == eskilstuna_chef.unit
        assert new_worker.unit.name == "Utredningsenheten barn och familj"
        assert new_worker.municipality.code == "0484"
        assert new_worker.title == "Socialsekreterare" and new_worker.years_in_profession() == 0

        kumla_chef = User.objects.get(email="chef.kumla@example.com")
        follower = User.objects.get(email="deltagare2@example.com")
        assert follower.unit == kumla_chef.unit and follower.municipality.code == "1881"
        assert follower.title == "Barnföljare" and follower.years_in_profession() == 1

        for n in range(1, 9):
            trainer = User.objects.get(email=f"utbildare{n}@example.com")
            assert trainer.municipality.code in MEMBERS
            assert trainer.years_in_profession() >= 3

    def test_participants(self):
        participants = User.objects.filter(title__in=PARTICIPANT_TITLES, roles__isnull=True)
        assert 110 <= participants.count() <= 130
        assert not participants.filter(municipality__code__in=NOT_MEMBERS).exists()
        assert set(participants.values_list("municipality__code", flat=True)) == set(MEMBERS)
        # Weighted by size: Eskilstuna has the most.
        per_municipality = {
            code: participants.filter(municipality__code=code).count() for code in MEMBERS
        }
        assert max(per_municipality, key=per_municipality.get) == "0484"

        years = [person.years_in_profession() for person in participants]
        assert sum(1 for y in years if y < 2) > len(years) / 2
        assert any(2 <= y < 5 for y in years) and any(y >= 5 for y in years)
        findable = participants.filter(findable_by_colleagues=True).count()
        assert participants.count() / 4 < findable < participants.count() / 2
        assert all(person.check_password(PASSWORD) for person in User.objects.all())

    def test_catalog(self):
        assert list(Journey.objects.values_list("name", "status")) == [
            ("Barn och unga, myndighetsutövning", "published"),
            ("Funktionshinder, utförarverksamheter", "coming"),
            ("Skadligt bruk och beroende, myndighetsutövning", "coming"),
            ("Äldreomsorg, utförarverksamheter", "coming"),
            ("Funktionshinder, myndighetsutövning", "coming"),
        ]
        barn = Journey.objects.get(slug="barn-och-unga")
        assert list(barn.steps.values_list("name", "min_years", "max_years")) == [
            ("Ny", 0, 2),
            ("Van", 2, 5),
            ("Erfaren", 5, None),
            ("Chef", None, None),
            ("Arbetsledare", None, None),
        ]
        aldre = Journey.objects.get(name="Äldreomsorg, utförarverksamheter")
        assert list(aldre.steps.values_list("name", flat=True)) == ["Bas", "Fördjupning", "Spets"]

        course = Course.objects.get(slug="handlaggning-med-barnet-i-centrum")
        assert course.step.journey == barn and course.step.slug == "ny"
        assert course.course_days == 4
        assert set(course.goals.values_list("kind", flat=True)) == {
            "fakta",
            "forstaelse",
            "fardighet",
            "fortrogenhet",
        }
        assert set(course.preparation_tasks.values_list("kind", flat=True)) == {
            "text",
            "video",
            "source",
            "reflection",
        }
        assert list(course.day_plans.values_list("number", flat=True)) == [1, 2, 3, 4]
        assert course.deep_dive_tasks.count() >= 2
        cited = set(course.legal_references.values_list("sfs_number", flat=True))
        assert {"2001:453", "2025:400", "1990:52", "2017:900", "2009:400"} <= cited

        old_sol = LegalReference.objects.get(sfs_number="2001:453")
        assert old_sol.replaced_by.sfs_number == "2025:400"
        assert str(old_sol.valid_until) == "2025-07-01"

        for each in Course.objects.all():
            assert each.day_plans.count() == each.course_days, each
            assert each.goals.exists() and each.preparation_tasks.exists(), each
            assert each.deep_dive_tasks.exists(), each
        assert {"van", "erfaren", "chef"} <= set(
            Course.objects.values_list("step__slug", flat=True)
        )

    def test_rounds_follow_the_seeds_situation(self):
        from yrkesresan.enrolment.models import Registration
        from yrkesresan.enrolment.queries import with_counts
        from yrkesresan.rounds.models import Round

        rounds = {r.name: r for r in with_counts(Round.objects.all())}
        statuses = sorted(r.status for r in rounds.values())
        assert statuses == ["completed", "completed", "draft", "open", "open", "running", "running"]
        active = Registration.objects.exclude(status="cancelled").count()
        assert 110 <= active <= 130
        for round in rounds.values():
            assert round.registered_count <= round.seats
            assert round.days.count() == 4
            assert round.days.first().mode == "physical"
        assert rounds["Omgång 5"].waitlisted_count > 0
        middle = Registration.objects.get(person__email="deltagare1@example.com").round
        assert middle.status == "running"
        today = timezone.localdate()
        assert [day.date <= today for day in middle.days.all()] == [True, True, True, False]
        assert all(day.date < today for day in rounds["Omgång 3"].days.all())
        finished = Registration.objects.get(person__email="deltagare2@example.com").round
        assert finished.status == "completed"
        # Needs are never kept on completed rounds, and only with consent elsewhere.
        assert not Registration.objects.filter(round__status="completed").exclude(special_diet="")
        assert not Registration.objects.filter(needs_consent=False).exclude(special_diet="")
        # Each live registration holds its course, as services.register writes it; no other does.
        live = Registration.objects.live()
        assert not live.exclude(live_course=F("round__course")).exists()
        assert not Registration.objects.exclude(pk__in=live.values("pk")).filter(
            live_course__isnull=False
        )

    def test_participants_at_every_stage(self):
        from yrkesresan.enrolment.models import (
            Attendance,
            DeepDiveAnswer,
            MakeUpDay,
            PreparationProgress,
        )

        seed()  # idempotent: the counts below would double otherwise
        deltagare1 = User.objects.get(email="deltagare1@example.com")
        marked = Attendance.objects.filter(registration__person=deltagare1)
        assert sorted(marked.values_list("day__number", flat=True)) == [1, 2, 3]
        assert set(marked.values_list("status", flat=True)) == {"present"}
        assert PreparationProgress.objects.filter(person=deltagare1, done_at__isnull=False).exists()
        stages = set(
            DeepDiveAnswer.objects.filter(registration__round__name="Omgång 3").values_list(
                "status", flat=True
            )
        )
        assert stages == {"approved", "submitted", "needs_more"}
        assert Attendance.objects.filter(status="partly").count() == 2
        make_up = MakeUpDay.objects.get()
        assert (make_up.registration.round.name, make_up.day.round.name) == ("Omgång 3", "Omgång 5")
        assert make_up.day.number == 2

    def test_completed_rounds_have_certificates_and_evaluation_answers(self):
        from yrkesresan.enrolment.models import Completion, Registration
        from yrkesresan.evaluations.models import Invitation, Response

        seed()
        deltagare2 = User.objects.get(email="deltagare2@example.com")
        completion = Completion.objects.get(person=deltagare2)
        assert completion.registration.round.name == "Omgång 2"
        assert not Invitation.objects.get(completion=completion).answered
        for name, missing in [("Omgång 1", 1), ("Omgång 2", 0)]:
            registered = Registration.objects.filter(round__name=name, status="registered").count()
            completed = Completion.objects.filter(registration__round__name=name).count()
            assert completed == registered - missing
            responses = Response.objects.filter(round__name=name).count()
            assert 5 <= responses < completed

    def test_the_spring_term_is_staffed_by_an_accepted_plan_from_the_planner(self):
        from yrkesresan.rounds.models import Round
        from yrkesresan.staffing import plans
        from yrkesresan.staffing.models import Plan
        from yrkesresan.staffing.services import warnings

        spring = list(Round.objects.filter(name__in=["Omgång 5", "Omgång 6", "Omgång 7"]))
        [term] = {r.term for r in spring}
        [plan] = Plan.objects.filter(status=Plan.Status.ACCEPTED)
        assert (plan.term, plan.outcome["status"], plan.outcome["shortfalls"]) == (
            term,
            "OPTIMAL",
            [],
        )
        assert plans.plan_problems(plan) == []
        for round in spring:
            assert warnings(round) == []
            assert sorted(t.name for t in round.teams.all()) == ["Team 1", "Team 2"]
        # utbildare8 cannot take the first day of Omgång 6, and is not on it.
        omgang_6_day_1 = next(r for r in spring if r.name == "Omgång 6").days.get(number=1)
        assert not plan.assignments.filter(
            day=omgang_6_day_1, person__email="utbildare8@example.com"
        )
        seed()
        assert Plan.objects.filter(status=Plan.Status.ACCEPTED).get() == plan

    def test_the_demo_course_has_two_versions_the_second_after_the_2025_act(self):
        from yrkesresan.catalog.models import Course
        from yrkesresan.enrolment.models import Completion
        from yrkesresan.rounds.models import Round

        seed()
        course = Course.objects.get(slug="handlaggning-med-barnet-i-centrum")
        versions = {v.number: v for v in course.versions.all()}
        assert sorted(versions) == ["2.0", "2.1"]
        assert versions["2.1"].legal_reference.sfs_number == "2025:400"
        assert "socialtjänstlagen" in versions["2.1"].change_note
        assert course.version == "2.1"
        assert "insatser utan biståndsbedömning" in course.day_plans.get(number=2).themes
        assert set(
            Completion.objects.filter(course=course).values_list("course_version", flat=True)
        ) == {"2.0"}
        draft_round = Round.objects.get(course=course, status="draft")
        assert draft_round.course_version == versions["2.0"]
        assert set(
            Round.objects.filter(course=course, status="open").values_list(
                "course_version__number", flat=True
            )
        ) == {"2.1"}
