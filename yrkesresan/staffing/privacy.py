"""Staffing's part of the personal-data rights (accounts.privacy): the trainer pool, trainer
training, availability and planned days. Erasure wipes the application's texts and the reasons
given for withdrawn dates; the facts the planning statistics count stay."""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yrkesresan.accounts.privacy import Section

from .models import (
    Availability,
    HandoverNote,
    PlanAssignment,
    PoolMembership,
    TrainerTraining,
)

HANDOVER_TEXTS = ("covered", "questions", "follow_up")

TRAINER_RETENTION = gettext_lazy("As long as the account.")


def sections(sender, person, **kwargs):
    pool = Section(
        "trainer_pool",
        _("Applications to train courses"),
        _("To recruit trainers, with the manager's approval of the time away."),
        TRAINER_RETENTION,
        PoolMembership,
        ["structure", "motivation", "experience", "status", "days_per_term"],
    )
    training = Section(
        "trainer_training",
        _("Trainer training"),
        _("To plan only trained trainers for a course."),
        TRAINER_RETENTION,
        TrainerTraining,
        ["course", "trained_on"],
    )
    availability = Section(
        "availability",
        _("Availability for course days"),
        _("To plan trainers only on dates they can take."),
        TRAINER_RETENTION,
        Availability,
        ["date", "available", "withdrawn_reason"],
    )
    planned = Section(
        "planned_days",
        _("Planned course days"),
        _("To staff every course day, and to tell the trainer."),
        TRAINER_RETENTION,
        PlanAssignment,
        ["day", "team", "date", "response"],
    )
    if person is not None:
        for row in PoolMembership.objects.filter(person=person).select_related("structure"):
            pool.add(row)
        for row in TrainerTraining.objects.filter(person=person).select_related("course"):
            training.add(row)
        for row in Availability.objects.filter(person=person):
            availability.add(row)
        for row in PlanAssignment.objects.filter(person=person).select_related("day__round"):
            planned.add(row)
    return [pool, training, availability, planned]


def erase(sender, person, former, **kwargs):
    """Wipe the person's own texts, and their name from the handover notes of their rounds."""
    PoolMembership.objects.filter(person=person).update(motivation="", experience="")
    notes = HandoverNote.objects.filter(
        Q(day__round__registrations__person=person) | Q(written_by=person)
    ).distinct()
    for note in notes:
        texts = {field: former.scrub(getattr(note, field)) for field in HANDOVER_TEXTS}
        if any(texts[field] != getattr(note, field) for field in HANDOVER_TEXTS):
            HandoverNote.objects.filter(pk=note.pk).update(**texts)
    Availability.objects.filter(person=person).update(withdrawn_reason="")
