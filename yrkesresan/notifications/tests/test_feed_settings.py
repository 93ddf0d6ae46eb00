"""/kalender/: the person's private calendar address, and making a new one."""

from django.urls import reverse

from yrkesresan.catalog.models import Course
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import count_queries
from yrkesresan.enrolment.services import register
from yrkesresan.rounds.testing import make_round

from ..models import CalendarFeed
from .helpers import RoundTestCase

URL = reverse("notifications:feed_settings")


class FeedSettingsTests(RoundTestCase):
    def test_login_is_required(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
        self.assertEqual(self.client.post(URL).status_code, 302)
        self.assertFalse(CalendarFeed.objects.exists())

    def test_every_role_sees_only_their_own_address(self):
        for person in [self.participant, self.manager_a, self.coordinator_x, self.admin]:
            with self.subTest(person=person.email):
                self.login(person)
                response = self.client.get(URL)
                self.assertEqual(response.status_code, 200)
                own = CalendarFeed.objects.get(user=person)
                self.assertEqual(
                    response.context["feed_url"],
                    "http://testserver" + reverse("notifications:feed", args=[own.token]),
                )
                self.assertContains(response, own.token)
                for other in CalendarFeed.objects.exclude(user=person):
                    self.assertNotContains(response, other.token)
        self.assertEqual(CalendarFeed.objects.count(), 4)

    def test_the_page_lists_the_coming_days_of_the_person(self):
        register(self.participant, self.round, by=self.manager_a)
        self.login(self.participant)
        response = self.client.get(URL)
        self.assertEqual(
            [day.pk for day in response.context["days"]],
            list(self.round.days.order_by("number").values_list("pk", flat=True)),
        )
        self.assertContains(response, "Stadshuset")
        self.assertTrue(response.context["webcal_url"].startswith("webcal://testserver/kalender/"))
        self.login(self.colleague)
        self.assertEqual(list(self.client.get(URL).context["days"]), [])

    def test_a_get_does_not_change_the_address(self):
        self.login(self.participant)
        self.client.get(URL)
        token = CalendarFeed.objects.get(user=self.participant).token
        self.client.get(URL)
        self.assertEqual(CalendarFeed.objects.get(user=self.participant).token, token)

    def test_making_a_new_address_retires_the_old_one(self):
        self.login(self.participant)
        self.client.get(URL)
        old = CalendarFeed.objects.get(user=self.participant).token
        response = self.client.post(URL)
        self.assertRedirects(response, URL)
        new = CalendarFeed.objects.get(user=self.participant).token
        self.assertNotEqual(new, old)
        self.assertGreaterEqual(len(new), 43)
        self.assertEqual(
            self.client.get(reverse("notifications:feed", args=[old])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("notifications:feed", args=[new])).status_code, 200
        )
        event = AuditEvent.objects.get(action="calendar_feed.rotated")
        self.assertEqual(event.actor, self.participant)
        self.assertNotIn(new, str(event.data))

    def test_a_post_with_unexpected_input_still_only_rotates_the_own_address(self):
        self.login(self.participant)
        victim_token = CalendarFeed.for_user(self.colleague).token
        response = self.client.post(URL, {"user": self.colleague.pk, "token": "chosen-by-me"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(CalendarFeed.objects.get(user=self.colleague).token, victim_token)
        self.assertNotEqual(CalendarFeed.objects.get(user=self.participant).token, "chosen-by-me")

    def test_other_methods_are_refused(self):
        self.login(self.participant)
        self.assertEqual(self.client.put(URL).status_code, 405)

    def test_the_number_of_queries_does_not_grow_with_the_days(self):
        register(self.participant, self.round, by=self.manager_a)
        self.login(self.participant)
        queries = count_queries(self.client, URL)
        for number in range(3):
            # One place per course: each of these rounds is of a course of its own.
            course = Course.objects.create(
                step=self.course.step, slug=f"kurs-{number}", title=f"Kurs {number}"
            )
            extra = make_round(course, self.region_x, name=f"Extra {number}", days=6)
            register(self.participant, extra, by=self.manager_a)
        with self.assertNumQueries(queries):
            response = self.client.get(URL)
        self.assertEqual(len(response.context["days"]), 4 + 18)
