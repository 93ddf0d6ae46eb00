"""The coordinator's page of a round's e-mail: what did not arrive, which reminders are coming."""

import datetime
from unittest import mock

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from yrkesresan.core.models import AuditEvent, OutboundEmail
from yrkesresan.core.testing import count_queries, make_person, years_ago
from yrkesresan.enrolment.services import register

from ..models import SentReminder
from .helpers import RoundTestCase, sent_to

SMTP_DOWN = mock.patch(
    "django.core.mail.backends.locmem.EmailBackend.send_messages",
    side_effect=ConnectionRefusedError("mail server down"),
)


@override_settings(REMINDER_DAYS_BEFORE=2)
class RoundMailTests(RoundTestCase):
    def setUp(self):
        today = timezone.localdate()
        for day in self.round.days.all():
            day.date = today + datetime.timedelta(days=5 * day.number)
            day.save()
        self.url = reverse("notifications:round_mail", args=[self.round.pk])
        self.login(self.coordinator_x)

    def register_while_the_mail_server_is_down(self, person):
        with SMTP_DOWN, self.assertLogs("yrkesresan.core.mail", "WARNING"), self.run_on_commit():
            register(person, self.round, by=self.manager_a)

    def test_the_coordinator_sees_the_undelivered_messages_and_sends_them_again(self):
        self.register_while_the_mail_server_is_down(self.participant)
        response = self.client.get(self.url)
        self.assertContains(response, self.participant.email)
        self.assertContains(response, "mail server down")
        self.assertEqual(len(response.context["undelivered"]), 2)  # participant and manager
        response = self.client.post(reverse("notifications:resend", args=[self.round.pk]))
        self.assertRedirects(response, self.url)
        self.assertEqual(len(sent_to(self.participant.email)), 1)
        self.assertFalse(OutboundEmail.objects.filter(sent_at__isnull=True).exists())
        self.assertTrue(AuditEvent.objects.filter(action="email.resent").exists())
        self.assertContains(self.client.get(self.url), "har levererats")

    def test_one_message_can_be_sent_again_alone(self):
        self.register_while_the_mail_server_is_down(self.participant)
        first = OutboundEmail.objects.filter(recipients=self.participant.email).get()
        self.client.post(reverse("notifications:resend", args=[self.round.pk]), {"email": first.pk})
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(OutboundEmail.objects.filter(sent_at__isnull=True).count(), 1)

    def test_another_rounds_messages_are_neither_shown_nor_sent(self):
        self.register_while_the_mail_server_is_down(self.participant)
        OutboundEmail.objects.update(round_id=self.round.pk + 1000)
        self.assertEqual(self.client.get(self.url).context["undelivered"], [])
        self.client.post(reverse("notifications:resend", args=[self.round.pk]))
        self.assertEqual(mail.outbox, [])

    def test_the_coming_reminders_are_listed_and_one_is_sent_now_once(self):
        with self.run_on_commit():
            register(self.participant, self.round, by=self.manager_a)
        mail.outbox.clear()
        day = self.round.days.get(number=1)
        response = self.client.get(self.url)
        [(first, goes_out), *_rest] = response.context["reminders"]
        self.assertEqual((first, first.waiting), (day, 1))
        self.assertEqual(goes_out, day.date - datetime.timedelta(days=2))
        remind = reverse("notifications:remind_now", args=[self.round.pk])
        self.assertRedirects(self.client.post(remind, {"day": day.pk}), self.url)
        [reminder] = sent_to(self.participant.email)
        self.assertIn("dag 1", reminder.subject)
        self.assertTrue(SentReminder.objects.filter(day=day).exists())
        # Again: nobody is reminded twice, and the coordinator is told so.
        self.assertEqual(self.client.post(remind, {"day": day.pk}).status_code, 400)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(self.client.get(self.url).context["reminders"][0][0].waiting, 0)

    def test_the_page_asks_the_same_number_of_queries_however_many_messages(self):
        self.register_while_the_mail_server_is_down(self.participant)
        few = count_queries(self.client, self.url)
        self.round.seats = 10
        self.round.save()
        for n in range(4):
            person = make_person(f"p{n}@example.com", unit=self.unit_a, started=years_ago(1))
            self.register_while_the_mail_server_is_down(person)
        self.assertEqual(count_queries(self.client, self.url), few)

    def test_the_round_page_links_here_for_its_coordinator_only(self):
        round_page = reverse("enrolment:round", args=[self.round.pk])
        self.assertContains(self.client.get(round_page), self.url)
        self.login(self.manager_a)
        self.assertNotContains(self.client.get(round_page), self.url)
