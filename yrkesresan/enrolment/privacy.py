"""Enrolment's part of the personal-data rights (accounts.privacy): what it keeps about a person,
and what erasure wipes. Registrations, attendance, placements and completions stay, tied to
the anonymised account, for the statistics; every text the person or others wrote about them
(needs, reasons, notes, answers, feedback) is wiped."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yrkesresan.accounts.privacy import Section

from .models import (
    Attendance,
    Completion,
    DeepDiveAnswer,
    ImportJob,
    Placement,
    PreparationProgress,
    Registration,
    StepSeen,
)

COURSE_RETENTION = gettext_lazy("As long as the account.")


def sections(sender, person, **kwargs):
    registrations = Section(
        "registrations",
        _("Registrations for course rounds"),
        _("To give the person a seat, to tell the course organisers of needs the person gave."),
        _(
            "As long as the account; diet and accessibility needs are erased when the course "
            "is completed or the registration cancelled."
        ),
        Registration,
        [
            "round",
            "status",
            "queued_at",
            "special_diet",
            "accessibility_needs",
            "step_mismatch_reason",
            "cancel_reason",
        ],  # fmt: skip
    )
    placements = Section(
        "placements",
        _("Steps in the journeys"),
        _("To suggest the right courses."),
        COURSE_RETENTION,
        Placement,
        ["journey", "step", "source", "reason"],
    )
    seen = Section(
        "steps_seen",
        _("Steps the person has seen"),
        _("To tell the person once that they have moved up a step."),
        COURSE_RETENTION,
        StepSeen,
        ["journey", "step"],
    )
    preparation = Section(
        "preparation",
        _("Preparation"),
        _("To show the person and the course leader what is done."),
        COURSE_RETENTION,
        PreparationProgress,
        ["task", "notes", "done_at"],
    )
    attendance = Section(
        "attendance",
        _("Attendance"),
        _("To issue certificates and to follow up the course."),
        COURSE_RETENTION,
        Attendance,
        ["day", "status", "note", "marked_at"],
    )
    answers = Section(
        "deep_dive_answers",
        _("Deep-dive answers"),
        _("To let the course leader review the task."),
        COURSE_RETENTION,
        DeepDiveAnswer,
        ["task", "text", "status", "submitted_at", "feedback"],
    )
    completions = Section(
        "completions",
        _("Completed courses and certificates"),
        _("To issue certificates that anyone can verify, and for statistics."),
        _("As long as the account; a certificate stays verifiable after erasure, without a name."),
        Completion,
        ["course_title", "course_version", "completed_on", "verification_code"],
    )
    if person is not None:
        for registration in Registration.objects.filter(person=person).select_related("round"):
            registrations.add(registration)
        for placement in Placement.objects.filter(person=person).select_related("journey", "step"):
            placements.add(placement)
        for row in StepSeen.objects.filter(person=person).select_related("journey", "step"):
            seen.add(row)
        for progress in PreparationProgress.objects.filter(person=person).select_related("task"):
            preparation.add(progress)
        attended = Attendance.objects.filter(registration__person=person)
        for mark in attended.select_related("day__round"):
            attendance.add(mark)
        for answer in DeepDiveAnswer.objects.filter(registration__person=person).select_related(
            "task"
        ):
            answers.add(answer)
        for completion in Completion.objects.filter(person=person):
            completions.add(completion)
    return [registrations, placements, seen, preparation, attendance, answers, completions]


def erase(sender, person, former, **kwargs):
    """Wipe every text about the person; keep the facts the statistics count. Imports'
    refusals that named them keep their sense without the name."""
    for job in ImportJob.objects.exclude(result={}).only("result").iterator():
        problems = job.result.get("problems") or []
        scrubbed = [former.scrub(problem) for problem in problems]
        if scrubbed != problems:
            ImportJob.objects.filter(pk=job.pk).update(result={**job.result, "problems": scrubbed})
    Registration.objects.filter(person=person).update(
        special_diet="", accessibility_needs="", step_mismatch_reason="", cancel_reason=""
    )
    Placement.objects.filter(person=person).update(reason="")
    PreparationProgress.objects.filter(person=person).update(notes="")
    Attendance.objects.filter(registration__person=person).update(note="")
    DeepDiveAnswer.objects.filter(registration__person=person).update(text="", feedback="")
