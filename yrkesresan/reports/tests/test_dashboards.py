"""The region's, a municipality's and the nation's dashboards: their figures from made data,
their tables and charts, their Excel files and their query counts at two sizes."""

import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.enrolment.models import Registration
from yrkesresan.evaluations.models import Invitation
from yrkesresan.evaluations.tests.helpers import complete_many, completed_round
from yrkesresan.reports.dashboards import municipalities_figures, nation_figures, region_figures
from yrkesresan.rounds.models import Round
from yrkesresan.staffing.models import Team, TeamDay


def figure(figures, ident):
    return next(f for f in figures if f.ident == ident)


class DashboardTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round_x = completed_round(cls.course, cls.region_x, name="X")
        Round.objects.filter(pk=cls.round_x.pk).update(term="HT 2026", seats=20)
        invitations = complete_many(cls.round_x, 4, cls.unit_a)
        Invitation.objects.filter(pk__in=[i.pk for i in invitations[:3]]).update(answered=True)
        team = Team.objects.create(round=cls.round_x, name="Lag 1")
        team.members.add(cls.trainer_x)
        TeamDay.objects.create(day=cls.round_x.days.get(number=1), team=team)
        cls.round_y = completed_round(cls.course, cls.region_y, name="Y")
        Round.objects.filter(pk=cls.round_y.pk).update(term="VT 2026", seats=12)
        complete_many(cls.round_y, 2, cls.unit_solna)

    def grow(self):
        """More rounds, people and answers in both regions."""
        for n in range(3):
            round = completed_round(self.course, self.region_x, name=f"X{n}")
            complete_many(round, 3, self.unit_kumla, prefix=f"x{n}")
            team = Team.objects.create(round=round, name="Lag")
            team.members.add(self.trainer_x, self.course_leader_x)
            TeamDay.objects.create(day=round.days.get(number=2), team=team)
            round = completed_round(self.course, self.region_y, name=f"Y{n}")
            complete_many(round, 2, self.unit_solna, prefix=f"y{n}")


class RegionFiguresTests(DashboardTestCase):
    def test_seats_registrations_completions_and_answers_per_term(self):
        figures = region_figures(Round.objects.filter(structure=self.region_x))
        label = f"HT 2026 · {self.course.title}"
        self.assertEqual(figure(figures, "seats").rows, [(label, [20, 4, 0])])
        step = self.course.step.name
        by_step = figure(figures, "completions-by-step")
        self.assertEqual((by_step.columns, by_step.rows), ([step], [("HT 2026", [4])]))
        self.assertEqual(figure(figures, "completions-by-municipality").rows, [("Eskilstuna", [4])])
        # Four invited are too few to show a response rate (reports.disclosure).
        self.assertEqual(figure(figures, "response-rate").rows, [("HT 2026", [None])])
        # The Katrineholm trainer gave day 1; four Eskilstuna people have seats on four days.
        self.assertEqual(
            figure(figures, "trainer-days").rows,
            [("Eskilstuna", [0, 16]), ("Katrineholm", [1, 0])],
        )

    def test_the_response_rate_shows_from_five_invited(self):
        complete_many(self.round_x, 1, self.unit_a, prefix="fifth")
        figures = region_figures(Round.objects.filter(structure=self.region_x))
        self.assertEqual(figure(figures, "response-rate").rows, [("HT 2026", [60])])

    def test_a_waiting_person_counts_as_waiting_not_registered(self):
        Registration.objects.create(
            round=self.round_x, person=self.colleague, status=Registration.Status.WAITLISTED
        )
        figures = region_figures(Round.objects.filter(structure=self.region_x))
        label = f"HT 2026 · {self.course.title}"
        self.assertEqual(figure(figures, "seats").rows, [(label, [20, 4, 1])])


class NationFiguresTests(DashboardTestCase):
    def test_journeys_and_regions_compared(self):
        figures = nation_figures(Round.objects.all())
        journeys = figure(figures, "journeys")
        self.assertEqual(journeys.rows, [("VT 2026", [2, 2]), ("HT 2026", [4, 4])])
        regions = dict(figure(figures, "regions").rows)
        # Four and two invited: too few for a response rate.
        self.assertEqual(regions[self.region_x.name], [4, 4, None])
        self.assertEqual(regions[self.region_y.name], [2, 2, None])
        self.assertEqual(len(figure(figures, "members-by-county").columns), 4)


class DashboardPageTests(DashboardTestCase):
    def test_the_coordinator_sees_each_figure_as_chart_and_table(self):
        self.client.force_login(self.coordinator_x)
        response = self.client.get(reverse("reports:region_dashboard"))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertEqual(html.count('role="img"'), 5)
        self.assertEqual(html.count("<caption"), 5)
        self.assertNotIn(self.round_y.name + "<", html)

    def test_an_administrator_may_choose_a_structure_a_coordinator_only_theirs(self):
        self.client.force_login(self.coordinator_x)
        url = reverse("reports:region_dashboard")
        self.assertEqual(self.client.get(url, {"stod": self.region_y.pk}).status_code, 400)
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(url, {"stod": self.region_y.pk}).status_code, 200)

    def test_the_nation_dashboard_is_for_editors_and_administrators(self):
        url = reverse("reports:nation_dashboard")
        self.client.force_login(self.coordinator_x)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.editor)
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode().count('role="img"'), 3)

    def test_every_table_exports_to_excel_a_sheet_each(self):
        self.client.force_login(self.admin)
        for name, sheets in [
            ("reports:region_dashboard_xlsx", 5),
            ("reports:nation_dashboard_xlsx", 3),
        ]:
            response = self.client.get(reverse(name))
            self.assertEqual(response.status_code, 200)
            workbook = load_workbook(io.BytesIO(response.content))
            self.assertEqual(len(workbook.sheetnames), sheets)

    def count(self, user, name):
        self.client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(reverse(name)).status_code, 200)
        return len(queries)

    def test_the_query_counts_do_not_grow_with_the_data(self):
        small = (
            self.count(self.coordinator_x, "reports:region_dashboard"),
            self.count(self.admin, "reports:nation_dashboard"),
        )
        self.grow()
        large = (
            self.count(self.coordinator_x, "reports:region_dashboard"),
            self.count(self.admin, "reports:nation_dashboard"),
        )
        self.assertEqual(small, large)
        self.assertEqual(large, (10, 11))


class MunicipalityFiguresTests(DashboardTestCase):
    def figures(self, municipality):
        serving = Round.objects.filter(structure__counties=municipality.county)
        return municipalities_figures([municipality.pk], Round.objects.all(), serving)

    def test_the_municipalitys_staff_against_the_seats_of_its_county(self):
        Registration.objects.create(
            round=self.round_x, person=self.colleague, status=Registration.Status.WAITLISTED
        )
        figures = self.figures(self.eskilstuna)
        label = f"HT 2026 · {self.course.title}"
        self.assertEqual(figure(figures, "seats").rows, [(label, [20, 4, 1])])
        self.assertEqual(figure(figures, "completions-by-step").rows, [("HT 2026", [4])])
        self.assertEqual(figure(figures, "trainer-days").rows, [("Eskilstuna", [0, 16])])

    def test_another_municipalitys_staff_are_not_counted(self):
        figures = self.figures(self.katrineholm)
        label = f"HT 2026 · {self.course.title}"
        # The seats of the county's rounds are planned for all its municipalities.
        self.assertEqual(figure(figures, "seats").rows, [(label, [20, 0, 0])])
        self.assertEqual(figure(figures, "completions-by-step").rows, [])
        self.assertEqual(figure(figures, "trainer-days").rows, [("Katrineholm", [1, 0])])
        self.assertEqual(figure(figures, "response-rate").rows, [])
        solna = self.figures(self.solna)
        self.assertEqual(
            figure(solna, "seats").rows, [(f"VT 2026 · {self.course.title}", [12, 2, 0])]
        )

    def test_a_response_rate_from_fewer_than_five_invited_is_not_shown(self):
        self.assertEqual(figure(self.figures(self.eskilstuna), "response-rate").rows,
                         [("HT 2026", [None])])  # fmt: skip
        complete_many(self.round_x, 1, self.unit_a, prefix="fifth")
        self.assertEqual(
            figure(self.figures(self.eskilstuna), "response-rate").rows, [("HT 2026", [60])]
        )


class MunicipalityDashboardPageTests(DashboardTestCase):
    def url(self, name="reports:municipality_dashboard", code="0484"):
        return reverse(name, args=[code])

    def test_the_contact_sees_each_figure_as_chart_and_table(self):
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertEqual(html.count('role="img"'), 4)
        self.assertEqual(html.count("<caption"), 4)
        self.assertContains(response, "för få för att visas")  # a response rate of four invited

    def test_the_contacts_start_page_and_the_municipality_page_link_to_it(self):
        self.client.force_login(self.contact_eskilstuna)
        self.assertContains(self.client.get(reverse("home:home")), self.url())
        self.assertContains(self.client.get(reverse("reports:municipality", args=["0484"])),
                            self.url())  # fmt: skip
        self.client.force_login(self.manager_a)
        self.assertNotContains(
            self.client.get(reverse("reports:municipality", args=["0484"])), self.url()
        )

    def test_the_contact_of_another_municipality_and_another_county_may_not(self):
        self.client.force_login(self.contact_eskilstuna)
        self.assertEqual(self.client.get(self.url(code="0483")).status_code, 403)
        self.client.force_login(self.coordinator_y)
        self.assertEqual(self.client.get(self.url()).status_code, 403)
        self.client.force_login(self.coordinator_x)
        self.assertEqual(self.client.get(self.url(code="0483")).status_code, 200)

    def test_its_tables_export_to_excel_a_sheet_each(self):
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.get(self.url("reports:municipality_dashboard_xlsx"))
        self.assertEqual(response.status_code, 200)
        workbook = load_workbook(io.BytesIO(response.content))
        self.assertEqual(len(workbook.sheetnames), 4)
        rates = workbook[workbook.sheetnames[3]]
        self.assertEqual([cell.value for cell in rates[4]], ["HT 2026", None])

    def count(self):
        self.client.force_login(self.contact_eskilstuna)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(self.url()).status_code, 200)
        return len(queries)

    def test_the_query_count_does_not_grow_with_the_data(self):
        small = self.count()
        self.grow()
        for n in range(2):
            round = completed_round(self.course, self.region_x, name=f"E{n}")
            complete_many(round, 6, self.unit_a, prefix=f"e{n}")
            team = Team.objects.create(round=round, name="Lag")
            team.members.add(self.colleague)
            TeamDay.objects.create(day=round.days.get(number=1), team=team)
        large = self.count()
        self.assertEqual(small, large)
        # Session, user with their roles; the municipality; one query a figure (six).
        self.assertEqual(large, 9)


class CountyDashboardTests(DashboardTestCase):
    def test_the_countys_municipalities_together_for_its_coordinator(self):
        self.client.force_login(self.coordinator_x)
        response = self.client.get(reverse("reports:county_dashboard", args=["04"]))
        self.assertEqual(response.status_code, 200)
        figures = response.context["figures"]
        label = f"HT 2026 · {self.course.title}"
        self.assertEqual(figure(figures, "seats").rows, [(label, [20, 4, 0])])
        # Eskilstuna's staff took the days, Katrineholm's trainer gave one; Kumla is Örebro's.
        self.assertEqual(
            figure(figures, "trainer-days").rows,
            [("Eskilstuna", [0, 16]), ("Katrineholm", [1, 0])],
        )
        self.assertContains(
            self.client.get(reverse("reports:county", args=["04"])),
            reverse("reports:county_dashboard", args=["04"]),
        )

    def test_another_countys_coordinator_and_a_contact_may_not(self):
        url = reverse("reports:county_dashboard", args=["04"])
        for user in (self.coordinator_y, self.contact_eskilstuna):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 403)
            self.assertNotContains(self.client.get(reverse("reports:county", args=["04"])), url)

    def test_its_tables_export_to_excel_and_its_queries_do_not_grow(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("reports:county_dashboard_xlsx", args=["04"]))
        self.assertEqual(len(load_workbook(io.BytesIO(response.content)).sheetnames), 4)
        url = reverse("reports:county_dashboard", args=["04"])
        with CaptureQueriesContext(connection) as small:
            self.client.get(url)
        self.grow()
        with CaptureQueriesContext(connection) as large:
            self.client.get(url)
        self.assertEqual(len(small), len(large))
        self.assertEqual(len(large), 9)
