"""The journey map on the participant's start page: stations, statuses, progress, the next
thing to do, the one-time notice of a new step, and a constant number of queries."""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from yrkesresan.catalog.models import Course, Journey, PreparationTask
from yrkesresan.core.testing import PersonaTestCase, count_queries, make_person, years_ago
from yrkesresan.enrolment.models import (
    DeepDiveAnswer,
    MakeUpDay,
    Placement,
    PreparationProgress,
    Registration,
    StepSeen,
)
from yrkesresan.enrolment.placement import enter_directly
from yrkesresan.learning.journey_map import (
    COMPLETED,
    NOT_STARTED,
    REGISTERED,
    WAITLISTED,
    journey_map_for,
    next_thing,
)
from yrkesresan.rounds.models import CourseDay, Round, Venue
from yrkesresan.rounds.testing import make_round

from .participant_support import (
    complete,
    dated_round,
    days_from_today,
    invite,
    past_round,
    register,
)

HOME = reverse("home:home")


def finish_preparation(person, course):
    for task in course.preparation_tasks.all():
        PreparationProgress.objects.create(person=person, task=task, done_at=timezone.now())


class MapTestCase(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ny, van = cls.steps["ny"], cls.steps["van"]
        cls.second = Course.objects.create(step=ny, slug="samtal", title="Samtal med barn", order=2)
        cls.third = Course.objects.create(step=ny, slug="dok", title="Dokumentation", order=3)
        cls.van_course = Course.objects.create(step=van, slug="van-kurs", title="Utredning Van")
        cls.venue = Venue.objects.create(
            structure=cls.region_x,
            name="Eskilstuna konferenscenter",
            address="Kungsgatan 12, Eskilstuna",
            capacity=40,
        )

    def map_of(self, person, now=None):
        return journey_map_for(person, now=now)

    def entries(self, journey_map):
        return {
            entry.course.slug: entry
            for station in journey_map.stations
            for entry in station.courses
        }


class StationTests(MapTestCase):
    def test_the_route_is_the_experience_steps_with_the_person_on_theirs(self):
        journey_map = self.map_of(self.participant)
        self.assertEqual([s.step.slug for s in journey_map.stations], ["ny", "van", "erfaren"])
        self.assertEqual([s.position for s in journey_map.stations], ["current", "ahead", "ahead"])
        self.assertEqual(journey_map.current.step.slug, "ny")

    def test_a_manager_placed_on_a_role_step_sees_it_as_their_station(self):
        Placement.objects.create(
            person=self.colleague,
            journey=self.journey,
            step=self.steps["chef"],
            source=Placement.Source.MANAGER,
            reason="Ny enhetschef",
        )
        journey_map = self.map_of(self.colleague)
        self.assertEqual(
            [(s.step.slug, s.position) for s in journey_map.stations],
            [("ny", "passed"), ("van", "passed"), ("erfaren", "passed"), ("chef", "current")],
        )

    def test_each_course_has_the_persons_status(self):
        round = make_round(self.course, self.region_x)
        register(self.participant, round)
        waiting = make_round(self.second, self.region_x)
        register(self.participant, waiting, Registration.Status.WAITLISTED)
        done = past_round(self.third, self.region_x)
        complete(register(self.participant, done))
        cancelled = make_round(self.van_course, self.region_x)
        register(self.participant, cancelled, Registration.Status.CANCELLED)

        entries = self.entries(self.map_of(self.participant))
        self.assertEqual(entries[self.course.slug].status, REGISTERED)
        self.assertEqual(entries["samtal"].status, WAITLISTED)
        self.assertEqual(entries["dok"].status, COMPLETED)
        self.assertEqual(entries["van-kurs"].status, NOT_STARTED)
        self.assertEqual(entries[self.course.slug].registration.round, round)
        self.assertEqual(self.map_of(self.participant).current.done_count, 1)

    def test_a_place_counts_before_a_waiting_list_place(self):
        first = make_round(self.course, self.region_x, name="Omgång A")
        second = make_round(self.course, self.region_x, name="Omgång B")
        register(self.participant, first, Registration.Status.WAITLISTED)
        register(self.participant, second)
        entry = self.entries(self.map_of(self.participant))[self.course.slug]
        self.assertEqual((entry.status, entry.registration.round), (REGISTERED, second))

    def test_preparation_progress_is_counted_for_courses_under_way(self):
        PreparationTask.objects.create(
            course=self.course, title="Film", kind="video", estimated_minutes=20, order=2
        )
        register(self.participant, make_round(self.course, self.region_x))
        PreparationProgress.objects.create(
            person=self.participant,
            task=self.course.preparation_tasks.first(),
            done_at=timezone.now(),
        )
        # Someone else's progress does not count.
        PreparationProgress.objects.create(
            person=self.colleague,
            task=self.course.preparation_tasks.last(),
            done_at=timezone.now(),
        )
        entry = self.entries(self.map_of(self.participant))[self.course.slug]
        self.assertEqual((entry.preparation_done, entry.preparation_total), (1, 2))

    def test_someone_entering_directly_sees_earlier_steps_as_optional(self):
        complete(register(self.participant, past_round(self.second, self.region_x)))
        enter_directly(self.participant, self.journey, self.steps["van"])
        journey_map = self.map_of(self.participant)
        self.assertEqual([s.position for s in journey_map.stations], ["passed", "current", "ahead"])
        entries = self.entries(journey_map)
        self.assertTrue(entries[self.course.slug].optional)
        self.assertTrue(entries["dok"].optional)
        self.assertFalse(entries["samtal"].optional)  # done, so not optional
        self.assertFalse(entries["van-kurs"].optional)
        self.login(self.participant)
        response = self.client.get(HOME)
        self.assertContains(response, 'aria-current="step"', count=1)
        with translation.override("sv"):
            self.assertContains(response, "· " + translation.gettext("optional"), count=2)


class ReadingTests(MapTestCase):
    """What the map reads, in the cases its few queries have to get right."""

    def test_no_published_journey_no_map(self):
        Journey.objects.update(status=Journey.Status.COMING)
        self.assertIsNone(self.map_of(self.participant))

    def test_the_first_published_journey_even_without_steps(self):
        Journey.objects.create(
            slug="tom", name="Tom resa", status=Journey.Status.PUBLISHED, order=0
        )
        journey_map = self.map_of(self.participant)
        self.assertEqual(journey_map.journey.slug, "tom")
        self.assertEqual(journey_map.stations, [])
        self.assertIsNone(journey_map.placement.step)

    def test_a_completion_counts_even_if_its_registration_was_cancelled_later(self):
        registration = register(self.participant, past_round(self.course, self.region_x))
        complete(registration)
        Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CANCELLED)
        journey_map = self.map_of(self.participant)
        entry = self.entries(journey_map)[self.course.slug]
        self.assertEqual(entry.status, COMPLETED)
        self.assertEqual(entry.registration.pk, registration.pk)
        self.assertEqual(journey_map.registrations, [])

    def test_days_make_up_days_and_answers_belong_to_their_own_registration(self):
        mine = register(self.participant, past_round(self.course, self.region_x, name="A"))
        theirs = register(self.colleague, past_round(self.course, self.region_x, name="B"))
        later = make_round(self.course, self.region_x, name="Senare", venue=self.venue)
        MakeUpDay.objects.create(registration=theirs, day=later.days.get(number=2))
        MakeUpDay.objects.create(registration=mine, day=later.days.get(number=1))
        task = self.course.deep_dive_tasks.get()
        DeepDiveAnswer.objects.create(registration=theirs, task=task, text="Deras")
        journey_map = self.map_of(self.participant)
        [active] = journey_map.active
        self.assertEqual([d.number for d in mine.round.days.all()], [1, 2, 3, 4])
        make_up = [day for day in active.days if getattr(day, "is_make_up", False)]
        self.assertEqual([(d.round_id, d.number) for d in make_up], [(later.pk, 1)])
        self.assertEqual(str(make_up[0].venue), self.venue.name)
        self.assertEqual(len(active.days), 5)
        self.assertEqual(active.deep_dive, [(task, None)])
        self.assertEqual(
            [day.number for day in journey_map.registrations[0].round.days.all()], [1, 2, 3, 4]
        )

    def test_an_entered_step_and_the_step_seen_are_read_with_the_catalog(self):
        enter_directly(self.participant, self.journey, self.steps["van"])
        StepSeen.objects.create(
            person=self.participant, journey=self.journey, step=self.steps["ny"]
        )
        journey_map = self.map_of(self.participant)
        self.assertEqual(journey_map.placement.step, self.steps["van"])
        self.assertEqual(journey_map.placement.source, Placement.Source.DIRECT_ENTRY)
        self.assertEqual(journey_map.step_seen.step, self.steps["ny"])
        self.assertEqual(journey_map.moved_up_to, self.steps["van"])


class StartPageTests(MapTestCase):
    def test_the_map_is_an_ordered_list_with_the_current_step_marked(self):
        register(self.participant, make_round(self.course, self.region_x))
        self.login(self.participant)
        response = self.client.get(HOME)
        html = response.content.decode()
        self.assertIn('<ol class="journey-route">', html)
        self.assertIn('aria-current="step"', html)
        self.assertEqual(html.count('class="station station--'), 3)
        self.assertContains(response, self.course.title)
        self.assertContains(response, reverse("participant:preparation", args=[self.course.slug]))
        round = Registration.objects.get(person=self.participant).round
        self.assertContains(response, reverse("participant:my_course", args=[round.pk]))
        self.assertContains(response, "journey.css")

    def test_progress_in_numbers(self):
        complete(register(self.participant, past_round(self.second, self.region_x)))
        self.login(self.participant)
        response = self.client.get(HOME)
        with translation.override("sv"):
            expected = translation.ngettext(
                "%(done)s of %(total)s course done on your step.",
                "%(done)s of %(total)s courses done on your step.",
                3,
            ) % {"done": 1, "total": 3}
        self.assertContains(response, expected)

    def test_people_without_a_start_date_are_sent_to_their_profile(self):
        self.login(self.coordinator_x)
        response = self.client.get(HOME)
        self.assertContains(response, reverse("accounts:profile"))
        self.assertNotContains(response, 'aria-current="step"')

    def test_other_roles_keep_their_sections(self):
        self.login(self.manager_a)
        response = self.client.get(HOME)
        self.assertTrue(response.context["team"]["rows"])
        self.assertTrue(response.context["my_journey"])


class NextThingTests(MapTestCase):
    def next_for(self, person, now=None):
        return self.map_of(person, now=now).next

    def test_unfinished_preparation_comes_first(self):
        round = make_round(self.course, self.region_x)
        register(self.participant, round)
        thing = self.next_for(self.participant)
        task = self.course.preparation_tasks.first()
        self.assertEqual(thing.kind, "preparation")
        self.assertIn("1", thing.text)
        self.assertIn(task.title, thing.text)
        self.assertEqual(
            thing.url,
            reverse("participant:preparation_module", args=[self.course.slug, task.pk]),
        )

    def test_then_the_next_course_day_with_time_and_place(self):
        round = make_round(self.course, self.region_x, venue=self.venue)
        register(self.participant, round)
        finish_preparation(self.participant, self.course)
        thing = self.next_for(self.participant)
        self.assertEqual(thing.kind, "course_day")
        self.assertIn("09:00", thing.text)
        self.assertIn("Eskilstuna konferenscenter", thing.text)
        self.assertIn("Kungsgatan 12", thing.text)
        day = round.days.get(number=1)
        self.assertTrue(thing.url.endswith(f"#dag-{day.pk}"))

    def test_a_digital_day_says_digital(self):
        round = dated_round(self.course, self.region_x, days_from_today(-6))
        register(self.participant, round)
        finish_preparation(self.participant, self.course)
        with translation.override("en"):
            thing = self.next_for(self.participant)
        self.assertIn("Course day 2", thing.text)  # day 1 was six days ago, day 2 is tomorrow
        self.assertIn("digital", thing.text)
        with translation.override("en"):
            weekday = round.days.get(number=2).date.strftime("%A")
            self.assertIn(weekday, thing.text)

    def test_a_course_day_today_or_tomorrow_comes_before_preparation(self):
        round = dated_round(self.course, self.region_x, days_from_today(1))
        register(self.participant, round)
        self.assertEqual(self.next_for(self.participant).kind, "course_day")

    def test_a_make_up_day_is_announced_as_such(self):
        round = past_round(self.course, self.region_x)
        registration = register(self.participant, round)
        finish_preparation(self.participant, self.course)
        later = make_round(self.course, self.region_x, name="Omgång senare")
        MakeUpDay.objects.create(registration=registration, day=later.days.get(number=3))
        with translation.override("en"):
            thing = self.next_for(self.participant)
        self.assertEqual(thing.kind, "course_day")
        self.assertIn("Make-up day: course day 3", thing.text)
        self.assertIn(f"/mina-kurser/{round.pk}/", thing.url)

    def test_after_the_last_day_hand_in_the_deep_dive_task(self):
        registration = register(self.participant, past_round(self.course, self.region_x))
        finish_preparation(self.participant, self.course)
        task = self.course.deep_dive_tasks.get()
        thing = self.next_for(self.participant)
        self.assertEqual(thing.kind, "deep_dive")
        self.assertIn(task.title, thing.text)
        self.assertTrue(thing.url.endswith(f"#uppgift-{task.pk}"))

        answer = DeepDiveAnswer.objects.create(
            registration=registration, task=task, text="Svar", status="submitted"
        )
        # Waiting for review: nothing for the participant to do; the other courses wait.
        self.assertEqual(self.next_for(self.participant).kind, "find_round")
        answer.status = DeepDiveAnswer.Status.NEEDS_MORE
        answer.save()
        with translation.override("en"):
            self.assertIn("Add to your answer", self.next_for(self.participant).text)

    def test_deep_dive_waits_until_the_last_day(self):
        round = dated_round(self.course, self.region_x, days_from_today(-14))
        register(self.participant, round)
        finish_preparation(self.participant, self.course)
        # Days 1–2 passed, 3 is in a week: the next day, not the deep-dive task.
        self.assertEqual(self.next_for(self.participant).kind, "course_day")

    def test_an_unanswered_evaluation(self):
        completion = complete(register(self.participant, past_round(self.course, self.region_x)))
        invitation = invite(completion)
        thing = self.next_for(self.participant)
        self.assertEqual(thing.kind, "evaluation")
        self.assertEqual(
            thing.url, reverse("evaluations:answer", args=[completion.registration.round_id])
        )
        invitation.answered = True
        invitation.save()
        self.assertNotEqual(self.next_for(self.participant).kind, "evaluation")

    def test_find_a_round_names_an_open_round_in_the_region(self):
        open_round = make_round(self.course, self.region_x, name="Omgång 7")
        make_round(
            self.course, self.region_y, name="Omgång Stockholm", first_day=days_from_today(5)
        )
        thing = self.next_for(self.participant)
        self.assertEqual(thing.kind, "find_round")
        self.assertIn(self.course.title, thing.text)
        self.assertIn("Omgång 7", thing.detail)
        self.assertEqual(thing.url, reverse("catalog:course", args=[self.course.slug]))
        open_round.status = Round.Status.DRAFT
        open_round.save()
        with translation.override("en"):
            self.assertIn("No round is open", self.next_for(self.participant).detail)

    def test_a_waiting_list_place_when_nothing_else_waits(self):
        for course in [self.course, self.second, self.third]:
            complete(
                register(self.participant, past_round(course, self.region_x, name=course.slug))
            )
        waiting = make_round(self.van_course, self.region_x)
        register(self.participant, waiting, Registration.Status.WAITLISTED)
        self.assertEqual(self.next_for(self.participant).kind, "waiting_list")

    def test_nothing_when_all_is_done(self):
        for course in [self.course, self.second, self.third]:
            complete(
                register(self.participant, past_round(course, self.region_x, name=course.slug))
            )
        journey_map = self.map_of(self.participant)
        self.assertIsNone(journey_map.next)
        self.assertTrue(journey_map.current.is_done)
        self.login(self.participant)
        with translation.override("sv"):
            text = translation.gettext("Nothing is waiting for you right now.")
        self.assertContains(self.client.get(HOME), text)

    def test_next_thing_is_a_plain_function_of_the_map_and_the_time(self):
        round = make_round(self.course, self.region_x, first_day=days_from_today(10))
        register(self.participant, round)
        finish_preparation(self.participant, self.course)
        journey_map = self.map_of(self.participant)
        last_day = round.days.get(number=4)
        after = last_day.ends() + datetime.timedelta(hours=1)
        self.assertEqual(next_thing(journey_map, timezone.now()).kind, "course_day")
        self.assertEqual(next_thing(journey_map, after).kind, "deep_dive")


class StepNoticeTests(MapTestCase):
    def test_the_first_visit_records_the_step_silently(self):
        self.login(self.participant)
        response = self.client.get(HOME)
        self.assertEqual(
            StepSeen.objects.get(person=self.participant, journey=self.journey).step.slug, "ny"
        )
        self.assertNotContains(response, 'id="steg-notis"')

    def test_moving_up_is_told_once_until_dismissed(self):
        StepSeen.objects.create(
            person=self.participant, journey=self.journey, step=self.steps["ny"]
        )
        self.participant.profession_started_on = years_ago(2, 10)
        self.participant.save()
        self.login(self.participant)
        response = self.client.get(HOME)
        with translation.override("sv"):
            notice = translation.gettext(
                "You have moved on to step %(step)s — here are its courses."
            ) % {"step": "Van"}
        self.assertContains(response, notice)
        self.assertContains(response, 'id="steg-notis"')
        # Seen again until dismissed.
        self.assertContains(self.client.get(HOME), notice)
        url = reverse("participant:step_seen", args=[self.journey.slug])
        self.assertRedirects(self.client.post(url), HOME)
        self.assertEqual(StepSeen.objects.get(person=self.participant).step.slug, "van")
        self.assertNotContains(self.client.get(HOME), 'id="steg-notis"')

    def test_dismissing_with_htmx_removes_the_notice(self):
        StepSeen.objects.create(
            person=self.participant, journey=self.journey, step=self.steps["ny"]
        )
        enter_directly(self.participant, self.journey, self.steps["erfaren"])
        self.login(self.participant)
        url = reverse("participant:step_seen", args=[self.journey.slug])
        response = self.client.post(url, headers={"HX-Request": "true"})
        self.assertEqual((response.status_code, response.content), (200, b""))
        self.assertEqual(StepSeen.objects.get(person=self.participant).step.slug, "erfaren")

    def test_dismissing_needs_a_post_and_a_login(self):
        url = reverse("participant:step_seen", args=[self.journey.slug])
        self.assertEqual(self.client.post(url).status_code, 302)
        self.login(self.participant)
        self.assertEqual(self.client.get(url).status_code, 405)
        coming = reverse("participant:step_seen", args=[self.elderly_journey.slug])
        self.assertEqual(self.client.post(coming).status_code, 404)

    def test_a_step_going_down_is_recorded_without_a_notice(self):
        StepSeen.objects.create(
            person=self.colleague, journey=self.journey, step=self.steps["erfaren"]
        )
        Placement.objects.create(
            person=self.colleague,
            journey=self.journey,
            step=self.steps["van"],
            source=Placement.Source.MANAGER,
            reason="Ny inom barn och unga",
        )
        self.login(self.colleague)
        self.assertNotContains(self.client.get(HOME), 'id="steg-notis"')
        self.assertEqual(StepSeen.objects.get(person=self.colleague).step.slug, "van")


class QueryCountTests(MapTestCase):
    def grow(self, person, size):
        """`size` more courses on every step, rounds of each with days, registrations,
        completions with invitations, make-up days, preparation and deep-dive answers."""
        for n in range(size):
            for step in ("ny", "van", "erfaren"):
                course = Course.objects.create(
                    step=self.steps[step], slug=f"{step}-{size}-{n}", title=f"Kurs {step} {n}"
                )
                task = PreparationTask.objects.create(
                    course=course, title=f"Modul {n}", kind="text", estimated_minutes=10
                )
                course.deep_dive_tasks.create(title=f"Uppgift {n}", instructions="Skriv.")
                PreparationProgress.objects.create(person=person, task=task, done_at=timezone.now())
            running = past_round(course, self.region_x, name=f"Pågår {size}-{n}")
            registration = register(person, running)
            later = make_round(course, self.region_x, name=f"Senare {size}-{n}", venue=self.venue)
            MakeUpDay.objects.create(registration=registration, day=later.days.first())
            DeepDiveAnswer.objects.create(
                registration=registration, task=course.deep_dive_tasks.get(), text="Utkast"
            )
            done_course = Course.objects.get(slug=f"ny-{size}-{n}")
            completion = complete(
                register(person, past_round(done_course, self.region_x, name=f"Klar {size}-{n}"))
            )
            invite(completion)
            waiting = make_round(
                Course.objects.get(slug=f"van-{size}-{n}"), self.region_x, name=f"Kö {size}-{n}"
            )
            register(person, waiting, Registration.Status.WAITLISTED)
            make_round(
                Course.objects.get(slug=f"ny-{size}-{n}"), self.region_x, name=f"Öppen {size}-{n}"
            )
            CourseDay.objects.filter(round=running).update(mode="physical", venue=self.venue)

    def test_the_start_page_makes_the_same_few_queries_whatever_the_data(self):
        small = make_person("liten@example.com", unit=self.unit_a, started=years_ago(1))
        large = make_person("stor@example.com", unit=self.unit_a, started=years_ago(1))
        self.grow(small, 1)
        self.grow(large, 6)
        self.client.force_login(small)
        small_count = count_queries(self.client, HOME)
        self.client.force_login(large)
        large_count = count_queries(self.client, HOME)
        self.assertEqual(small_count, large_count)
        # Session, then the user with their roles (the scope); then the journey map: catalog
        # with the journey's steps, registrations, days with make-up days, preparation,
        # deep-dive tasks with answers, open rounds nearby.
        self.assertEqual(large_count, 8)
        # The large map really has the data.
        journey_map = journey_map_for(large)
        statuses = {e.status for s in journey_map.stations for e in s.courses}
        self.assertEqual(statuses, {COMPLETED, REGISTERED, WAITLISTED, NOT_STARTED})
