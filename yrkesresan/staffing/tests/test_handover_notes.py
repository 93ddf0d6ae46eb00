"""Handover notes: each day's team leaves a short note for the next, read on the start page."""

from django.urls import reverse
from django.utils import timezone, translation

from yrkesresan.core.testing import PersonaTestCase
from yrkesresan.learning.tests.participant_support import dated_round
from yrkesresan.rounds.models import Round
from yrkesresan.staffing import services
from yrkesresan.staffing.models import HandoverNote, Team, TeamDay
from yrkesresan.staffing.queries import attach_handover_notes


class HandoverNoteTests(PersonaTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)
        yesterday = timezone.localdate() - timezone.timedelta(days=1)
        self.round = dated_round(
            self.course, self.region_x, yesterday, days=3, status=Round.Status.RUNNING
        )
        # Days a week apart: day 1 yesterday, day 2 in six days.
        self.team = Team.objects.create(round=self.round, name="Team 1")
        self.team.members.add(self.trainer_x)
        for day in self.round.days.all():
            TeamDay.objects.create(day=day, team=self.team)
        self.day1, self.day2 = self.round.days.get(number=1), self.round.days.get(number=2)

    def test_the_next_days_team_reads_the_note_on_its_start_page(self):
        services.save_handover_note(
            self.day1,
            by=self.trainer_x,
            covered="Aktualisering",
            questions="Om orosanmälan",
            follow_up="Kim: saknade passet",
        )
        self.client.force_login(self.trainer_x)
        response = self.client.get(reverse("home:home"))
        day = response.context["teaching"]["days"][0]
        self.assertEqual(day.number, 2)
        self.assertEqual(day.handover.covered, "Aktualisering")
        self.assertContains(response, "Kim: saknade passet")

    def test_a_note_is_rewritten_not_duplicated_and_needs_what_was_covered(self):
        services.save_handover_note(self.day1, by=self.trainer_x, covered="Först")
        services.save_handover_note(self.day1, by=self.course_leader_x, covered="Sedan")
        note = HandoverNote.objects.get()
        self.assertEqual((note.covered, note.written_by), ("Sedan", self.course_leader_x))
        with self.assertRaisesMessage(services.StaffingError, "what the day covered"):
            services.save_handover_note(self.day1, by=self.trainer_x, covered="  ")

    def test_the_notes_of_many_days_in_one_query(self):
        services.save_handover_note(self.day1, by=self.trainer_x, covered="Dag 1")
        days = list(self.round.days.all())
        with self.assertNumQueries(1):
            attach_handover_notes(days)
        self.assertEqual([d.handover and d.handover.covered for d in days], [None, "Dag 1", None])

    def test_the_page_saves_the_note_and_returns_to_the_start_page(self):
        self.client.force_login(self.trainer_x)
        url = reverse("staffing:handover_note", args=[self.round.pk, self.day1.pk])
        response = self.client.post(url, {"covered": "Utredning", "questions": "", "follow_up": ""})
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)
        self.assertEqual(HandoverNote.objects.get().covered, "Utredning")
        response = self.client.post(url, {"covered": ""})
        self.assertEqual(response.status_code, 400)
