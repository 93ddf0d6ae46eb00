"""Planning (rounds/services.py): creating rounds with proposed days, changing them, the
checklist, venues; and the reports over them, capacity planning and fees."""

import datetime
from decimal import Decimal
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import count_queries, make_person, years_ago
from yrkesresan.enrolment import queries as enrolment_queries
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.services import change_status, register, update_round
from yrkesresan.reports import planning as report_planning
from yrkesresan.rounds import queries as round_queries
from yrkesresan.rounds import services as planning
from yrkesresan.rounds.models import CourseDay, Round, term_dates
from yrkesresan.staffing import queries as staffing_queries

from .test_support import RoundsTestCase, add_participants, create_round, next_term_thursday


def messages(error):
    return [problem.message for problem in error.exception.problems]


class TermTests(RoundsTestCase):
    def test_terms_follow_each_other(self):
        self.assertEqual(round_queries.next_term("VT 2027"), "HT 2027")
        self.assertEqual(round_queries.next_term("HT 2027"), "VT 2028")
        self.assertEqual(
            round_queries.coming_terms(datetime.date(2026, 11, 23), count=3),
            ["HT 2026", "VT 2027", "HT 2027"],
        )

    def test_the_default_term_is_the_current_unless_only_the_next_has_rounds(self):
        today = datetime.date(2026, 11, 23)
        self.assertEqual(round_queries.default_term(set(), today), "HT 2026")
        self.assertEqual(round_queries.default_term({"VT 2027"}, today), "VT 2027")
        self.assertEqual(round_queries.default_term({"HT 2026", "VT 2027"}, today), "HT 2026")


class ProposeAndCreateTests(RoundsTestCase):
    def test_the_usual_plan_is_the_first_day_physical_and_the_rest_digital(self):
        first = next_term_thursday()
        days = planning.propose_days(
            self.course, first, venue=self.venue, meeting_url="https://m.example"
        )
        self.assertEqual(
            [d.date for d in days], [first + datetime.timedelta(7 * i) for i in range(4)]
        )
        self.assertEqual([d.mode for d in days], ["physical", "digital", "digital", "digital"])
        self.assertEqual([d.venue for d in days], [self.venue, None, None, None])
        self.assertEqual(days[1].meeting_url, "https://m.example")

    def test_create_round_makes_a_logged_draft(self):
        round = create_round(self, name="Omgång 9")
        self.assertEqual(round.status, Round.Status.DRAFT)
        self.assertEqual(round.days.count(), 4)
        event = AuditEvent.objects.get(action="round.created", object_id=str(round.pk))
        self.assertEqual(event.actor, self.coordinator_x)

    def plan(self, **changes):
        first = next_term_thursday()
        arguments = {
            "structure": self.region_x,
            "term": planning.term_of(first),
            "seats": 20,
            "registration_opens_on": timezone.localdate(),
            "registration_closes_on": first - datetime.timedelta(days=14),
            "days": planning.propose_days(
                self.course, first, venue=self.venue, meeting_url="https://m.example"
            ),
        }
        arguments.update(changes)
        return planning.check_plan(**arguments)

    def test_a_sound_plan_has_no_problems(self):
        self.assertEqual(self.plan(), [])

    def test_days_must_be_in_order(self):
        days = planning.propose_days(
            self.course, next_term_thursday(), venue=self.venue, meeting_url="https://m.example"
        )
        days[2].date = days[1].date
        problems = self.plan(days=days)
        self.assertEqual([(p.day, p.field) for p in problems], [(3, "date")])

    def test_days_must_be_inside_the_term(self):
        term = round_queries.next_term(round_queries.next_term(round_queries.coming_terms()[0]))
        problems = self.plan(term=term)
        self.assertEqual({p.day for p in problems}, {1, 2, 3, 4})

    def test_a_new_round_cannot_start_in_the_past(self):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        days = planning.propose_days(
            self.course, yesterday, venue=self.venue, meeting_url="https://m.example"
        )
        problems = self.plan(
            term=planning.term_of(yesterday),
            days=days[:1],
            registration_closes_on=yesterday - datetime.timedelta(days=1),
            registration_opens_on=yesterday - datetime.timedelta(days=2),
        )
        self.assertEqual([(p.day, p.field) for p in problems], [(1, "date")])

    def test_the_venue_must_hold_the_seats_and_the_trainers(self):
        self.assertEqual(self.plan(seats=40 - round_queries.TRAINERS_ON_A_DAY), [])
        problems = self.plan(seats=40 - round_queries.TRAINERS_ON_A_DAY + 1)
        self.assertEqual([(p.day, p.field) for p in problems], [(1, "venue")])

    def test_physical_days_need_an_own_venue_and_digital_days_a_link(self):
        days = planning.propose_days(self.course, next_term_thursday(), venue=self.venue_y)
        problems = self.plan(days=days)
        self.assertEqual(
            [(p.day, p.field) for p in problems],
            [(1, "venue"), (2, "meeting_url"), (3, "meeting_url"), (4, "meeting_url")],
        )

    def test_the_deadline_is_before_the_first_day(self):
        first = next_term_thursday()
        problems = self.plan(registration_closes_on=first)
        self.assertEqual([p.field for p in problems], ["registration_closes_on"])
        problems = self.plan(
            registration_opens_on=first, registration_closes_on=first - datetime.timedelta(1)
        )
        self.assertEqual([p.field for p in problems], ["registration_closes_on"])

    def test_a_bad_term_is_refused(self):
        self.assertEqual(self.plan(term="Våren 2027")[0].field, "term")

    def test_create_round_refuses_a_bad_plan_and_saves_nothing(self):
        with self.assertRaises(planning.PlanningError) as error:
            create_round(self, seats=100, name="För stor")
        self.assertIn("Stadshuset", messages(error)[0])
        self.assertFalse(Round.objects.filter(name="För stor").exists())

    def test_a_fee_model_needs_an_amount(self):
        first = next_term_thursday()
        with self.assertRaises(planning.PlanningError):
            planning.create_round(
                self.course,
                self.region_x,
                by=self.coordinator_x,
                term=planning.term_of(first),
                name="Avgift",
                seats=10,
                registration_opens_on=timezone.localdate(),
                registration_closes_on=first - datetime.timedelta(days=1),
                days=planning.propose_days(
                    self.course, first, venue=self.venue, meeting_url="https://m.example"
                ),
                fee_model=Round.FeeModel.PER_DAY,
                fee_amount=0,
            )


class UpdateRoundTests(RoundsTestCase):
    def fields(self, **changes):
        fields = {name: getattr(self.round, name) for name in planning.ROUND_FIELDS}
        fields.update(changes)
        return fields

    def test_changes_are_logged_with_old_and_new(self):
        update_round(self.round, by=self.coordinator_x, seats=3, **self.fields(name="Omgång A"))
        event = AuditEvent.objects.get(action="round.updated")
        self.assertEqual(event.data["changes"], {"name": ["Omgång 1", "Omgång A"]})

    def test_more_seats_go_to_the_waiting_list_at_once(self):
        update_round(self.round, by=self.coordinator_x, seats=5, **self.fields())
        self.waiting.refresh_from_db()
        self.assertEqual(self.waiting.status, Registration.Status.REGISTERED)

    def test_fewer_seats_than_taken_are_refused(self):
        with self.assertRaises(planning.PlanningError) as error:
            update_round(self.round, by=self.coordinator_x, seats=2, **self.fields())
        self.assertEqual(error.exception.problems[0].field, "seats")

    def test_a_minimum_above_the_seats_is_refused(self):
        with self.assertRaises(planning.PlanningError) as error:
            update_round(
                self.round, by=self.coordinator_x, seats=3, **self.fields(minimum_participants=4)
            )
        self.assertEqual(error.exception.problems[0].field, "minimum_participants")

    def test_a_completed_round_cannot_change(self):
        for status in [Round.Status.CLOSED, Round.Status.RUNNING, Round.Status.COMPLETED]:
            change_status(self.round, status, by=self.coordinator_x)
        with self.assertRaises(planning.PlanningError):
            update_round(self.round, by=self.coordinator_x, seats=3, **self.fields())

    def test_a_round_under_way_can_still_be_edited(self):
        # Its days have passed; that is no reason to refuse a change of notes.
        CourseDay.objects.filter(round=self.round, number=1).update(
            date=timezone.localdate() - datetime.timedelta(days=1)
        )
        Round.objects.filter(pk=self.round.pk).update(
            term=planning.term_of(timezone.localdate() - datetime.timedelta(days=1)),
            registration_closes_on=timezone.localdate() - datetime.timedelta(days=2),
            registration_opens_on=timezone.localdate() - datetime.timedelta(days=3),
        )
        self.round.refresh_from_db()
        CourseDay.objects.filter(round=self.round, number__gt=1).delete()
        update_round(self.round, by=self.coordinator_x, seats=3, **self.fields(notes="Ok"))
        self.round.refresh_from_db()
        self.assertEqual(self.round.notes, "Ok")


class CourseDayTests(RoundsTestCase):
    def day(self, number):
        return CourseDay.objects.select_related("round").get(round=self.round, number=number)

    def change(self, number, **changes):
        day = self.day(number)
        fields = {
            "date": day.date,
            "starts_at": day.starts_at,
            "ends_at": day.ends_at,
            "mode": day.mode,
            "venue": day.venue,
            "meeting_url": day.meeting_url,
        }
        fields.update(changes)
        with mock.patch("yrkesresan.notifications.registrations.course_day_changed") as told:
            day = planning.update_course_day(day, by=self.coordinator_x, **fields)
        return day, told

    def test_a_new_time_bumps_the_sequence_tells_people_and_clears_the_booking(self):
        CourseDay.objects.filter(round=self.round, number=1).update(
            room_booked=True, fika_ordered=True, material_sent=True
        )
        day, told = self.change(1, starts_at=datetime.time(10, 0))
        self.assertEqual(day.sequence, 1)
        told.assert_called_once_with(day)
        day.refresh_from_db()
        self.assertEqual(
            (day.room_booked, day.fika_ordered, day.material_sent), (False, False, True)
        )
        event = AuditEvent.objects.get(action="round.day_changed")
        self.assertEqual(event.data["changes"], {"starts_at": ["09:00:00", "10:00:00"]})
        self.assertEqual(event.data["cleared"], ["room_booked", "fika_ordered"])

    def test_a_new_link_clears_link_sent_only(self):
        CourseDay.objects.filter(round=self.round, number=2).update(link_sent=True)
        day, told = self.change(2, meeting_url="https://meet.example.se/ny")
        day.refresh_from_db()
        self.assertFalse(day.link_sent)
        told.assert_called_once()

    def test_no_change_changes_nothing(self):
        day, told = self.change(2)
        self.assertEqual(day.sequence, 0)
        told.assert_not_called()
        self.assertFalse(AuditEvent.objects.filter(action="round.day_changed").exists())

    def test_a_day_cannot_pass_the_next_one(self):
        with self.assertRaises(planning.PlanningError) as error:
            self.change(2, date=self.day(3).date)
        self.assertEqual([(p.day, p.field) for p in error.exception.problems], [(3, "date")])

    def test_a_digital_day_turned_physical_needs_a_venue_and_drops_the_link(self):
        with self.assertRaises(planning.PlanningError):
            self.change(2, mode=CourseDay.Mode.PHYSICAL)
        day, _told = self.change(2, mode=CourseDay.Mode.PHYSICAL, venue=self.venue)
        day.refresh_from_db()
        self.assertEqual((day.venue, day.meeting_url), (self.venue, ""))

    def test_the_checklist_applies_per_mode_and_is_logged(self):
        day = self.day(1)
        planning.set_logistics(day, "fika_ordered", True, by=self.coordinator_x)
        day.refresh_from_db()
        self.assertTrue(day.fika_ordered)
        with self.assertRaises(planning.PlanningError):
            planning.set_logistics(day, "link_sent", True, by=self.coordinator_x)
        with self.assertRaises(planning.PlanningError):
            planning.set_logistics(self.day(2), "room_booked", True, by=self.coordinator_x)
        planning.set_logistics(day, "fika_ordered", True, by=self.coordinator_x)  # no change
        self.assertEqual(AuditEvent.objects.filter(action="round.logistics").count(), 1)

    def test_fika_counts_the_team_and_the_course_leader(self):
        from yrkesresan.staffing.models import Team, TeamDay

        team = Team.objects.create(round=self.round, name="Team 1")
        team.members.set([self.trainer_x, self.course_leader_x])
        TeamDay.objects.create(day=self.day(1), team=team)
        trainers = staffing_queries.trainers_on_days(self.round)
        self.assertEqual(trainers[self.day(1).pk], 2)  # the course leader is in the team
        self.assertEqual(trainers[self.day(2).pk], round_queries.TRAINERS_ON_A_DAY)
        self.assertEqual(round_queries.fika_count(3, trainers[self.day(1).pk]), 5)


class CopyTests(RoundsTestCase):
    def test_a_copy_shifts_every_day_by_the_same_distance(self):
        first = next_term_thursday(weeks=10)
        copy = planning.copy_round(
            self.round, first_day=first, name="Omgång 2", by=self.coordinator_x
        )
        old = list(self.round.days.values_list("date", flat=True))
        new = list(copy.days.values_list("date", flat=True))
        self.assertEqual([b - a for a, b in zip(old, new, strict=True)], [first - old[0]] * 4)
        self.assertEqual(copy.registrations.count(), 0)

    def test_a_copy_must_fit_in_one_term_and_lie_ahead(self):
        end = term_dates(self.round.term)[1]
        with self.assertRaises(planning.PlanningError):
            planning.copy_round(
                self.round,
                first_day=end - datetime.timedelta(days=7),
                name="X",
                by=self.coordinator_x,
            )
        with self.assertRaises(planning.PlanningError):
            planning.copy_round(
                self.round, first_day=datetime.date(2020, 2, 6), name="X", by=self.coordinator_x
            )
        self.assertFalse(Round.objects.filter(name="X").exists())


class VenueTests(RoundsTestCase):
    def test_a_venue_is_created_and_changed_with_a_log(self):
        venue = planning.save_venue(
            self.region_x,
            by=self.coordinator_x,
            name="Aulan",
            address="Kumla",
            room="",
            capacity=50,
            accessibility_notes="",
        )
        planning.save_venue(
            self.region_x,
            by=self.coordinator_x,
            venue=venue,
            name="Aulan",
            address="Kumla",
            room="",
            capacity=60,
            accessibility_notes="Hiss",
        )
        venue.refresh_from_db()
        self.assertEqual(venue.capacity, 60)
        self.assertEqual(
            list(
                AuditEvent.objects.filter(object_type="rounds.venue")
                .values_list("action", flat=True)
                .order_by("pk")
            ),
            ["venue.created", "venue.updated"],
        )

    def test_a_smaller_room_is_refused_while_a_coming_round_needs_it(self):
        with self.assertRaises(planning.PlanningError):
            planning.save_venue(
                self.region_x,
                by=self.coordinator_x,
                venue=self.venue,
                name="Stadshuset",
                address="x",
                room="",
                capacity=3 + round_queries.TRAINERS_ON_A_DAY - 1,
                accessibility_notes="",
            )


class ChangeLogTests(RoundsTestCase):
    def test_the_log_covers_the_round_its_days_and_registrations(self):
        planning.set_logistics(
            CourseDay.objects.get(round=self.round, number=1),
            "room_booked",
            True,
            by=self.coordinator_x,
        )
        day_numbers = dict(self.round.days.values_list("pk", "number"))
        _positions, _registered, names = enrolment_queries.round_queue(self.round, with_names=True)
        events = enrolment_queries.change_log(self.round, day_numbers, names)
        subjects = {(e.action, e.concerns) for e in events}
        self.assertIn(("round.logistics", "Dag 1"), subjects)
        self.assertIn(("registration.registered", "Kumla Testsson"), subjects)
        self.assertIn(("round.created", ""), subjects)
        other = create_round(self, name="Annan")
        self.assertNotIn(
            other.pk, {int(e.object_id) for e in events if e.object_type == "rounds.round"}
        )


class CapacityPlanTests(RoundsTestCase):
    """Region X: the participant and Kumla have seats, the colleague (Erfaren) waits in a round
    of Ny, the Eskilstuna colleague on unit A2 has a seat."""

    def plan(self, by_date=None, **kwargs):
        by_date = by_date or term_dates(self.round.term)[1]
        needs = report_planning.capacity_plan(self.region_x, by_date=by_date, **kwargs)
        return {need.course.slug: need for need in needs}[self.course.slug]

    def test_people_on_the_step_are_counted_against_the_planned_seats(self):
        need = self.plan()
        # On Ny in Region X: participant, other_unit_participant, kumla_participant.
        self.assertEqual(need.on_step, 3)
        self.assertEqual((need.done, need.booked, need.need), (0, 3, 0))
        self.assertEqual((need.free_seats, need.planned_rounds), (0, 1))
        self.assertEqual(need.rounds_needed, 0)

    def test_newcomers_need_more_rounds(self):
        for n in range(30):
            make_person(f"ny{n}@example.com", unit=self.unit_kumla, started=years_ago(0, 20))
        need = self.plan(seats_per_round=20)
        self.assertEqual(need.need, 30)
        self.assertEqual(need.by_municipality["Kumla"], 30)
        self.assertEqual(need.rounds_needed, 2)
        # The latest round's seats are the default size of a new round.
        self.assertEqual(self.plan().seats_per_round, 3)
        self.assertEqual(self.plan().rounds_needed, 10)

    def test_completed_rounds_count_as_through_and_late_rounds_do_not_count(self):
        for status in [Round.Status.CLOSED, Round.Status.RUNNING, Round.Status.COMPLETED]:
            change_status(self.round, status, by=self.coordinator_x)
        need = self.plan()
        self.assertEqual((need.done, need.booked), (3, 0))
        later = create_round(self, name="Senare", seats=10)
        newcomer = make_person("sen@example.com", unit=self.unit_a, started=years_ago(0, 5))
        Round.objects.filter(pk=later.pk).update(status=Round.Status.OPEN)
        register(newcomer, Round.objects.get(pk=later.pk), by=self.manager_a)
        too_early = CourseDay.objects.filter(round=later).order_by("number").first().date
        need = self.plan(by_date=too_early)
        self.assertEqual((need.booked, need.need, need.free_seats), (0, 1, 0))
        need = self.plan()
        self.assertEqual((need.booked, need.need, need.free_seats), (1, 0, 9))

    def test_other_regions_and_non_members_are_left_out(self):
        make_person("arboga@example.com", municipality=self.arboga, started=years_ago(1))
        make_person("solna2@example.com", unit=self.unit_solna, started=years_ago(1))
        self.assertEqual(self.plan().on_step, 3)


class CapacityPageTests(RoundsTestCase):
    def test_the_page_shows_the_plan(self):
        self.client.force_login(self.coordinator_x)
        response = self.client.get(reverse("reports:capacity"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["structure"], self.region_x)
        needs = {need.course.pk: need for need in response.context["needs"]}
        self.assertEqual(needs[self.course.pk].on_step, 3)

    def test_bad_settings_answer_400(self):
        self.client.force_login(self.coordinator_x)
        for params in [
            {"by_date": "2020-01-01"},
            {"by_date": "snart"},
            {"seats_per_round": "0"},
            {"structure": self.region_y.pk},  # not theirs
        ]:
            with self.subTest(params=params):
                response = self.client.get(reverse("reports:capacity"), params)
                self.assertEqual(response.status_code, 400)

    def test_the_query_count_does_not_grow_with_staff_rounds_or_registrations(self):
        self.client.force_login(self.coordinator_x)
        url = reverse("reports:capacity")
        before = count_queries(self.client, url)
        for n in range(15):
            make_person(f"kap{n}@example.com", unit=self.unit_kumla, started=years_ago(n % 7))
        round = create_round(self, name="Kapacitet", seats=10)
        Round.objects.filter(pk=round.pk).update(status=Round.Status.OPEN)
        add_participants(self, Round.objects.get(pk=round.pk), 5, prefix="kapreg")
        with self.assertNumQueries(before):
            self.client.get(url)


class FeeRowTests(RoundsTestCase):
    def test_rows_per_municipality(self):
        Round.objects.filter(pk=self.round.pk).update(
            fee_model=Round.FeeModel.PER_PARTICIPANT, fee_amount=Decimal("1000")
        )
        self.round.refresh_from_db()
        rows, billable = report_planning.fee_rows(self.round)
        self.assertEqual(
            [(r.municipality, r.billable, r.total) for r in rows],
            [("Eskilstuna", 2, 2000), ("Kumla", 1, 1000)],
        )
        self.assertEqual(len(billable), 3)
