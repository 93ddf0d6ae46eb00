"""Attendance per course day: the service, the list for one day, and the tablet page."""

import datetime

from django.test import override_settings
from django.urls import reverse

from yrkesresan.core.models import AuditEvent
from yrkesresan.core.testing import count_queries, make_person, years_ago
from yrkesresan.enrolment.attendance import (
    AttendanceError,
    attendance_sheet,
    day_overview,
    days_attended,
    mark_attendance,
    missed_days,
)
from yrkesresan.enrolment.models import Attendance, Completion, MakeUpDay
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


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class MarkAttendanceTests(LeaderTestCase):
    def test_marking_and_changing_a_mark(self):
        day = self.days[0]
        mark_attendance(self.reg, day, Status.ABSENT, by=self.trainer_x)
        attendance = mark_attendance(self.reg, day, Status.PRESENT, by=self.course_leader_x)
        self.assertEqual(Attendance.objects.filter(registration=self.reg, day=day).count(), 1)
        self.assertEqual(attendance.status, Status.PRESENT)
        self.assertEqual(attendance.marked_by, self.course_leader_x)
        event = AuditEvent.objects.filter(action="attendance.marked").first()
        self.assertEqual(event.actor, self.course_leader_x)
        self.assertEqual(event.data["status"], "present")

    def test_partly_present_needs_a_note_and_present_drops_it(self):
        day = self.days[1]
        with self.assertRaisesMessage(AttendanceError, "short note"):
            mark_attendance(self.reg, day, Status.PARTLY, note="  ", by=self.trainer_x)
        self.assertFalse(Attendance.objects.exists())
        partly = mark_attendance(
            self.reg, day, Status.PARTLY, note=" Gick 13.00 ", by=self.trainer_x
        )
        self.assertEqual(partly.note, "Gick 13.00")
        present = mark_attendance(self.reg, day, Status.PRESENT, note="x", by=self.trainer_x)
        self.assertEqual(present.note, "")

    def test_a_note_has_a_limit(self):
        with self.assertRaisesMessage(AttendanceError, "at most 300"):
            mark_attendance(self.reg, self.days[0], Status.PARTLY, note="x" * 301, by=self.admin)

    def test_an_unknown_status_is_refused(self):
        with self.assertRaisesMessage(AttendanceError, "present, absent or partly"):
            mark_attendance(self.reg, self.days[0], "maybe", by=self.admin)

    def test_a_day_to_come_cannot_be_marked(self):
        future = make_round(self.course, self.region_x, name="Senare")
        registration = register(future, self.colleague)
        with self.assertRaisesMessage(AttendanceError, "can be marked from that day"):
            mark_attendance(registration, future.days.first(), Status.PRESENT, by=self.admin)

    def test_today_can_be_marked(self):
        today = self.days[3]
        self.assertEqual(today.date, days_ago(0))
        mark_attendance(self.reg, today, Status.PRESENT, by=self.trainer_x)

    def test_only_people_with_a_place_and_only_their_days(self):
        with self.assertRaisesMessage(AttendanceError, "has no place"):
            mark_attendance(self.cancelled_reg, self.days[0], Status.PRESENT, by=self.admin)
        other = make_round(self.course, self.region_x, name="Annan", first_day=days_ago(30))
        with self.assertRaisesMessage(AttendanceError, "not booked on this day"):
            mark_attendance(self.reg, other.days.first(), Status.PRESENT, by=self.admin)

    def test_only_those_who_run_the_round_mark(self):
        for person in [self.coordinator_y, self.participant, self.manager_a, self.editor]:
            with (
                self.subTest(person=person.email),
                self.assertRaisesMessage(AttendanceError, "may not mark"),
            ):
                mark_attendance(self.reg, self.days[0], Status.PRESENT, by=person)
        for person in [self.coordinator_x, self.trainer_x, self.course_leader_x, self.admin]:
            mark_attendance(self.reg, self.days[0], Status.PRESENT, by=person)

    def test_attendance_is_frozen_once_the_course_is_complete(self):
        Completion.objects.create(
            registration=self.reg,
            person=self.participant,
            course=self.course,
            completed_on=days_ago(0),
            verification_code="AAAA-BBBB-CCCC",
        )
        with self.assertRaisesMessage(AttendanceError, "marked complete"):
            mark_attendance(self.reg, self.days[0], Status.ABSENT, by=self.course_leader_x)


class DaysAttendedTests(LeaderTestCase):
    def test_only_present_counts_and_partly_does_not_until_changed(self):
        mark_attendance(self.reg, self.days[0], Status.PRESENT, by=self.admin)
        mark_attendance(self.reg, self.days[1], Status.PARTLY, note="Gick 12", by=self.admin)
        mark_attendance(self.reg, self.days[2], Status.ABSENT, by=self.admin)
        self.assertEqual(days_attended(self.reg), {1})
        self.assertEqual(missed_days(self.reg), [2, 3])  # day 4 is not marked yet
        mark_attendance(self.reg, self.days[1], Status.PRESENT, by=self.admin)
        self.assertEqual(days_attended(self.reg), {1, 2})
        self.assertEqual(missed_days(self.reg), [3])

    def test_days_to_come_and_days_not_marked_are_not_missed(self):
        mark_attendance(self.reg, self.days[0], Status.ABSENT, by=self.admin)
        mark_attendance(self.reg, self.days[2], Status.ABSENT, by=self.admin)
        self.assertEqual(missed_days(self.reg, today=self.days[1].date), [1])
        self.assertEqual(missed_days(self.kumla_reg), [])

    def test_a_make_up_day_counts_for_its_number(self):
        later = make_round(
            self.course,
            self.region_x,
            name="Senare",
            first_day=days_ago(14) + datetime.timedelta(1),
        )
        make_up_day = later.days.get(number=1)  # 13 days ago: after day 1 of the round
        MakeUpDay.objects.create(registration=self.reg, day=make_up_day)
        mark_attendance(self.reg, self.days[0], Status.ABSENT, by=self.admin)
        mark_attendance(self.reg, make_up_day, Status.PRESENT, by=self.admin)
        self.assertEqual(days_attended(self.reg), {1})
        self.assertNotIn(1, missed_days(self.reg))


class SheetTests(LeaderTestCase):
    def test_the_sheet_lists_the_registered_and_the_make_up_people_with_counts(self):
        earlier = make_round(self.course, self.region_x, name="Tidigare", first_day=days_ago(60))
        visitor = make_person("gast@example.com", unit=self.unit_kumla, started=years_ago(1))
        visiting = register(earlier, visitor)
        day = self.days[1]
        MakeUpDay.objects.create(registration=visiting, day=day)
        mark_attendance(self.reg, day, Status.PRESENT, by=self.admin)
        mark_attendance(self.kumla_reg, day, Status.PARTLY, note="Gick 14", by=self.admin)
        mark_attendance(visiting, day, Status.ABSENT, by=self.admin)
        sheet = attendance_sheet(self.round, day)
        people = [row.person for row in sheet.rows]
        self.assertEqual(len(people), 4)
        self.assertNotIn(self.colleague, people)  # cancelled
        self.assertIn(visitor, people)
        [visit] = [row for row in sheet.rows if row.person == visitor]
        self.assertEqual(visit.make_up.registration.round, earlier)
        counts = sheet.counts
        self.assertEqual(
            (counts.present, counts.absent, counts.partly, counts.unmarked), (1, 1, 1, 1)
        )
        self.assertEqual(counts.total, 4)
        self.assertTrue(sheet.markable)
        overview = {d.number: d.counts for d in day_overview(self.round)}
        self.assertEqual(overview[2].present, 1)
        self.assertEqual(overview[2].unmarked, 1)
        self.assertEqual(overview[1].unmarked, 3)


# Messages are checked in their English source; the pages' Swedish shows in the browser tests.
@override_settings(LANGUAGE_CODE="en")
class AttendancePageTests(LeaderTestCase):
    def sheet_url(self, number=2):
        return reverse("leader:attendance", args=[self.round.pk, number])

    def mark_url(self, registration=None, number=2):
        registration = registration or self.reg
        return reverse("leader:mark_attendance", args=[self.round.pk, number, registration.pk])

    def test_who_may_open_the_pages(self):
        expected = expected_statuses()
        self.statuses("get", reverse("leader:attendance_days", args=[self.round.pk]), expected)
        self.statuses("get", self.sheet_url(), expected)

    def test_who_may_mark(self):
        expected = expected_statuses(
            coordinator_x=302, trainer_x=302, course_leader_x=302, admin=302
        )
        self.statuses("post", self.mark_url(), expected, {"status": "present"})
        self.assertEqual(Attendance.objects.filter(registration=self.reg).count(), 1)

    def test_unknown_round_day_or_person_is_404(self):
        self.login(self.course_leader_x)
        self.assertEqual(
            self.client.get(reverse("leader:attendance", args=[999999, 1])).status_code, 404
        )
        self.assertEqual(self.client.get(self.sheet_url(number=9)).status_code, 404)
        response = self.client.post(self.mark_url(self.cancelled_reg), {"status": "present"})
        self.assertEqual(response.status_code, 404)

    @override_settings(LANGUAGE_CODE="sv")
    def test_the_page_lists_the_people_in_swedish_by_default(self):
        self.login(self.trainer_x)
        response = self.client.get(self.sheet_url())
        self.assertContains(response, '<html lang="sv">')
        self.assertContains(response, "Testsson, Deltagare")
        self.assertNotContains(response, "kollega@example.com")
        self.assertContains(response, 'id="attendance-counts" role="status"')

    def test_a_plain_post_marks_and_returns_to_the_row(self):
        self.login(self.course_leader_x)
        response = self.client.post(self.mark_url(), {"status": "present"})
        self.assertRedirects(response, self.sheet_url() + f"#rad-{self.reg.pk}")
        self.assertEqual(Attendance.objects.get(registration=self.reg).status, "present")
        page = self.client.get(self.sheet_url())
        self.assertContains(page, 'role="status"')
        self.assertContains(page, "Deltagare Testsson")

    def test_htmx_gets_the_row_and_the_counts(self):
        self.login(self.trainer_x)
        response = self.client.post(self.mark_url(), {"status": "absent"}, HTTP_HX_REQUEST="true")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn(f'id="rad-{self.reg.pk}"', html)
        self.assertIn('aria-pressed="true"', html)
        self.assertIn('hx-swap-oob="innerHTML"', html)
        self.assertEqual(html.count("<li"), 1)  # only the row, not the page
        self.assertEqual(response.context["sheet"].counts.absent, 1)

    def test_partly_without_a_note_is_400_with_the_reason(self):
        self.login(self.trainer_x)
        response = self.client.post(self.mark_url(), {"status": "partly", "note": ""})
        self.assertContains(response, "short note", status_code=400)
        self.assertFalse(Attendance.objects.exists())
        response = self.client.post(
            self.mark_url(), {"status": "partly", "note": ""}, HTTP_HX_REQUEST="true"
        )
        self.assertContains(response, "short note", status_code=400)
        self.assertContains(response, 'role="alert"', status_code=400)
        response = self.client.post(self.mark_url(), {"status": "partly", "note": "Gick 13"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Attendance.objects.get().note, "Gick 13")

    def test_bad_status_is_400(self):
        self.login(self.trainer_x)
        response = self.client.post(self.mark_url(), {"status": "kanske"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Attendance.objects.exists())

    def test_a_day_to_come_shows_the_list_without_buttons_and_refuses_marks(self):
        future = make_round(self.course, self.region_x, name="Senare", status=Round.Status.OPEN)
        register(future, self.colleague)
        self.login(self.course_leader_x)
        url = reverse("leader:attendance", args=[future.pk, 1])
        response = self.client.get(url)
        self.assertContains(response, "Attendance can be marked from that day")
        self.assertNotContains(response, 'name="status"')
        registration = future.registrations.get()
        mark = reverse("leader:mark_attendance", args=[future.pk, 1, registration.pk])
        response = self.client.post(mark, {"status": "present"})
        self.assertContains(response, "can be marked from that day", status_code=400)

    def test_the_day_overview_counts(self):
        mark_attendance(self.reg, self.days[0], Status.PRESENT, by=self.admin)
        self.login(self.trainer_x)
        response = self.client.get(reverse("leader:attendance_days", args=[self.round.pk]))
        self.assertEqual(response.context["days"][0].counts.present, 1)
        self.assertContains(response, reverse("leader:attendance", args=[self.round.pk, 4]))

    def test_queries_do_not_grow_with_the_list(self):
        self.login(self.course_leader_x)
        url = self.sheet_url()
        overview = reverse("leader:attendance_days", args=[self.round.pk])
        small, small_overview = (
            count_queries(self.client, url),
            count_queries(self.client, overview),
        )
        people = add_people(self.round, 20, prefix="fler", unit=self.unit_kumla)
        for registration in people[:10]:
            mark_attendance(registration, self.days[1], Status.PRESENT, by=self.admin)
        earlier = make_round(self.course, self.region_x, name="Tidigare", first_day=days_ago(60))
        for registration in add_people(earlier, 5, prefix="gast", unit=self.unit_a2):
            MakeUpDay.objects.create(registration=registration, day=self.days[1])
        large = count_queries(self.client, url)
        self.assertEqual(small, large)
        # Session, user, round, roles, the days, the day's make-up bookings and the list.
        self.assertLessEqual(large, 7)
        self.assertEqual(small_overview, count_queries(self.client, overview))
        response = self.client.get(url)
        self.assertEqual(len(response.context["sheet"].rows), 3 + 20 + 5)
