from django.urls import reverse
from django.utils import timezone

from yrkesresan.accounts.models import User
from yrkesresan.catalog.models import Course
from yrkesresan.core.testing import PersonaTestCase, count_queries, make_person, years_ago
from yrkesresan.enrolment.models import DeepDiveAnswer, PreparationProgress, Registration
from yrkesresan.enrolment.placement import current_placement, enter_directly, override_placement
from yrkesresan.enrolment.services import register
from yrkesresan.learning.record import (
    needing_a_place,
    published_journeys,
    staff_rows,
    with_current_step,
)
from yrkesresan.rounds.testing import make_round

from .test_record import ENGLISH, complete, finished_round, second_course


class StaffListTests(PersonaTestCase):
    def rows(self, response):
        return {row.person.email: row for row in response.context["rows"]}

    def test_shows_each_persons_step_and_how_it_was_set(self):
        enter_directly(self.participant, self.journey, self.steps["van"])
        self.client.force_login(self.manager_a)
        response = self.client.get(reverse("learning:staff"))
        rows = self.rows(response)
        self.assertEqual(rows["deltagare@example.com"].placement.step.slug, "van")
        self.assertEqual(rows["deltagare@example.com"].placement.source, "direct_entry")
        self.assertEqual(rows["kollega@example.com"].placement.step.slug, "erfaren")

    def test_search_by_name(self):
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.get(reverse("learning:staff"), {"q": "familjehem"})
        self.assertEqual(list(self.rows(response)), ["familjehem@example.com"])

    def test_bad_filter_input_is_a_400_with_a_message(self):
        self.client.force_login(self.manager_a)
        response = self.client.get(reverse("learning:staff"), {"unit": "abc"}, headers=ENGLISH)
        self.assertContains(response, "The filter could not be used", status_code=400)


class StaffOverviewTestCase(PersonaTestCase):
    """Unit A: participant (Ny) registered with preparation half done and a deep-dive answer
    waiting; colleague (Erfaren, no course on that step); manager_a (no start date). Unit A2:
    other_unit_participant (Ny) with the course completed. Eskilstuna also has the contact."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.talking = second_course(cls)
        cls.running = make_round(cls.course, cls.region_x, name="Omgång 5")
        cls.registration = register(cls.participant, cls.running, by=cls.manager_a)
        cls.talking_round = make_round(cls.talking, cls.region_x, name="Samtal 1")
        cls.talking_registration = register(cls.participant, cls.talking_round, by=cls.manager_a)
        PreparationProgress.objects.create(
            person=cls.participant, task=cls.talking.preparation_tasks.first(), notes="Tankar"
        )
        DeepDiveAnswer.objects.create(
            registration=cls.registration,
            task=cls.course.deep_dive_tasks.first(),
            text="Mitt svar",
            status=DeepDiveAnswer.Status.SUBMITTED,
        )
        cls.done = finished_round(cls.course, cls.region_x, name="Omgång 1")
        complete(cls.other_unit_participant, cls.done, code="WXYZ-2345-6789")


class StaffOverviewTests(StaffOverviewTestCase):
    def rows(self, response):
        return {row.person.email: row for row in response.context["rows"]}

    def test_each_row_shows_done_under_way_preparation_and_tasks(self):
        self.client.force_login(self.contact_eskilstuna)
        response = self.client.get(reverse("learning:staff"), headers=ENGLISH)
        rows = self.rows(response)
        participant = rows["deltagare@example.com"]
        self.assertEqual(
            [
                (c.course.slug, c.preparation_done, c.preparation_total)
                for c in participant.under_way
            ],
            [
                ("handlaggning-med-barnet-i-centrum", 0, 1),
                ("samtal-med-barn", 0, 2),
            ],
        )
        self.assertEqual(participant.tasks_to_review, 1)
        self.assertEqual(participant.tasks_needing_more, 0)
        self.assertEqual(participant.completions, [])
        self.assertFalse(participant.needs_place)
        done = rows["familjehem@example.com"]
        self.assertEqual([c.course.slug for c in done.completions], [self.course.slug])
        self.assertEqual(done.under_way, [])
        # Completed the first course of Ny; the second still needs a place.
        self.assertEqual(done.needs_place_in, [self.talking])
        self.assertContains(response, "Samtal med barn")
        self.assertContains(response, "preparation 0 of 2")
        self.assertContains(response, "1 waiting for review")

    def test_preparation_counts_only_modules_marked_done(self):
        tasks = list(self.talking.preparation_tasks.all())
        PreparationProgress.objects.filter(person=self.participant, task=tasks[0]).update(
            done_at=timezone.now()
        )
        journey = published_journeys().first()
        people = User.objects.filter(pk=self.participant.pk).prefetch_related("placements")
        (row,) = staff_rows(people, journey)
        talking = next(c for c in row.under_way if c.course == self.talking)
        self.assertEqual((talking.preparation_done, talking.preparation_total), (1, 2))
        self.assertFalse(talking.preparation_finished)
        self.assertEqual(len(row.preparation_unfinished), 2)
        PreparationProgress.objects.create(
            person=self.participant, task=tasks[1], done_at=timezone.now()
        )
        (row,) = staff_rows(people, journey)
        self.assertEqual([c.course for c in row.preparation_unfinished], [self.course])

    def test_answers_sent_back_are_counted_apart(self):
        DeepDiveAnswer.objects.filter(registration=self.registration).update(
            status=DeepDiveAnswer.Status.NEEDS_MORE
        )
        DeepDiveAnswer.objects.create(
            registration=self.talking_registration,
            task=self.course.deep_dive_tasks.first(),
            text="Utkast",
            status=DeepDiveAnswer.Status.DRAFT,
        )
        journey = published_journeys().first()
        (row,) = staff_rows(User.objects.filter(pk=self.participant.pk), journey)
        self.assertEqual((row.tasks_to_review, row.tasks_needing_more), (0, 1))

    def test_who_needs_a_place(self):
        make_person("ny.kollega@example.com", unit=self.unit_a, started=years_ago(0, 40))
        waiting = make_person("kolista@example.com", unit=self.unit_a, started=years_ago(1))
        full = make_round(self.course, self.region_x, name="Full", seats=0)
        register(waiting, full, by=self.manager_a)
        cancelled = make_person("avbokad@example.com", unit=self.unit_a, started=years_ago(1))
        registration = register(cancelled, self.running, by=self.manager_a)
        registration.status = Registration.Status.CANCELLED
        registration.save()
        placed_up = make_person("hogre@example.com", unit=self.unit_a, started=years_ago(0, 10))
        override_placement(
            placed_up, self.journey, self.steps["erfaren"], reason="Lång erfarenhet", by=self.admin
        )
        # The participant has a place in both courses of Ny; the colleague is on Erfaren,
        # which has no course, and the manager has no step.
        self.client.force_login(self.manager_a)
        response = self.client.get(reverse("learning:staff"), {"needs_place": "on"})
        listed = self.rows(response)
        self.assertEqual(
            sorted(listed),
            ["avbokad@example.com", "kolista@example.com", "ny.kollega@example.com"],
        )
        self.assertEqual(
            [c.slug for c in listed["ny.kollega@example.com"].needs_place_in],
            ["handlaggning-med-barnet-i-centrum", "samtal-med-barn"],
        )
        # On the waiting list is not a place.
        self.assertEqual(
            [c.slug for c in listed["kolista@example.com"].needs_place_in],
            ["handlaggning-med-barnet-i-centrum", "samtal-med-barn"],
        )
        self.assertEqual(response.context["needing_a_place"], 3)
        everyone = self.rows(self.client.get(reverse("learning:staff")))
        self.assertEqual(
            sorted(email for email, row in everyone.items() if row.needs_place), sorted(listed)
        )

    def test_the_database_and_python_agree_on_the_current_step(self):
        journey = published_journeys().first()
        starts = [
            None,
            years_ago(0, -30),  # a start date in the future still counts as Ny
            years_ago(0),
            years_ago(2, -1),
            years_ago(2),
            years_ago(2, 1),
            years_ago(5, -1),
            years_ago(5),
            years_ago(40),
        ]
        people = [
            make_person(f"start{n}@example.com", unit=self.unit_a2, started=started)
            for n, started in enumerate(starts)
        ]
        enter_directly(people[2], journey, self.steps["erfaren"])
        annotated = {
            p.pk: p.current_step_id
            for p in with_current_step(User.objects.filter(pk__in=[p.pk for p in people]), journey)
        }
        for person in people:
            expected = current_placement(person, journey).step
            self.assertEqual(annotated[person.pk], expected.pk if expected else None, person.email)

    def test_a_person_on_a_step_without_courses_never_needs_a_place(self):
        journey = published_journeys().first()
        needing = needing_a_place(User.objects.filter(pk=self.colleague.pk), journey)
        self.assertFalse(needing.exists())
        Course.objects.create(
            step=self.steps["erfaren"], slug="svara-arenden", title="Svåra ärenden"
        )
        self.assertTrue(
            needing_a_place(User.objects.filter(pk=self.colleague.pk), journey).exists()
        )

    def test_the_staff_list_is_paginated_and_keeps_the_filter(self):
        for n in range(52):
            make_person(f"extra{n:02}@example.com", unit=self.unit_a, started=years_ago(1))
        self.client.force_login(self.manager_a)
        response = self.client.get(reverse("learning:staff"), {"needs_place": "on"})
        self.assertEqual(len(response.context["rows"]), 50)
        self.assertContains(response, "?needs_place=on&amp;sida=2")
        second = self.client.get(reverse("learning:staff"), {"needs_place": "on", "sida": 2})
        self.assertEqual(len(second.context["rows"]), 2)

    def add_staff(self, first, count, round):
        """`count` more people in unit A at every stage: some on Van, some registered with
        preparation done and a deep-dive answer sent back, some with the course completed."""
        for n in range(first, first + count):
            person = make_person(f"extra{n}@example.com", unit=self.unit_a, started=years_ago(1))
            if n % 2:
                enter_directly(person, self.journey, self.steps["van"])
            if n % 3 == 0:
                registration = register(
                    person, round, by=self.manager_a, step_mismatch_reason="Behövs."
                )
                DeepDiveAnswer.objects.create(
                    registration=registration,
                    task=self.course.deep_dive_tasks.first(),
                    text="Svar",
                    status=DeepDiveAnswer.Status.NEEDS_MORE,
                )
                PreparationProgress.objects.create(
                    person=person,
                    task=self.talking.preparation_tasks.first(),
                    done_at=timezone.now(),
                )
            if n % 5 == 0:
                complete(person, self.done, code=f"CODE-{n:04}")

    def test_query_count_does_not_grow_with_the_staff(self):
        self.client.force_login(self.contact_eskilstuna)
        url = reverse("learning:staff")
        extra_round = make_round(self.talking, self.region_x, name="Samtal 2")
        self.add_staff(0, 10, extra_round)
        small = count_queries(self.client, url)
        small_filtered = count_queries(self.client, url + "?needs_place=on")
        self.add_staff(10, 60, extra_round)
        self.assertEqual(count_queries(self.client, url), small)
        self.assertEqual(count_queries(self.client, url + "?needs_place=on"), small_filtered)
        self.assertLessEqual(small, 15)
        self.assertLessEqual(small_filtered, 15)
        response = self.client.get(url)
        self.assertEqual(len(response.context["rows"]), 50)
        self.assertEqual(response.context["page"].paginator.count, 75)
