import datetime

from django.core import mail
from django.db import transaction

from yrkesresan.enrolment.services import cancel_registration, register
from yrkesresan.notifications import registrations as notify
from yrkesresan.rounds.models import CourseDay, Round

from .helpers import RoundTestCase, events, sent_to


class DayChangedTests(RoundTestCase):
    def setUp(self):
        self.round.seats = 3
        self.round.save()
        with self.run_on_commit():
            self.registration = register(self.participant, self.round, by=self.manager_a)
            register(self.colleague, self.round, by=self.manager_a, step_mismatch_reason="Ny.")
            register(self.kumla_participant, self.round, by=self.manager_kumla)
        self.first_invitation = {
            str(event["UID"]): event for _m, event in events(sent_to(self.participant.email)[0])
        }
        mail.outbox.clear()

    def move_day(self, number, **changes):
        """What a coordinator's edit does: change the day, bump its sequence, tell people."""
        day = self.round.days.get(number=number)
        with self.run_on_commit(), transaction.atomic():
            for name, value in changes.items():
                setattr(day, name, value)
            day.sequence += 1
            day.save()
            notify.course_day_changed(day)
        return day

    def test_participants_get_the_same_uid_with_a_higher_sequence(self):
        new_date = self.round.days.get(number=2).date + datetime.timedelta(days=1)
        day = self.move_day(2, date=new_date)
        [message] = sent_to(self.participant.email)
        [(method, event)] = events(message)
        self.assertEqual(method, "REQUEST")
        uid = f"{day.uid}@yrkesresan"
        self.assertEqual(str(event["UID"]), uid)
        self.assertGreater(event["SEQUENCE"], self.first_invitation[uid]["SEQUENCE"])
        self.assertEqual(event["SEQUENCE"], 2)
        self.assertEqual(event.start.date(), new_date)
        self.assertEqual(event["DTSTART"].params["TZID"], "Europe/Stockholm")
        self.assertIn("Ändrad kursdag", message.subject)
        self.assertIn(f"{new_date.day} ", message.subject)

    def test_every_change_raises_the_sequence_again(self):
        self.move_day(1, starts_at=datetime.time(10, 0))
        self.move_day(1, room_booked=True, venue=None)
        sequences = [events(m)[0][1]["SEQUENCE"] for m in sent_to(self.participant.email)]
        self.assertEqual(sequences, [2, 3])
        [_first, second] = sent_to(self.participant.email)
        self.assertEqual(str(events(second)[0][1]["LOCATION"]), "Plats meddelas senare")

    def test_the_round_s_course_leader_gets_the_updated_event(self):
        day = self.move_day(3, meeting_url="https://meet.example.se/ny-lank")
        [message] = sent_to(self.course_leader_x.email)
        [(method, event)] = events(message)
        self.assertEqual((method, str(event["UID"])), ("REQUEST", f"{day.uid}@yrkesresan"))
        self.assertEqual(event["SEQUENCE"], day.sequence)
        self.assertEqual(str(event["URL"]), "https://meet.example.se/ny-lank")
        self.assertIn("leder kursdagar", message.body)

    def test_each_manager_gets_one_copy_naming_their_people(self):
        self.move_day(4, date=self.round.days.get(number=4).date + datetime.timedelta(days=2))
        [copy] = sent_to(self.manager_a.email)
        self.assertIn(self.participant.get_full_name(), copy.body)
        self.assertIn(self.colleague.get_full_name(), copy.body)
        self.assertEqual(events(copy), [])
        self.assertEqual(len(sent_to(self.manager_kumla.email)), 1)
        recipients = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(
            recipients,
            sorted(
                [
                    self.participant.email,
                    self.colleague.email,
                    self.kumla_participant.email,
                    self.course_leader_x.email,
                    self.manager_a.email,
                    self.manager_kumla.email,
                ]
            ),
        )

    def test_cancelled_participants_hear_nothing_of_later_changes(self):
        with self.run_on_commit():
            cancel_registration(self.registration, by=self.participant, reason="Sjuk")
        mail.outbox.clear()
        self.move_day(2, starts_at=datetime.time(8, 30))
        self.assertEqual(sent_to(self.participant.email), [])

    def test_a_participant_s_sequence_keeps_their_own_revision(self):
        with self.run_on_commit():
            cancel_registration(self.registration, by=self.participant, reason="Sjuk")
            register(self.participant, self.round, by=self.manager_a)
        mail.outbox.clear()
        self.move_day(2, starts_at=datetime.time(8, 30))
        [(_m, event)] = events(sent_to(self.participant.email)[0])
        self.assertEqual(event["SEQUENCE"], 1 + 3)  # day.sequence 1 + revision 3
        [(_m, colleague_event)] = events(sent_to(self.colleague.email)[0])
        self.assertEqual(colleague_event["SEQUENCE"], 1 + 1)

    def test_a_round_being_planned_or_over_sends_nothing(self):
        for status in [Round.Status.DRAFT, Round.Status.CANCELLED, Round.Status.COMPLETED]:
            Round.objects.filter(pk=self.round.pk).update(status=status)
            self.round.refresh_from_db()
            with self.subTest(status=status):
                self.move_day(2, starts_at=datetime.time(8, 15))
                self.assertEqual(mail.outbox, [])

    def test_a_deleted_day_sends_nothing(self):
        day = self.round.days.get(number=4)
        with self.run_on_commit(), transaction.atomic():
            notify.course_day_changed(day)
            CourseDay.objects.filter(pk=day.pk).delete()
        self.assertEqual(mail.outbox, [])
