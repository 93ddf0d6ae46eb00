"""The voluntary follow-up evaluation, anonymous by construction, also to a database reader.

An `Invitation` says who may answer and whether they have. What someone answers is first kept
as `SealedAnswers`: encrypted and padded, so the row written with the "answered" marker says
nothing about the answers. A background job moves a round's sealed answers, in batches and in
shuffled order, into `Response`s and `Answer`s written in one transaction of its own: nothing
that points back to a person, no invitation, no time, random ids, and no transaction id or
physical row order finer than the batch (see services.move_sealed_answers).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Question(models.Model):
    """A national evaluation question, asked about each course day or about the whole course."""

    class About(models.TextChoices):
        DAY = "day", _("Each course day")
        COURSE = "course", _("The whole course")

    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale 1–5")
        TEXT = "text", _("Free text")

    about = models.CharField(_("asked about"), max_length=10, choices=About.choices)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    low_label = models.CharField(_("label for 1"), max_length=60, blank=True)
    high_label = models.CharField(_("label for 5"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("asked"), default=True)

    class Meta:
        ordering = ["about", "order"]
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")

    def __str__(self):
        return self.text


class Invitation(models.Model):
    """A completed participant's right to answer once. Never linked to the answer itself."""

    completion = models.OneToOneField(
        "enrolment.Completion",
        on_delete=models.CASCADE,
        related_name="evaluation_invitation",
        verbose_name=_("completion"),
    )
    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.CASCADE,
        related_name="evaluation_invitations",
        verbose_name=_("round"),
    )
    # Deliberately no time of answering: it could be matched with the answers.
    answered = models.BooleanField(_("answered"), default=False)
    reminded = models.BooleanField(_("reminded"), default=False)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation invitation")
        verbose_name_plural = _("evaluation invitations")
        indexes = [models.Index(fields=["round", "answered"])]

    def __str__(self):
        return f"{self.round} ({self.pk})"


class Response(models.Model):
    """One anonymous set of answers for a round."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
        verbose_name=_("round"),
    )

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")

    def __str__(self):
        return f"{self.round} ({self.pk})"


class SealedAnswers(models.Model):
    """One person's answers waiting to be moved into a Response: encrypted with a key kept
    outside the database, padded to a fixed size, with a random id and no time. Deleted by the
    batch that moves it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        "rounds.Round",
        on_delete=models.CASCADE,
        related_name="sealed_evaluation_answers",
        verbose_name=_("round"),
    )
    sealed = models.BinaryField(_("sealed answers"))

    class Meta:
        verbose_name = _("sealed evaluation answers")
        verbose_name_plural = _("sealed evaluation answers")

    def __str__(self):
        return f"{self.round} ({self.pk})"


class Answer(models.Model):
    """One answer: a score or a text, about a course day (with its mode) or the whole course."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    day = models.ForeignKey(
        "rounds.CourseDay",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evaluation_answers",
        verbose_name=_("course day"),
    )
    # The day's mode when answered: physical and digital days are compared on this.
    day_mode = models.CharField(_("mode"), max_length=10, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="answer_score_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.score or self.text[:40]}"
