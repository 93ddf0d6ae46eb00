"""The term overview, the round page and the planning pages: who sees what, what they do,
bad input, and query counts that do not grow with the data."""

import datetime
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import count_queries
from yrkesresan.enrolment.models import Registration
from yrkesresan.rounds.models import CourseDay, Round, Venue

from .test_support import RoundsTestCase, add_participants, create_round, next_term_thursday

PERSONAS = [
    "anonymous",
    "participant",
    "colleague",
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


def expect(default, **overrides):
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


# Pages that only the round's managers use: 403 for those who see the round, 404 for the rest.
MANAGERS_ONLY = expect(
    404,
    anonymous=302,
    participant=403,
    kumla_participant=403,
    manager_a=403,
    manager_kumla=403,
    contact_eskilstuna=403,
    trainer_x=403,
    course_leader_x=403,
    coordinator_x=200,
    admin=200,
)
PLANNERS = expect(403, anonymous=302, coordinator_x=200, coordinator_y=200, admin=200)


class PermissionTableTests(RoundsTestCase):
    """Every page × every persona: 200 may use, 403 sees but may not, 404 outside the scope,
    302 sent to log in. Colleague is on the waiting list, so they see the round too."""

    def urls(self):
        round, day = self.round.pk, 1
        return {
            "term_overview": (reverse("reports:term_overview"), self.TERM_OVERVIEW),
            "create": (reverse("rounds:create"), PLANNERS),
            "capacity": (reverse("reports:capacity"), PLANNERS),
            "venues": (reverse("rounds:venues"), PLANNERS),
            "venue_create": (reverse("rounds:venue_create"), PLANNERS),
            "venue_edit": (reverse("rounds:venue_edit", args=[self.venue.pk]), self.VENUE_EDIT),
            "my_staff": (reverse("reports:my_staff"), self.MY_STAFF),
            "detail": (reverse("enrolment:round", args=[round]), self.DETAIL),
            "edit": (reverse("enrolment:edit", args=[round]), self.MANAGERS),
            "copy": (reverse("rounds:copy", args=[round]), self.MANAGERS),
            "status": (
                reverse("enrolment:status", args=[round]) + "?status=cancelled",
                self.MANAGERS,
            ),
            "day_edit": (reverse("rounds:day_edit", args=[round, day]), self.MANAGERS),
            "fees_xlsx": (reverse("reports:fees_xlsx", args=[round]), self.MANAGERS),
            "attendance_list": (
                reverse("enrolment:attendance_list", args=[round]),
                self.ATTENDANCE,
            ),
            "attendance_xlsx": (
                reverse("enrolment:attendance_xlsx", args=[round]),
                self.ATTENDANCE,
            ),
            "register": (reverse("enrolment:register", args=[round]), self.REGISTER),
            "cancel": (reverse("enrolment:cancel", args=[self.registration.pk]), self.CANCEL),
        }

    TERM_OVERVIEW = expect(
        403,
        anonymous=302,
        manager_a=200,
        manager_kumla=200,
        contact_eskilstuna=200,
        coordinator_x=200,
        coordinator_y=200,
        trainer_x=200,
        course_leader_x=200,
        admin=200,
    )
    VENUE_EDIT = expect(403, anonymous=302, coordinator_x=200, coordinator_y=404, admin=200)
    MY_STAFF = expect(403, anonymous=302, manager_a=200, manager_kumla=200, contact_eskilstuna=200)
    DETAIL = expect(
        404,
        anonymous=302,
        participant=403,
        colleague=403,
        kumla_participant=403,
        manager_a=200,
        manager_kumla=200,
        contact_eskilstuna=200,
        coordinator_x=200,
        trainer_x=200,
        course_leader_x=200,
        admin=200,
    )
    MANAGERS = {**MANAGERS_ONLY, "colleague": 403}
    ATTENDANCE = {
        **MANAGERS,
        "trainer_x": 200,
        "course_leader_x": 200,
    }
    REGISTER = {
        **MANAGERS,
        "manager_a": 200,
        "manager_kumla": 200,
        "contact_eskilstuna": 200,
    }
    CANCEL = expect(
        404,
        anonymous=302,
        participant=200,
        manager_a=200,
        contact_eskilstuna=200,
        coordinator_x=200,
        admin=200,
        trainer_x=403,
        course_leader_x=403,
    )

    def test_every_page_for_every_persona(self):
        for name, (url, expected) in self.urls().items():
            for persona, status in expected.items():
                with self.subTest(page=name, persona=persona):
                    self.client.logout()
                    if persona != "anonymous":
                        self.client.force_login(getattr(self, persona))
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, status, f"{persona} GET {url}")

    def test_posts_are_refused_like_gets(self):
        round = self.round.pk
        posts = [
            (reverse("enrolment:status", args=[round]), {"status": "closed"}),
            (reverse("rounds:logistics", args=[round, 1]), {"item": "room_booked", "done": "1"}),
            (reverse("enrolment:edit", args=[round]), {}),
            (reverse("rounds:day_edit", args=[round, 1]), {}),
            (reverse("rounds:copy", args=[round]), {}),
        ]
        for url, data in posts:
            for persona, status in [
                ("coordinator_y", 404),
                ("trainer_x", 403),
                ("course_leader_x", 403),
                ("manager_a", 403),
                ("colleague", 403),
                ("solna_participant", 404),
            ]:
                with self.subTest(url=url, persona=persona):
                    self.client.force_login(getattr(self, persona))
                    self.assertEqual(self.client.post(url, data).status_code, status)
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, Round.Status.OPEN)
        self.assertFalse(CourseDay.objects.get(round=self.round, number=1).room_booked)

    def test_unknown_round_is_404_even_for_the_admin(self):
        self.client.force_login(self.admin)
        for name in [
            "enrolment:round",
            "enrolment:edit",
            "enrolment:attendance_list",
            "enrolment:register",
        ]:
            with self.subTest(page=name):
                response = self.client.get(reverse(name, args=[999999]))
                self.assertEqual(response.status_code, 404)
        response = self.client.get(reverse("rounds:day_edit", args=[self.round.pk, 9]))
        self.assertEqual(response.status_code, 404)


class RoundPageContentTests(RoundsTestCase):
    def get(self, persona, **params):
        self.client.force_login(persona)
        response = self.client.get(reverse("enrolment:round", args=[self.round.pk]), params)
        self.assertEqual(response.status_code, 200)
        return response

    def emails(self, response):
        return {row["registration"].person.email for row in response.context["rows"]}

    def test_the_coordinator_sees_everyone_needs_and_the_change_log(self):
        response = self.get(self.coordinator_x)
        self.assertEqual(
            self.emails(response),
            {
                "deltagare@example.com",
                "kumla@example.com",
                "familjehem@example.com",
                "kollega@example.com",
            },
        )
        self.assertTrue(response.context["viewer"].sees_needs)
        self.assertContains(response, "Vegansk kost")
        self.assertContains(response, "familjehem@example.com")
        actions = {change["event"].action for change in response.context["changes"]}
        self.assertLessEqual({"round.created", "round.status", "registration.registered"}, actions)
        self.assertIn("registration.waitlisted", actions)
        # Each registration's events name the person, cancelled ones too; the round's none.
        names = {
            f"{r.person.first_name} {r.person.last_name}"
            for r in Registration.objects.filter(round=self.round).select_related("person")
        }
        subjects = {
            change["event"].action: change["event"].concerns
            for change in response.context["changes"]
        }
        self.assertIn(subjects["registration.registered"], names)
        self.assertIn(subjects["registration.waitlisted"], names)
        self.assertEqual(subjects["round.created"], "")

    def test_the_course_leader_sees_needs_but_no_change_log(self):
        response = self.get(self.course_leader_x)
        self.assertContains(response, "Vegansk kost")
        self.assertIsNone(response.context["changes"])
        self.assertNotContains(response, reverse("enrolment:edit", args=[self.round.pk]))

    def test_a_trainer_sees_names_and_municipalities_only(self):
        response = self.get(self.trainer_x)
        self.assertEqual(len(response.context["rows"]), 4)
        self.assertNotContains(response, "Vegansk kost")
        self.assertNotContains(response, "Hörslinga")
        self.assertNotContains(response, "deltagare@example.com")
        self.assertContains(response, "Testsson")
        self.assertNotContains(response, reverse("enrolment:cancel", args=[self.registration.pk]))

    def test_a_manager_sees_only_their_own_staff(self):
        response = self.get(self.manager_a)
        self.assertEqual(self.emails(response), {"deltagare@example.com", "kollega@example.com"})
        self.assertNotContains(response, "Vegansk kost")
        self.assertNotContains(response, "kumla@example.com")
        self.assertIsNone(response.context["changes"])
        self.assertContains(response, reverse("enrolment:register", args=[self.round.pk]))
        response = self.get(self.manager_kumla)
        self.assertEqual(self.emails(response), {"kumla@example.com"})

    def test_the_municipal_contact_sees_their_municipality_without_needs(self):
        response = self.get(self.contact_eskilstuna)
        self.assertEqual(
            self.emails(response),
            {"deltagare@example.com", "familjehem@example.com", "kollega@example.com"},
        )
        self.assertNotContains(response, "Vegansk kost")

    def test_the_admin_manages_but_does_not_see_needs(self):
        response = self.get(self.admin)
        self.assertFalse(response.context["viewer"].sees_needs)
        self.assertNotContains(response, "Vegansk kost")
        self.assertIsNotNone(response.context["changes"])

    def test_waiting_list_positions_and_counts(self):
        response = self.get(self.coordinator_x)
        self.assertEqual(response.context["registered_count"], 3)
        self.assertEqual(response.context["waitlisted_count"], 1)
        self.assertEqual(response.context["free_seats"], 0)
        positions = {
            row["registration"].person.email: row["position"] for row in response.context["rows"]
        }
        self.assertEqual(positions["kollega@example.com"], 1)
        self.assertIsNone(positions["deltagare@example.com"])

    def test_filters(self):
        response = self.get(self.coordinator_x, status="waitlisted")
        self.assertEqual(self.emails(response), {"kollega@example.com"})
        response = self.get(self.coordinator_x, municipality=self.kumla.pk)
        self.assertEqual(self.emails(response), {"kumla@example.com"})
        response = self.get(self.coordinator_x, q="familjehem")
        self.assertEqual(self.emails(response), {"familjehem@example.com"})
        response = self.get(self.coordinator_x, q="ingen sådan")
        self.assertEqual(self.emails(response), set())
        response = self.get(self.coordinator_x, q="Kumla")
        self.assertEqual(self.emails(response), {"kumla@example.com"})
        self.client.post(
            reverse("enrolment:cancel", args=[self.registration.pk]), {"reason": "Sjuk"}
        )
        response = self.get(self.coordinator_x, status="cancelled")
        self.assertEqual(self.emails(response), {"deltagare@example.com"})
        response = self.get(self.coordinator_x, status="all")
        self.assertEqual(len(response.context["rows"]), 4)

    def test_a_filter_cannot_widen_a_managers_view(self):
        response = self.get(self.manager_a, municipality=self.kumla.pk, status="all")
        self.assertEqual(self.emails(response), set())

    def test_bad_filters_answer_400(self):
        self.client.force_login(self.coordinator_x)
        url = reverse("enrolment:round", args=[self.round.pk])
        for params in [{"status": "nonsense"}, {"municipality": "abc"}]:
            with self.subTest(params=params):
                self.assertEqual(self.client.get(url, params).status_code, 400)

    def test_the_query_count_does_not_grow_with_participants_days_or_changes(self):
        url = reverse("enrolment:round", args=[self.round.pk])
        for persona in [self.coordinator_x, self.manager_a, self.trainer_x]:
            with self.subTest(persona=persona.email):
                self.client.force_login(persona)
                before = count_queries(self.client, url)
                round = Round.objects.get(pk=self.round.pk)
                round.seats = 3
                add_participants(self, round, 15, prefix=f"q{persona.pk}-")
                day = CourseDay.objects.filter(round=round).first()
                CourseDay.objects.create(
                    round=round,
                    number=CourseDay.objects.filter(round=round).count() + 1,
                    date=day.date + datetime.timedelta(days=60),
                    mode=CourseDay.Mode.DIGITAL,
                    meeting_url="https://meet.example.se/x",
                )
                with self.assertNumQueries(before):
                    response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                # Session, user, round, roles, days, the queue, trainers, rows, the filter's
                # municipalities; the coordinator also the change log, the manager the two
                # queries that find a round outside their structures visible.
                most = {self.coordinator_x: 10, self.manager_a: 11, self.trainer_x: 9}
                self.assertLessEqual(before, most[persona])


class TermOverviewTests(RoundsTestCase):
    def get(self, persona, **params):
        self.client.force_login(persona)
        return self.client.get(reverse("reports:term_overview"), params)

    def test_defaults_to_the_next_term_when_only_it_has_rounds(self):
        response = self.get(self.coordinator_x)
        self.assertEqual(response.context["term"], self.round.term)
        self.assertEqual([row.round.pk for row in response.context["rows"]], [self.round.pk])

    def test_counts_and_the_breakdown_by_municipality_for_the_coordinator(self):
        response = self.get(self.coordinator_x, termin=self.round.term)
        row = response.context["rows"][0]
        self.assertEqual((row.round.registered_count, row.round.waitlisted_count), (3, 1))
        self.assertEqual(
            dict(response.context["matrix"]),
            {
                "Eskilstuna": [{"registered": 2, "waitlisted": 1}],
                "Kumla": [{"registered": 1, "waitlisted": 0}],
            },
        )

    def test_a_manager_sees_their_staffs_places_and_no_breakdown(self):
        response = self.get(self.manager_a, termin=self.round.term)
        row = response.context["rows"][0]
        self.assertEqual((row.mine_registered, row.mine_waitlisted), (1, 1))
        self.assertEqual(response.context["matrix"], [])
        self.assertContains(response, reverse("enrolment:register", args=[self.round.pk]))

    def test_drafts_are_hidden_from_managers_but_not_from_the_structure(self):
        draft = create_round(self, name="Omgång 2")
        manager_rounds = [r.round.pk for r in self.get(self.manager_a).context["rows"]]
        trainer_rounds = [r.round.pk for r in self.get(self.trainer_x).context["rows"]]
        self.assertNotIn(draft.pk, manager_rounds)
        self.assertIn(draft.pk, trainer_rounds)

    def test_another_structures_rounds_are_not_listed(self):
        response = self.get(self.coordinator_y, termin=self.round.term)
        self.assertEqual(response.context["rows"], [])

    def test_a_bad_term_answers_400(self):
        self.assertEqual(self.get(self.coordinator_x, termin="Våren").status_code, 400)

    def test_the_query_count_does_not_grow_with_rounds_or_registrations(self):
        for persona in [self.coordinator_x, self.manager_a]:
            with self.subTest(persona=persona.email):
                self.client.force_login(persona)
                url = reverse("reports:term_overview") + f"?termin={self.round.term}"
                before = count_queries(self.client, url)
                for n in range(3):
                    round = create_round(self, name=f"Extra {persona.pk}-{n}", seats=10)
                    Round.objects.filter(pk=round.pk).update(status=Round.Status.OPEN)
                    round.refresh_from_db()
                    add_participants(self, round, 4, prefix=f"t{persona.pk}-{n}-")
                with self.assertNumQueries(before):
                    response = self.client.get(url)
                self.assertGreaterEqual(len(response.context["rows"]), 4)


class CreateRoundPageTests(RoundsTestCase):
    def data(self, **changes):
        first_day = next_term_thursday(weeks=8)
        data = {
            "structure": self.region_x.pk,
            "course": self.course.pk,
            "name": "Omgång 5",
            "term": self.round.term,
            "seats": 20,
            "first_day": first_day.isoformat(),
            "day_count": "",
            "interval_days": 7,
            "starts_at": "09:00",
            "ends_at": "16:00",
            "venue": self.venue.pk,
            "meeting_url": "https://meet.example.se/ny",
            "registration_opens_on": timezone.localdate().isoformat(),
            "registration_closes_on": (first_day - datetime.timedelta(days=14)).isoformat(),
            "fee_model": "per_participant",
            "fee_amount": "1200",
            "notes": "",
        }
        data.update(changes)
        return data

    def test_creates_a_draft_with_the_usual_days(self):
        self.client.force_login(self.coordinator_x)
        response = self.client.post(reverse("rounds:create"), self.data())
        round = Round.objects.get(name="Omgång 5")
        self.assertRedirects(response, reverse("enrolment:round", args=[round.pk]))
        self.assertEqual(round.status, Round.Status.DRAFT)
        self.assertEqual(round.fee_for(), 1200)
        modes = list(round.days.values_list("mode", flat=True))
        self.assertEqual(modes, ["physical", "digital", "digital", "digital"])
        self.assertTrue(AuditEvent.objects.filter(action="round.created").exists())

    def test_the_form_offers_only_published_courses_and_own_venues(self):
        self.client.force_login(self.coordinator_x)
        form = self.client.get(reverse("rounds:create")).context["form"]
        self.assertNotIn(self.venue_y, form.fields["venue"].queryset)
        self.assertIn(self.course, form.fields["course"].queryset)

    def test_bad_input_answers_400_and_keeps_what_was_typed(self):
        self.client.force_login(self.coordinator_x)
        cases = {
            "missing name": self.data(name=""),
            "past first day": self.data(first_day="2020-01-02"),
            "venue too small": self.data(seats=38),
            "other region's venue": self.data(venue=self.venue_y.pk),
            "other structure": self.data(structure=self.region_y.pk),
            "fee without amount": self.data(fee_amount=""),
            "deadline after start": self.data(
                registration_closes_on=next_term_thursday(weeks=12).isoformat()
            ),
            "bad time": self.data(starts_at="25:00"),
            "digital days without link": self.data(meeting_url=""),
            "ends before it starts": self.data(starts_at="15:00", ends_at="10:00"),
        }
        for case, data in cases.items():
            with self.subTest(case=case):
                response = self.client.post(reverse("rounds:create"), data)
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.context["form"].errors)
                self.assertContains(
                    response, "Omgång 5" if data["name"] else "Stadshuset", status_code=400
                )
        self.assertFalse(Round.objects.filter(name="Omgång 5").exists())


class EditAndDayPagesTests(RoundsTestCase):
    def setUp(self):
        self.client.force_login(self.coordinator_x)

    def edit_data(self, **changes):
        round = self.round
        data = {
            "name": round.name,
            "term": round.term,
            "seats": round.seats,
            "registration_opens_on": round.registration_opens_on.isoformat(),
            "registration_closes_on": round.registration_closes_on.isoformat(),
            "fee_model": round.fee_model,
            "fee_amount": "",
            "notes": "",
        }
        data.update(changes)
        return data

    def test_more_seats_promote_the_waiting_list(self):
        response = self.client.post(
            reverse("enrolment:edit", args=[self.round.pk]), self.edit_data(seats=4)
        )
        self.assertRedirects(response, reverse("enrolment:round", args=[self.round.pk]))
        self.waiting.refresh_from_db()
        self.assertEqual(self.waiting.status, Registration.Status.REGISTERED)

    def test_bad_edits_answer_400(self):
        url = reverse("enrolment:edit", args=[self.round.pk])
        for case, data in {
            "fewer seats than taken": self.edit_data(seats=2),
            "a venue too small": self.edit_data(seats=36),
            "no seats": self.edit_data(seats=""),
            "a minimum above the seats": self.edit_data(minimum_participants=4),
            "a minimum of none": self.edit_data(minimum_participants=0),
            "a term the days are not in": self.edit_data(term=self.round.term.replace("VT", "XX")),
        }.items():
            with self.subTest(case=case):
                self.assertEqual(self.client.post(url, data).status_code, 400)
        self.round.refresh_from_db()
        self.assertEqual(self.round.seats, 3)

    def test_the_minimum_of_participants_is_set_in_the_round_form(self):
        url = reverse("enrolment:edit", args=[self.round.pk])
        self.assertContains(self.client.get(url), 'name="minimum_participants"')
        self.client.post(url, self.edit_data(minimum_participants=2))
        self.round.refresh_from_db()
        self.assertEqual(self.round.minimum_participants, 2)
        self.client.post(url, self.edit_data(minimum_participants=""))
        self.round.refresh_from_db()
        self.assertIsNone(self.round.minimum_participants)

    def day_data(self, **changes):
        day = self.round.days.get(number=2)
        data = {
            "date": day.date.isoformat(),
            "starts_at": "09:00",
            "ends_at": "16:00",
            "mode": "digital",
            "venue": "",
            "meeting_url": day.meeting_url,
        }
        data.update(changes)
        return data

    def test_changing_a_day_tells_the_participants(self):
        url = reverse("rounds:day_edit", args=[self.round.pk, 2])
        with mock.patch("yrkesresan.notifications.registrations.course_day_changed") as told:
            response = self.client.post(url, self.day_data(starts_at="10:00"))
        self.assertEqual(response.status_code, 302)
        day = self.round.days.get(number=2)
        self.assertEqual(day.starts_at, datetime.time(10, 0))
        self.assertEqual(day.sequence, 1)
        told.assert_called_once()

    def test_bad_day_changes_answer_400(self):
        url = reverse("rounds:day_edit", args=[self.round.pk, 2])
        day3 = self.round.days.get(number=3)
        for case, data in {
            "after the next day": self.day_data(
                date=(day3.date + datetime.timedelta(1)).isoformat()
            ),
            "physical without venue": self.day_data(mode="physical"),
            "digital without link": self.day_data(meeting_url=""),
            "other region's venue": self.day_data(mode="physical", venue=self.venue_y.pk),
            "not a date": self.day_data(date="i morgon"),
            "in the past": self.day_data(date="2020-01-02"),
        }.items():
            with self.subTest(case=case):
                self.assertEqual(self.client.post(url, data).status_code, 400)
        self.assertEqual(self.round.days.get(number=2).sequence, 0)

    def test_copy_makes_a_draft_with_shifted_days(self):
        first_day = next_term_thursday(weeks=12)
        response = self.client.post(
            reverse("rounds:copy", args=[self.round.pk]),
            {"name": "Omgång 2", "first_day": first_day.isoformat()},
        )
        copy = Round.objects.get(name="Omgång 2")
        self.assertRedirects(response, reverse("enrolment:round", args=[copy.pk]))
        self.assertEqual(copy.days.first().date, first_day)
        self.assertEqual(copy.status, Round.Status.DRAFT)

    def test_bad_copies_answer_400(self):
        url = reverse("rounds:copy", args=[self.round.pk])
        for data in [
            {"name": "Omgång 2", "first_day": "2020-01-02"},
            {"name": "", "first_day": next_term_thursday(weeks=10).isoformat()},
            {"name": "Omgång 2", "first_day": "snart"},
        ]:
            with self.subTest(data=data):
                self.assertEqual(self.client.post(url, data).status_code, 400)
        self.assertFalse(Round.objects.filter(name="Omgång 2").exists())


class StatusAndLogisticsTests(RoundsTestCase):
    def setUp(self):
        self.client.force_login(self.coordinator_x)

    def test_close_then_confirmed_cancel(self):
        url = reverse("enrolment:status", args=[self.round.pk])
        self.assertEqual(self.client.post(url, {"status": "closed"}).status_code, 302)
        self.assertEqual(self.client.get(url, {"status": "cancelled"}).status_code, 200)
        self.assertEqual(self.client.post(url, {"status": "cancelled"}).status_code, 302)
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, Round.Status.CANCELLED)

    def test_a_transition_the_lifecycle_does_not_allow_answers_400(self):
        url = reverse("enrolment:status", args=[self.round.pk])
        for data in [{"status": "completed"}, {"status": "draft"}, {"status": "x"}, {}]:
            with self.subTest(data=data):
                self.assertEqual(self.client.post(url, data).status_code, 400)
        self.round.refresh_from_db()
        self.assertEqual(self.round.status, Round.Status.OPEN)

    def test_completing_erases_needs(self):
        url = reverse("enrolment:status", args=[self.round.pk])
        for status in ["closed", "running", "completed"]:
            self.client.post(url, {"status": status})
        self.needs_registration.refresh_from_db()
        self.assertEqual(self.needs_registration.special_diet, "")

    def test_ticking_a_checklist_box_with_htmx(self):
        url = reverse("rounds:logistics", args=[self.round.pk, 1])
        response = self.client.post(
            url, {"item": "room_booked", "done": "1"}, HTTP_HX_REQUEST="true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertTemplateUsed(response, "rounds/_logistics.html")
        self.assertContains(response, 'aria-pressed="true"')
        self.assertTrue(self.round.days.get(number=1).room_booked)
        event = AuditEvent.objects.get(action="round.logistics")
        self.assertEqual(event.actor, self.coordinator_x)
        response = self.client.post(url, {"item": "room_booked", "done": "0"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.round.days.get(number=1).room_booked)

    def test_bad_checklist_posts_answer_400(self):
        for number, data in [
            (1, {"item": "link_sent", "done": "1"}),  # a physical day has no link to send
            (2, {"item": "fika_ordered", "done": "1"}),  # nor a digital day fika
            (1, {"item": "is_staff", "done": "1"}),
            (1, {"item": "room_booked", "done": "yes"}),
        ]:
            with self.subTest(data=data):
                url = reverse("rounds:logistics", args=[self.round.pk, number])
                self.assertEqual(self.client.post(url, data).status_code, 400)
                response = self.client.post(url, data, HTTP_HX_REQUEST="true")
                self.assertEqual(response.status_code, 400)
        self.assertFalse(AuditEvent.objects.filter(action="round.logistics").exists())

    def test_logistics_answers_only_post(self):
        url = reverse("rounds:logistics", args=[self.round.pk, 1])
        self.assertEqual(self.client.get(url).status_code, 405)


class VenuePageTests(RoundsTestCase):
    def setUp(self):
        self.client.force_login(self.coordinator_x)

    def test_create_and_change_a_venue(self):
        data = {
            "structure": self.region_x.pk,
            "name": "Kumla bibliotek",
            "address": "Kumla",
            "room": "",
            "capacity": 30,
            "accessibility_notes": "",
        }
        response = self.client.post(reverse("rounds:venue_create"), data)
        self.assertRedirects(response, reverse("rounds:venues"))
        venue = Venue.objects.get(name="Kumla bibliotek")
        self.assertEqual(venue.structure, self.region_x)
        data["capacity"] = 35
        self.client.post(reverse("rounds:venue_edit", args=[venue.pk]), data)
        venue.refresh_from_db()
        self.assertEqual(venue.capacity, 35)

    def test_bad_venues_answer_400(self):
        for url, data in [
            (reverse("rounds:venue_create"), {"name": "", "address": "x", "capacity": 10}),
            (
                reverse("rounds:venue_create"),
                {"structure": self.region_y.pk, "name": "x", "address": "x", "capacity": 10},
            ),
            # Too small for the round that uses it: 3 seats and the trainers.
            (
                reverse("rounds:venue_edit", args=[self.venue.pk]),
                {"name": "Stadshuset", "address": "x", "capacity": 4},
            ),
        ]:
            with self.subTest(data=data):
                self.assertEqual(self.client.post(url, data).status_code, 400)
        self.venue.refresh_from_db()
        self.assertEqual(self.venue.capacity, 40)
