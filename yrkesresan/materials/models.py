"""Course material: for participants, and centrally versioned material for trainers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MaterialQuerySet(models.QuerySet):
    def published(self):
        """Material people read: tied to a published course version, or to none (never to a
        draft an editor is still working on)."""
        return self.filter(
            models.Q(course_version__isnull=True) | models.Q(course_version__status="published")
        )


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
    # A file checked by its content (materials.uploads), kept through Django's storage API;
    # served only as an attachment by materials.views.material_file.
    file = models.FileField(_("file"), upload_to="material/%Y/", blank=True, max_length=200)
    file_kind = models.CharField(_("kind of file"), max_length=10, blank=True)
    version = models.CharField(_("version"), max_length=20, default="1.0")
    course_version = models.ForeignKey(
        "catalog.CourseVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("course version"),
    )
    published_on = models.DateField(_("published"))
    day_number = models.PositiveSmallIntegerField(
        _("for course day"),
        null=True,
        blank=True,
        help_text=_("Leave empty for material that belongs to the whole course."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["course_id", "audience", "day_number", "order", "title"]
        verbose_name = _("course material")
        verbose_name_plural = _("course material")

    def __str__(self):
        return f"{self.title} ({self.version})"


class VersionReading(models.Model):
    """The latest version of a course's trainer material a trainer has opened, and the latest
    they have acknowledged having read (what changed since, before their next day)."""

    person = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("trainer")
    )
    course = models.ForeignKey(
        "catalog.Course", on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    opened = models.ForeignKey(
        "catalog.CourseVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("last opened version"),
    )
    acknowledged = models.ForeignKey(
        "catalog.CourseVersion",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("last acknowledged version"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True)

    class Meta:
        verbose_name = _("reading of trainer material")
        verbose_name_plural = _("readings of trainer material")
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="version_reading_unique"),
        ]

    def __str__(self):
        return f"{self.person} – {self.course}"


class LinkCheck(models.Model):
    """The last check of a link in the content (preparation, material, laws), by
    `manage.py check_links`; the broken ones are listed for the editors."""

    url = models.URLField(_("link"), max_length=500)
    course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    found_in = models.CharField(_("found in"), max_length=300)
    ok = models.BooleanField(_("works"))
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        ordering = ["url"]
        verbose_name = _("link check")
        verbose_name_plural = _("link checks")
        constraints = [
            models.UniqueConstraint(fields=["url", "course", "found_in"], name="link_check_unique"),
        ]

    def __str__(self):
        return self.url
