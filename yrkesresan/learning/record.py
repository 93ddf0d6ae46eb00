"""The learning record: what belongs to the person and follows them between employers.

`record_of(person)` gathers one person's record (current steps, completed courses with their
certificates, courses under way, changes of employer) in a constant number of queries.
`staff_rows(people, journey)` does the same in summary for a page of a manager's staff list,
and `needing_a_place(people, journey)` filters a staff queryset in the database.

Definitions shared by the pages:
- A course is *under way* for a person who has an active registration (registered or on the
  waiting list) in a round that is still on (not completed or cancelled), or who has a make-up
  day booked in such a round, and who has not completed the course.
- A person *has a place* for a course when such a registration is a registered seat.
- A person *needs a place* when their current step has a course they have neither completed
  nor have a place for.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    Count,
    Exists,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from yrkesresan.accounts.models import EmployerChange
from yrkesresan.catalog.models import Course, Journey, PreparationTask, Step
from yrkesresan.core.pdf import pdf_text
from yrkesresan.core.reversing import row_urls
from yrkesresan.enrolment.models import (
    Completion,
    DeepDiveAnswer,
    MakeUpDay,
    Placement,
    PreparationProgress,
    Registration,
)
from yrkesresan.enrolment.placement import current_placement
from yrkesresan.rounds.models import Round

# Rounds that are still on: a place in one of them is a place.
ONGOING_ROUND = [Round.Status.OPEN, Round.Status.CLOSED, Round.Status.RUNNING]
ACTIVE_REGISTRATION = [Registration.Status.REGISTERED, Registration.Status.WAITLISTED]


def published_journeys():
    """Published journeys with their steps and the steps' courses prefetched."""
    return Journey.objects.filter(status=Journey.Status.PUBLISHED).prefetch_related(
        Prefetch("steps", queryset=Step.objects.prefetch_related("courses"))
    )


def _ongoing():
    """Registration condition: its round is still on, or it has a make-up day in one that is."""
    return Q(round__status__in=ONGOING_ROUND) | Exists(
        MakeUpDay.objects.filter(registration=OuterRef("pk"), day__round__status__in=ONGOING_ROUND)
    )


def under_way(registrations):
    """The registrations among `registrations` whose course is under way (see module doc)."""
    completed = Completion.objects.filter(
        person_id=OuterRef("person_id"), course_id=OuterRef("round__course_id")
    )
    return registrations.filter(_ongoing(), status__in=ACTIVE_REGISTRATION).exclude(
        Exists(completed)
    )


def _with_days(registrations):
    return registrations.select_related("round__course__step", "round__structure").annotate(
        first_day=Min("round__days__date"), last_day=Max("round__days__date")
    )


# One person's record ----------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    person: object
    steps: list  # [(Journey, CurrentPlacement)] for every published journey
    completions: list  # [Completion] with course, round and structure, newest first
    under_way: list  # [Registration] annotated with first_day and last_day
    employer_changes: list  # [EmployerChange], newest first
    generated_at: datetime.datetime = field(default_factory=timezone.now)


def record_of(person):
    """The person's record, in six queries whatever its size."""
    placements = list(Placement.objects.filter(person=person).select_related("step"))
    journeys = list(
        Journey.objects.filter(status=Journey.Status.PUBLISHED).prefetch_related("steps")
    )
    completions = list(
        Completion.objects.filter(person=person)
        .select_related("course__step__journey", "registration__round__structure")
        .order_by("-completed_on", "course_title")
    )
    registrations = list(
        _with_days(under_way(Registration.objects.filter(person=person))).order_by(
            "first_day", "round__course__title"
        )
    )
    changes = list(
        EmployerChange.objects.filter(person=person)
        .select_related("from_municipality", "from_unit", "to_municipality", "to_unit")
        .order_by("-moved_on", "-recorded_at")
    )
    return Record(
        person=person,
        steps=[(journey, current_placement(person, journey, placements)) for journey in journeys],
        completions=completions,
        under_way=registrations,
        employer_changes=changes,
    )


# The JSON download ------------------------------------------------------------------------

RECORD_FORMAT = "yrkesresan-record"
RECORD_FORMAT_VERSION = 1


def _date(value):
    return value.isoformat() if value else None


def record_as_dict(record, *, verification_url=None):
    """The record in its documented, stable JSON shape (version 1).

    Keys are never renamed or removed within a version; new keys may be added.

        {
          "format": "yrkesresan-record", "version": 1,
          "generated_at": ISO 8601 date-time,
          "person": {"name", "first_name", "last_name", "email", "title",
                     "started_in_profession": date or null,
                     "employer": {"municipality", "municipality_code", "unit"} or null},
          "steps": [{"journey", "journey_name", "step", "step_name",
                     "decided": "suggested" | "direct_entry" | "manager"}],
          "completions": [{"course", "course_title", "journey", "step", "completed_on",
                           "round", "term", "organised_by", "verification_code",
                           "verification_url", "course_version", "journey_name",
                           "step_name",
                           "days": [{"number", "date", "starts_at", "ends_at",
                                     "mode": "physical" | "digital", "make_up_round"}],
                           "hours"}],
          "registrations": [{"course", "course_title", "round", "term", "organised_by",
                             "status": "registered" | "waitlisted",
                             "first_day", "last_day"}],
          "employer_changes": [{"moved_on", "from_municipality", "from_unit",
                                "to_municipality", "to_unit"}]
        }

    Dates are ISO 8601 (YYYY-MM-DD), times HH:MM; `course`, `journey` and `step` are the
    catalog's slugs. A completion's titles, names, version and days are what was taught, as
    the completion keeps them (the certificate says the same): `days` are the course days the
    person attended (`make_up_round` names the round of a make-up day, "" otherwise) and
    `hours` their scheduled hours. `verification_url(completion)` gives the public page that
    confirms its certificate.
    """
    person = record.person
    municipality = person.municipality
    return {
        "format": RECORD_FORMAT,
        "version": RECORD_FORMAT_VERSION,
        "generated_at": record.generated_at.isoformat(),
        "person": {
            "name": person.get_full_name(),
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "title": person.title,
            "started_in_profession": _date(person.profession_started_on),
            "employer": (
                {
                    "municipality": municipality.name,
                    "municipality_code": municipality.code,
                    "unit": person.unit.name if person.unit else None,
                }
                if municipality
                else None
            ),
        },
        "steps": [
            {
                "journey": journey.slug,
                "journey_name": journey.name,
                "step": placement.step.slug,
                "step_name": placement.step.name,
                "decided": placement.source,
            }
            for journey, placement in record.steps
            if placement.step is not None
        ],
        "completions": [
            {
                "course": completion.course.slug,
                "course_title": completion.course_title,
                "journey": completion.course.step.journey.slug,
                "step": completion.course.step.slug,
                "completed_on": _date(completion.completed_on),
                "round": completion.registration.round.name,
                "term": completion.registration.round.term,
                "organised_by": str(completion.registration.round.structure),
                "verification_code": completion.verification_code,
                "verification_url": verification_url(completion) if verification_url else None,
                "course_version": completion.course_version,
                "journey_name": completion.journey_name,
                "step_name": completion.step_name,
                "days": completion.attended_days,
                "hours": completion.hours,
            }
            for completion in record.completions
        ],
        "registrations": [
            {
                "course": registration.round.course.slug,
                "course_title": registration.round.course.title,
                "round": registration.round.name,
                "term": registration.round.term,
                "organised_by": str(registration.round.structure),
                "status": registration.status,
                "first_day": _date(registration.first_day),
                "last_day": _date(registration.last_day),
            }
            for registration in record.under_way
        ],
        "employer_changes": [
            {
                "moved_on": _date(change.moved_on),
                "from_municipality": (
                    change.from_municipality.name if change.from_municipality else None
                ),
                "from_unit": change.from_unit.name if change.from_unit else None,
                "to_municipality": change.to_municipality.name,
                "to_unit": change.to_unit.name if change.to_unit else None,
            }
            for change in record.employer_changes
        ],
    }


def record_as_json(record, **kwargs):
    return json.dumps(record_as_dict(record, **kwargs), ensure_ascii=False, indent=2)


# The manager's view: many records in summary ------------------------------------------------


@dataclass(frozen=True)
class CourseUnderWay:
    registration: object  # Registration with round and course
    preparation_done: int
    preparation_total: int

    @property
    def course(self):
        return self.registration.round.course

    @property
    def has_place(self):
        return self.registration.status == Registration.Status.REGISTERED

    @property
    def preparation_finished(self):
        return self.preparation_done >= self.preparation_total


@dataclass(frozen=True)
class StaffRow:
    person: object
    placement: object  # CurrentPlacement on the list's journey, or None without one
    completions: list  # [Completion]
    under_way: list  # [CourseUnderWay]
    tasks_to_review: int  # deep-dive answers submitted, waiting for the course leader
    tasks_needing_more: int  # deep-dive answers sent back to the person
    needs_place_in: list  # [Course] of the current step with neither completion nor place
    # Worked out once per list rather than by the template per row: the person's page and
    # "N years in the profession" ("" when the start date is unknown).
    url: str = ""
    years_label: str = ""

    @property
    def needs_place(self):
        return bool(self.needs_place_in)

    @property
    def preparation_unfinished(self):
        return [course for course in self.under_way if not course.preparation_finished]


def preparation_counts(person_ids, course_ids):
    """({(person id, course id): modules done}, {course id: modules in all}) in two queries.

    The same counts as preparation.preparation_done_counts/preparation_total, for many courses
    at once.
    """
    done_rows = (
        PreparationProgress.objects.filter(
            person_id__in=person_ids, task__course_id__in=course_ids, done_at__isnull=False
        )
        .values("person_id", "task__course_id")
        .annotate(done=Count("pk"))
        .order_by()
    )
    done = {(row["person_id"], row["task__course_id"]): row["done"] for row in done_rows}
    total_rows = (
        PreparationTask.objects.filter(course_id__in=course_ids)
        .values("course_id")
        .annotate(total=Count("pk"))
        .order_by()
    )
    totals = {row["course_id"]: row["total"] for row in total_rows}
    return done, totals


def staff_rows(people, journey):
    """A StaffRow per person, in five queries for any number of people.

    `people` should have `placements` prefetched with their steps; `journey` (or None) should
    come from published_journeys() so its steps and their courses are prefetched.
    """
    people = list(people)
    ids = [person.pk for person in people]
    completions = {}
    for completion in Completion.objects.filter(person_id__in=ids):
        completions.setdefault(completion.person_id, []).append(completion)
    registrations = {}
    for registration in _with_days(
        under_way(Registration.objects.filter(person_id__in=ids))
    ).order_by("first_day", "round__course__title"):
        registrations.setdefault(registration.person_id, []).append(registration)
    course_ids = {r.round.course_id for rows in registrations.values() for r in rows}
    done, totals = preparation_counts(ids, course_ids) if course_ids else ({}, {})
    tasks = {}
    for row in (
        DeepDiveAnswer.objects.filter(
            registration__person_id__in=ids,
            status__in=[DeepDiveAnswer.Status.SUBMITTED, DeepDiveAnswer.Status.NEEDS_MORE],
        )
        .values("registration__person_id", "status")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        tasks[(row["registration__person_id"], row["status"])] = row["count"]

    steps = {step.pk: step for step in journey.steps.all()} if journey else {}
    person_url = row_urls("learning:person")
    today = timezone.localdate()
    rows = []
    for person in people:
        years = person.years_in_profession(today)
        placement = current_placement(person, journey, person.placements.all()) if journey else None
        mine = registrations.get(person.pk, [])
        completed = {c.course_id for c in completions.get(person.pk, [])}
        placed = {r.round.course_id for r in mine if r.status == Registration.Status.REGISTERED}
        # The journey's own step objects carry the prefetched courses; a placement's do not.
        step = steps.get(placement.step.pk) if placement and placement.step else None
        step_courses = step.courses.all() if step else []
        rows.append(
            StaffRow(
                person=person,
                placement=placement,
                completions=completions.get(person.pk, []),
                under_way=[
                    CourseUnderWay(
                        registration=r,
                        preparation_done=done.get((person.pk, r.round.course_id), 0),
                        preparation_total=totals.get(r.round.course_id, 0),
                    )
                    for r in mine
                ],
                tasks_to_review=tasks.get((person.pk, DeepDiveAnswer.Status.SUBMITTED), 0),
                tasks_needing_more=tasks.get((person.pk, DeepDiveAnswer.Status.NEEDS_MORE), 0),
                needs_place_in=[
                    c for c in step_courses if c.pk not in completed and c.pk not in placed
                ],
                url=person_url(person.pk),
                years_label=""
                if years is None
                else ngettext(
                    "%(counter)s year in the profession",
                    "%(counter)s years in the profession",
                    years,
                )
                % {"counter": years},
            )
        )
    return rows


def with_current_step(people, journey, on=None):
    """Annotate `current_step_id`: the database's twin of services.current_placement.

    A placement row wins; otherwise Journey.suggested_step, as its database expression (the
    step for the person's role at work, else the one for their years in the profession).
    `journey.steps` should be prefetched.
    """
    on = on or timezone.localdate()
    placed = Placement.objects.filter(person=OuterRef("pk"), journey=journey).values("step_id")[:1]
    return people.annotate(
        current_step_id=Coalesce(
            Subquery(placed, output_field=BigIntegerField()),
            journey.suggested_step_expression(on),
            output_field=BigIntegerField(),
        )
    )


def needing_a_place(people, journey, on=None):
    """The people (a User queryset) who need a place in a round for a course of their current
    step on `journey`: one they have neither completed nor have a registered seat for."""
    place = (
        Registration.objects.filter(
            person_id=OuterRef(OuterRef("pk")),
            round__course_id=OuterRef("pk"),
            status=Registration.Status.REGISTERED,
        )
        .filter(_ongoing())
        .values("pk")
    )
    completed = Completion.objects.filter(
        person_id=OuterRef(OuterRef("pk")), course_id=OuterRef("pk")
    ).values("pk")
    open_courses = Course.objects.filter(step_id=OuterRef("current_step_id")).exclude(
        Exists(completed) | Exists(place)
    )
    return with_current_step(people, journey, on).filter(Exists(open_courses))


# The PDF download -------------------------------------------------------------------------


def record_as_pdf(record, *, verification_page=None):
    """The record as a PDF (bytes) in the current language, set in the PDF core fonts.

    `verification_page` is the address of the public page that confirms certificates.
    """
    person = record.person
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(pdf_text(_("Learning record: %(name)s") % {"name": person.get_full_name()}))
    pdf.set_author("Yrkesresan")
    pdf.set_creation_date(record.generated_at)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()

    def heading(text, size=13):
        pdf.ln(3)
        pdf.set_font("Helvetica", style="B", size=size)
        pdf.multi_cell(0, 7, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", size=10)

    def line(text):
        pdf.multi_cell(0, 5.5, pdf_text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def table(headings, rows, widths):
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=5.5) as grid:
            for values in [headings, *rows]:
                row = grid.row()
                for value in values:
                    row.cell(pdf_text(value))

    pdf.set_font("Helvetica", size=9)
    pdf.set_text_color(90, 90, 90)
    line(_("Yrkesresan: learning record"))
    pdf.set_text_color(0, 0, 0)
    heading(person.get_full_name(), size=18)
    employer = person.municipality.name if person.municipality else _("No employer")
    if person.unit:
        employer = f"{employer}, {person.unit.name}"
    line(_("E-mail: %(email)s") % {"email": person.email})
    line(_("Employer: %(employer)s") % {"employer": employer})
    if person.title:
        line(_("Title: %(title)s") % {"title": person.title})
    line(
        _("Produced on %(date)s")
        % {"date": timezone.localtime(record.generated_at).date().isoformat()}
    )

    heading(_("Current step"))
    steps = [(j, p) for j, p in record.steps if p.step is not None]
    for journey, placement in steps:
        line(f"{journey.name}: {placement.step.name}")
    if not steps:
        line(_("No step yet: the start date in the profession is missing."))

    heading(_("Completed courses"))
    if record.completions:
        table(
            [_("Course"), _("Round"), _("Completed"), _("Verification code")],
            [
                [
                    c.course_title,
                    f"{c.registration.round.name}, {c.registration.round.term}, "
                    f"{c.registration.round.structure}",
                    c.completed_on.isoformat(),
                    c.verification_code,
                ]
                for c in record.completions
            ],
            (60, 60, 25, 35),
        )
        if verification_page:
            pdf.ln(2)
            line(
                _("Each certificate can be verified with its code at %(url)s")
                % {"url": verification_page}
            )
    else:
        line(_("No completed courses yet."))

    heading(_("Courses under way"))
    if record.under_way:
        table(
            [_("Course"), _("Round"), _("Course days"), _("Status")],
            [
                [
                    r.round.course.title,
                    f"{r.round.name}, {r.round.term}, {r.round.structure}",
                    (
                        f"{r.first_day.isoformat()} – {r.last_day.isoformat()}"
                        if r.first_day
                        else "–"
                    ),
                    r.get_status_display(),
                ]
                for r in record.under_way
            ],
            (60, 60, 35, 25),
        )
    else:
        line(_("No courses under way."))

    if record.employer_changes:
        heading(_("Changes of employer"))
        for change in record.employer_changes:
            line(
                _("%(date)s: from %(old)s to %(new)s")
                % {
                    "date": change.moved_on.isoformat(),
                    "old": change.from_municipality.name if change.from_municipality else "–",
                    "new": change.to_municipality.name,
                }
            )
    return bytes(pdf.output())
