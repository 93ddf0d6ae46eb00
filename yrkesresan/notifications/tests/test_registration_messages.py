import zoneinfo

from django.core import mail

from yrkesresan.enrolment.services import cancel_registration, change_seats, register
from yrkesresan.rounds.models import Round

from ..models import RegistrationCalendar
from .helpers import RoundTestCase, calendars, events, sent_to

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


class SeatTests(RoundTestCase):
    def register_participant(self):
        with self.run_on_commit():
            return register(self.participant, self.round, by=self.manager_a)

    def test_a_seat_sends_the_participant_one_invitation_per_course_day(self):
        self.register_participant()
        [message] = sent_to(self.participant.email)
        self.assertIn(self.course.title, message.subject)
        self.assertIn("Du har fått en plats", message.body)
        days = list(self.round.days.order_by("number"))
        found = events(message)
        self.assertEqual(len(found), len(days))
        for (method, event), day in zip(found, days, strict=True):
            self.assertEqual(method, "REQUEST")
            self.assertEqual(str(event["UID"]), f"{day.uid}@yrkesresan")
            self.assertEqual(event["SEQUENCE"], 1)
            self.assertEqual(str(event["STATUS"]), "CONFIRMED")
            self.assertEqual(event["DTSTART"].params["TZID"], "Europe/Stockholm")
            self.assertEqual(event.start, day.starts())
            self.assertEqual(event.end, day.ends())
            self.assertEqual(event.start.tzinfo.key, "Europe/Stockholm")
            self.assertEqual(str(event["SUMMARY"]), f"{self.course.title} – dag {day.number}")
            self.assertIn("noreply@yrkesresan.example", str(event["ORGANIZER"]))
            self.assertEqual(str(event["ATTENDEE"]), f"mailto:{self.participant.email}")

    def test_the_days_are_listed_in_the_body_with_date_time_and_place(self):
        self.register_participant()
        [message] = sent_to(self.participant.email)
        day1 = self.round.days.get(number=1)
        self.assertIn("Fysisk kursdag. Plats: Stadshuset, Sal 3, Fristadstorget 2", message.body)
        self.assertIn(
            "Digital kursdag. Länk till mötet: https://meet.example.se/yrkesresan", message.body
        )
        self.assertIn(f"{day1.date.year}, kl. 09:00–16:00", message.body)
        self.assertNotIn("&amp;", message.body)

    def test_a_physical_day_has_the_venue_and_a_digital_day_the_link(self):
        self.register_participant()
        [message] = sent_to(self.participant.email)
        (_m, physical), (_m2, digital), *_rest = events(message)
        self.assertEqual(
            str(physical["LOCATION"]), "Stadshuset, Sal 3, Fristadstorget 2, Eskilstuna"
        )
        self.assertNotIn("URL", physical)
        self.assertEqual(str(digital["URL"]), "https://meet.example.se/yrkesresan")
        self.assertEqual(str(digital["LOCATION"]), "https://meet.example.se/yrkesresan")
        self.assertIn("https://meet.example.se/yrkesresan", str(digital["DESCRIPTION"]))

    def test_each_calendar_file_has_the_stockholm_timezone_and_the_method_in_its_type(self):
        self.register_participant()
        [message] = sent_to(self.participant.email)
        for calendar, part in calendars(message):
            self.assertEqual(part.get_params()[1:3], [("charset", "utf-8"), ("method", "REQUEST")])
            self.assertEqual(part.get_filename()[-4:], ".ics")
            self.assertEqual([tz.tz_name for tz in calendar.timezones], ["Europe/Stockholm"])
            self.assertEqual(calendar.get_missing_tzids(), set())
            self.assertEqual(len({str(e["UID"]) for e in calendar.walk("VEVENT")}), 1)

    def test_the_manager_gets_a_copy_without_calendar_files(self):
        self.register_participant()
        [copy] = sent_to(self.manager_a.email)
        self.assertIn("För kännedom", copy.subject)
        self.assertIn(self.participant.get_full_name(), copy.body)
        self.assertIn("Stadshuset", copy.body)
        self.assertEqual(calendars(copy), [])
        self.assertEqual(len(mail.outbox), 2)

    def test_nothing_is_sent_when_the_transaction_rolls_back(self):
        register(self.participant, self.round, by=self.manager_a)  # on_commit never fires
        self.assertEqual(mail.outbox, [])


class WaitingListTests(RoundTestCase):
    def setUp(self):
        with self.run_on_commit():
            self.seated = register(self.participant, self.round, by=self.manager_a)
            self.waiting = register(
                self.other_unit_participant, self.round, by=self.contact_eskilstuna
            )
            self.second = register(self.kumla_participant, self.round, by=self.coordinator_x)

    def test_the_waiting_list_gets_its_position_and_no_calendar_events(self):
        [first] = sent_to(self.other_unit_participant.email)
        [second] = sent_to(self.kumla_participant.email)
        self.assertIn("(plats 1)", first.subject)
        self.assertIn("reservlistan, plats 1", first.body)
        self.assertIn("reservlistan, plats 2", second.body)
        self.assertEqual(calendars(first), [])
        self.assertFalse(RegistrationCalendar.objects.filter(registration=self.waiting).exists())
        [manager_copy] = sent_to(self.manager_kumla.email)
        self.assertIn(self.kumla_participant.get_full_name(), manager_copy.body)

    def test_a_promotion_sends_the_events(self):
        mail.outbox.clear()
        with self.run_on_commit():
            change_seats(self.round, 2, by=self.coordinator_x)
        [message] = sent_to(self.other_unit_participant.email)
        self.assertIn("från reservlistan", message.subject)
        found = events(message)
        self.assertEqual(len(found), 4)
        self.assertEqual({method for method, _event in found}, {"REQUEST"})
        self.assertEqual({event["SEQUENCE"] for _m, event in found}, {1})
        self.assertEqual(sent_to(self.kumla_participant.email), [])

    def test_cancelling_a_seat_cancels_the_events_and_promotes_the_next(self):
        mail.outbox.clear()
        with self.run_on_commit():
            cancel_registration(self.seated, by=self.participant, reason="Sjuk")
        [cancellation] = sent_to(self.participant.email)
        found = events(cancellation)
        self.assertEqual(len(found), 4)
        for method, event in found:
            self.assertEqual(method, "CANCEL")
            self.assertEqual(str(event["STATUS"]), "CANCELLED")
            self.assertEqual(event["SEQUENCE"], 2)
        day_uids = {f"{day.uid}@yrkesresan" for day in self.round.days.all()}
        self.assertEqual({str(event["UID"]) for _m, event in found}, day_uids)
        self.assertIn("avanmäld", cancellation.body)
        [_part] = [part for _c, part in calendars(cancellation)][:1]
        self.assertEqual(_part.get_param("method"), "CANCEL")
        [promotion] = sent_to(self.other_unit_participant.email)
        self.assertEqual({m for m, _e in events(promotion)}, {"REQUEST"})
        self.assertEqual(len(sent_to(self.manager_a.email)), 1)

    def test_leaving_the_waiting_list_sends_no_cancellation_events(self):
        mail.outbox.clear()
        with self.run_on_commit():
            cancel_registration(self.waiting, by=self.contact_eskilstuna, reason="Byter kurs")
        [message] = sent_to(self.other_unit_participant.email)
        self.assertEqual(calendars(message), [])
        self.assertIn("reservlistan", message.body)

    def test_re_registering_after_a_cancellation_outranks_the_cancellation(self):
        with self.run_on_commit():
            cancel_registration(self.seated, by=self.participant, reason="Sjuk")
            change_seats(self.round, 3, by=self.coordinator_x)
        mail.outbox.clear()
        with self.run_on_commit():
            register(self.participant, self.round, by=self.manager_a)
        [message] = sent_to(self.participant.email)
        self.assertEqual({(m, e["SEQUENCE"]) for m, e in events(message)}, {("REQUEST", 3)})


class UserDataInHeadersTests(RoundTestCase):
    def test_a_line_break_in_the_rounds_name_does_not_stop_its_e_mail(self):
        # Saving refuses such a name now (core.checked_text); a row written before that rule,
        # or around it, must still not break the round's e-mail.
        Round.objects.filter(pk=self.round.pk).update(name="Omgång 1\r\nvåren")
        self.round.refresh_from_db()
        with self.run_on_commit():
            register(self.participant, self.round, by=self.manager_a)
        [message] = sent_to(self.participant.email)
        self.assertTrue(message.subject.endswith("Omgång 1 våren"))
        self.assertNotIn("\n", message.subject)
        message.message()  # builds the MIME message: a line break in a header would raise
        self.assertEqual(len(events(message)), 4)
