"""Course material: for participants, and centrally versioned material for trainers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Material(models.Model):
    """One piece of national course material, in a version."""

    class Audience(models.TextChoices):
        PARTICIPANT = "participant", _("Participants")
        TRAINER = "trainer", _("Trainers")

    course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.CASCADE,
        related_name="materials",
        verbose_name=_("course"),
    )
    audience = models.CharField(_("for"), max_length=20, choices=Audience.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    body = models.TextField(_("text"), blank=True)
    url = models.URLField(_("link"), blank=True)
    version = models.CharField(_("version"), max_length=20, default="1.0")
    published_on = models.DateField(_("published"))
    day_number = models.PositiveSmallIntegerField(
        _("for course day"),
        null=True,
        blank=True,
        help_text=_("Leave empty for material that belongs to the whole course."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["course_id", "audience", "day_number", "order", "title"]
        verbose_name = _("course material")
        verbose_name_plural = _("course material")

    def __str__(self):
        return f"{self.title} ({self.version})"
