"""Make-up days: a missed day taken in a later round of the same course, booked by the
coordinator; the person keeps their own round for the rest."""

import datetime

from django.core import mail
from django.test import override_settings
from django.urls import reverse

from yrkesresan.catalog.models import Course
from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import count_queries
from yrkesresan.enrolment import services as rounds_services
from yrkesresan.enrolment.attendance import (
    AttendanceError,
    attendance_sheet,
    book_make_up_day,
    cancel_make_up_day,
    days_attended,
    mark_attendance,
    missed_days,
)
from yrkesresan.enrolment.models import Attendance, MakeUpDay
from yrkesresan.enrolment.services import RegistrationError
from yrkesresan.rounds.models import Round

from .leader_helpers import (
    LeaderTestCase,
    add_people,
    days_ago,
    expected_statuses,
    make_round,
    register,
)

Status = Attendance.Status


class MakeUpTestCase(LeaderTestCase):
    """The round's participant missed day 2 (absent) and was present on days 1 and 3; a later
    round of the course in Region X starts next week, another one in Region Y."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for day, status in zip(
            cls.days[:3], [Status.PRESENT, Status.ABSENT, Status.PRESENT], strict=True
        ):
            Attendance.objects.create(registration=cls.reg, day=day, status=status)
        cls.later = make_round(
            cls.course, cls.region_x, name="Omgång 2", first_day=days_ago(-7), status="open"
        )
        cls.later_day2 = cls.later.days.get(number=2)
        cls.other_region = make_round(
            cls.course, cls.region_y, name="Stockholm 1", first_day=days_ago(-7), status="open"
        )


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class BookingTests(MakeUpTestCase):
    def book(self, day=None, registration=None, by=None):
        with self.captureOnCommitCallbacks(execute=True):
            return book_make_up_day(
                registration or self.reg, day or self.later_day2, by=by or self.coordinator_x
            )

    def test_the_coordinator_books_a_missed_day_and_the_person_is_told(self):
        self.assertEqual(missed_days(self.reg), [2])
        make_up = self.book()
        self.assertEqual(make_up.booked_by, self.coordinator_x)
        self.assertEqual(AuditEvent.objects.filter(action="make_up.booked").count(), 1)
        [message] = mail.outbox
        self.assertEqual(message.to, [self.participant.email])
        self.assertIn("Ersättningsdag bokad", message.subject)
        self.assertIn("Omgång 2", message.body)
        self.assertIn("https://meet.example.se/yrkesresan", message.body)
        # The person is on day 2 of the later round's list, shown with their own round.
        sheet = attendance_sheet(self.later, self.later_day2)
        [row] = [row for row in sheet.rows if row.registration == self.reg]
        self.assertEqual(row.make_up, make_up)

    def test_a_missed_day_is_made_up_in_a_later_round_that_refuses_a_second_place(self):
        # One live registration per course: the later round gives no place, only the day.
        with self.assertRaises(RegistrationError) as caught:
            rounds_services.register(self.participant, self.later, by=self.coordinator_x)
        self.assertEqual(caught.exception.round_id, self.round.pk)
        make_up = self.book()
        self.assertEqual((make_up.registration, make_up.day), (self.reg, self.later_day2))
        self.assertFalse(self.later.registrations.exists())

    def test_attending_the_make_up_day_makes_up_the_missed_day(self):
        self.book()
        today = self.later_day2.date
        self.assertIn(2, missed_days(self.reg))
        Attendance.objects.create(registration=self.reg, day=self.later_day2, status="present")
        self.assertEqual(days_attended(self.reg), {1, 2, 3})
        self.assertEqual(missed_days(self.reg, today=today), [])

    def test_the_same_day_cannot_be_booked_twice(self):
        self.book()
        third = make_round(
            self.course, self.region_x, name="Omgång 3", first_day=days_ago(-20), status="open"
        )
        with self.assertRaisesMessage(AttendanceError, "already booked on day 2 of Omgång 2"):
            self.book(third.days.get(number=2))

    def test_a_day_that_was_not_missed_is_refused(self):
        with self.assertRaisesMessage(AttendanceError, "has not missed day 3"):
            self.book(self.later.days.get(number=3))

    def test_a_day_of_another_course_is_refused(self):
        other_course = Course.objects.create(
            step=self.steps["van"], slug="annan-kurs", title="Annan kurs", course_days=4
        )
        other = make_round(other_course, self.region_x, name="Annan", first_day=days_ago(-7))
        with self.assertRaisesMessage(AttendanceError, "same course"):
            self.book(other.days.get(number=2))

    def test_the_own_round_is_refused(self):
        with self.assertRaisesMessage(AttendanceError, "later round"):
            self.book(self.days[1])

    def test_a_day_that_has_passed_is_refused(self):
        passed = make_round(
            self.course, self.region_x, name="Pågår", first_day=days_ago(10), status="running"
        )
        with self.assertRaisesMessage(AttendanceError, "already taken place"):
            self.book(passed.days.get(number=2))  # three days ago, after the missed day 2

    def test_a_round_that_takes_nobody_is_refused(self):
        for status in [Round.Status.CANCELLED, Round.Status.DRAFT, Round.Status.COMPLETED]:
            Round.objects.filter(pk=self.later.pk).update(status=status)
            self.later_day2.round.refresh_from_db()
            with (
                self.subTest(status=status),
                self.assertRaisesMessage(AttendanceError, "takes nobody"),
            ):
                self.book()

    def test_someone_already_in_the_later_round_is_refused(self):
        register(self.later, self.participant)
        with self.assertRaisesMessage(AttendanceError, "already has a place in Omgång 2"):
            self.book()

    def test_only_the_receiving_rounds_coordinator_books(self):
        for person in [self.coordinator_y, self.course_leader_x, self.trainer_x, self.manager_a]:
            with (
                self.subTest(person=person.email),
                self.assertRaisesMessage(AttendanceError, "may not book"),
            ):
                self.book(by=person)
        with self.assertRaisesMessage(AttendanceError, "may not book"):
            self.book(self.other_region.days.get(number=2))
        self.assertFalse(MakeUpDay.objects.exists())

    def test_cancelling_a_booking(self):
        make_up = self.book()
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            cancel_make_up_day(make_up, by=self.coordinator_x)
        self.assertFalse(MakeUpDay.objects.exists())
        self.assertIn("Avbokad", mail.outbox[0].subject)
        self.assertEqual(AuditEvent.objects.filter(action="make_up.cancelled").count(), 1)

    def test_a_booking_with_attendance_cannot_be_cancelled(self):
        make_up = self.book()
        Attendance.objects.create(registration=self.reg, day=self.later_day2, status="absent")
        with self.assertRaisesMessage(AttendanceError, "the booking stays"):
            cancel_make_up_day(make_up, by=self.coordinator_x)
        with self.assertRaisesMessage(AttendanceError, "may not cancel"):
            cancel_make_up_day(make_up, by=self.coordinator_y)

    def test_the_receiving_round_marks_the_make_up_day(self):
        make_up = self.book()
        day = make_up.day
        day.date = days_ago(0)
        day.save()
        day.round = self.later
        mark_attendance(self.reg, day, Status.PRESENT, by=self.trainer_x)
        self.assertIn(2, days_attended(self.reg))


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class MakeUpPageTests(MakeUpTestCase):
    def url(self):
        return reverse("leader:make_up_days", args=[self.round.pk])

    def test_who_may_open_the_page(self):
        expected = expected_statuses(trainer_x=403, course_leader_x=403)
        self.statuses("get", self.url(), expected)

    def test_who_may_book_and_cancel(self):
        data = {"registration": self.reg.pk, "day": self.later_day2.pk}
        book = reverse("leader:book_make_up", args=[self.round.pk])
        expected = expected_statuses(trainer_x=403, course_leader_x=403, coordinator_x=302)
        del expected["admin"]  # would book too; covered by coordinator_x
        self.statuses("post", book, expected, data)
        make_up = MakeUpDay.objects.get()
        cancel = reverse("leader:cancel_make_up", args=[self.round.pk, make_up.pk])
        self.statuses("post", cancel, expected)
        self.assertFalse(MakeUpDay.objects.exists())

    def test_the_page_offers_the_matching_days_of_later_rounds_in_the_region(self):
        self.login(self.coordinator_x)
        response = self.client.get(self.url())
        self.assertContains(response, "Deltagare Testsson")
        [row] = [r for r in response.context["rows"] if r["registration"] == self.reg]
        self.assertEqual(row["missed"], [2])
        [day2] = [item for item in row["to_book"] if item["number"] == 2]
        self.assertEqual([d.pk for d in day2["options"]], [self.later_day2.pk])
        self.assertContains(response, f'value="{self.later_day2.pk}"')
        self.assertNotContains(response, "Stockholm 1")  # another region's round

    def test_booking_from_the_page(self):
        self.login(self.coordinator_x)
        response = self.client.post(
            reverse("leader:book_make_up", args=[self.round.pk]),
            {"registration": self.reg.pk, "day": self.later_day2.pk},
            follow=True,
        )
        self.assertContains(response, "is booked on day 2 of Omgång 2")
        self.assertEqual(MakeUpDay.objects.get().day, self.later_day2)
        self.assertContains(response, "Cancel the booking")

    def test_a_refused_booking_is_400_with_the_reason(self):
        self.login(self.coordinator_x)
        url = reverse("leader:book_make_up", args=[self.round.pk])
        response = self.client.post(
            url, {"registration": self.reg.pk, "day": self.later.days.get(number=3).pk}
        )
        self.assertContains(response, "has not missed day 3", status_code=400)
        response = self.client.post(
            url, {"registration": self.reg.pk, "day": self.other_region.days.first().pk}
        )
        self.assertContains(response, "cannot be booked as a make-up day", status_code=400)
        response = self.client.post(url, {"registration": self.reg.pk})
        self.assertContains(response, "Choose a day", status_code=400)
        self.assertFalse(MakeUpDay.objects.exists())

    def test_queries_do_not_grow_with_the_round(self):
        self.login(self.coordinator_x)
        small = count_queries(self.client, self.url())
        for registration in add_people(self.round, 12, prefix="mist", unit=self.unit_kumla):
            Attendance.objects.create(registration=registration, day=self.days[0], status="absent")
        for n in range(3):
            make_round(
                self.course,
                self.region_x,
                name=f"Extra {n}",
                first_day=days_ago(-10 - n * 7),
                status="open",
            )
        large = count_queries(self.client, self.url())
        self.assertEqual(small, large)
        self.assertLessEqual(large, 14)


class MissedDayTimingTests(MakeUpTestCase):
    def test_a_booking_in_the_past_that_was_missed_again_does_not_block(self):
        passed = make_round(
            self.course, self.region_x, name="Förra", first_day=days_ago(10), status="running"
        )
        day = passed.days.get(number=2)
        MakeUpDay.objects.create(registration=self.reg, day=day)
        Attendance.objects.create(registration=self.reg, day=day, status="absent")
        with self.captureOnCommitCallbacks(execute=True):
            book_make_up_day(self.reg, self.later_day2, by=self.coordinator_x)
        self.assertEqual(MakeUpDay.objects.filter(registration=self.reg).count(), 2)
        self.assertEqual(day.date, days_ago(10) + datetime.timedelta(days=7))
