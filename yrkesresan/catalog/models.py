"""The national catalog: journeys, their steps, courses and course content."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Journey(models.Model):
    """A journey (yrkesresa) for one area of social services, with its own scheme of steps."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        COMING = "coming", _("Coming")

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    producer = models.CharField(_("produced by"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.COMING
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("journey")
        verbose_name_plural = _("journeys")

    def __str__(self):
        return self.name

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    def suggested_step(self, years_in_profession):
        """The experience step whose year range holds the given years, or None.

        Steps for roles (Chef, Arbetsledare) have no year range and are never suggested.
        Uses prefetched steps when present.
        """
        if years_in_profession is None:
            return None
        for step in self.steps.all():
            if step.covers_years(years_in_profession):
                return step
        return None


class Step(models.Model):
    """A step on a journey: Ny, Van, Erfaren by years in the profession, or a role step."""

    journey = models.ForeignKey(
        Journey, on_delete=models.CASCADE, related_name="steps", verbose_name=_("journey")
    )
    slug = models.SlugField(_("slug"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    min_years = models.PositiveSmallIntegerField(
        _("from years in the profession"),
        null=True,
        blank=True,
        help_text=_("Leave empty for steps that do not follow experience, e.g. for managers."),
    )
    max_years = models.PositiveSmallIntegerField(
        _("up to years in the profession"),
        null=True,
        blank=True,
        help_text=_("Exclusive upper bound; empty means no upper bound."),
    )

    class Meta:
        ordering = ["journey", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["journey", "slug"], name="step_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(max_years__isnull=True)
                | models.Q(min_years__isnull=False, max_years__gt=models.F("min_years")),
                name="step_year_range_valid",
            ),
        ]

    def __str__(self):
        return f"{self.journey.name}: {self.name}"

    @property
    def follows_experience(self):
        return self.min_years is not None

    def covers_years(self, years):
        if self.min_years is None or years < self.min_years:
            return False
        return self.max_years is None or years < self.max_years

    def years_label(self):
        if self.min_years is None:
            return ""
        if self.max_years is None:
            return _("%(years)s+ years") % {"years": self.min_years}
        return _("%(low)s–%(high)s years") % {"low": self.min_years, "high": self.max_years}


class LegalReference(models.Model):
    """A law or regulation with the period it is in force, cited by courses as data."""

    short_name = models.CharField(_("short name"), max_length=40)
    title = models.CharField(_("title"), max_length=300)
    sfs_number = models.CharField(_("statute number"), max_length=40, blank=True)
    url = models.URLField(_("link"), blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )

    class Meta:
        ordering = ["short_name", "-valid_from"]
        verbose_name = _("law or regulation")
        verbose_name_plural = _("laws and regulations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="legal_reference_period_valid",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.sfs_number})" if self.sfs_number else self.title

    def in_force(self, on=None):
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_until is None or on < self.valid_until)


class Course(models.Model):
    """A course on a step: preparation, course days, then deep-dive tasks."""

    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="courses", verbose_name=_("step")
    )
    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    target_group = models.CharField(_("target group"), max_length=300, blank=True)
    course_days = models.PositiveSmallIntegerField(_("number of course days"), default=1)
    version = models.CharField(_("content version"), max_length=20, default="1.0")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    legal_references = models.ManyToManyField(
        LegalReference, blank=True, related_name="courses", verbose_name=_("laws and regulations")
    )

    class Meta:
        ordering = ["step", "order", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title


class KnowledgeGoal(models.Model):
    """A knowledge goal of a course, tagged by the 4F model."""

    class Kind(models.TextChoices):
        FACTS = "fakta", _("Facts")
        UNDERSTANDING = "forstaelse", _("Understanding")
        SKILL = "fardighet", _("Skill")
        FAMILIARITY = "fortrogenhet", _("Familiarity")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="goals", verbose_name=_("course")
    )
    kind = models.CharField(_("kind of knowledge"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("goal"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("knowledge goal")
        verbose_name_plural = _("knowledge goals")

    def __str__(self):
        return self.text


class PreparationTask(models.Model):
    """One item on a course's preparation checklist."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        VIDEO = "video", _("Video")
        SOURCE = "source", _("Source")
        REFLECTION = "reflection", _("Reflection questions")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="preparation_tasks", verbose_name=_("course")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    goal = models.TextField(_("goal"), blank=True)
    motivation = models.TextField(_("why it matters"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated time (minutes)"))
    body = models.TextField(
        _("text or questions"),
        blank=True,
        help_text=_("For reflection questions, one question per line."),
    )
    url = models.URLField(_("link"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("preparation task")
        verbose_name_plural = _("preparation tasks")

    def __str__(self):
        return self.title

    def questions(self):
        return [line.strip() for line in self.body.splitlines() if line.strip()]


class CourseDayPlan(models.Model):
    """The plan of one course day: its number and themes."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="day_plans", verbose_name=_("course")
    )
    number = models.PositiveSmallIntegerField(_("day"))
    title = models.CharField(_("title"), max_length=200)
    themes = models.TextField(_("themes"), help_text=_("One theme per line."))

    class Meta:
        ordering = ["course", "number"]
        verbose_name = _("course day plan")
        verbose_name_plural = _("course day plans")
        constraints = [
            models.UniqueConstraint(fields=["course", "number"], name="day_plan_number_unique"),
        ]

    def __str__(self):
        return f"{self.course}: {self.number}. {self.title}"

    def theme_list(self):
        return [line.strip() for line in self.themes.splitlines() if line.strip()]


class DeepDiveTask(models.Model):
    """A deep-dive task (fördjupningsuppgift) done after the course days."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="deep_dive_tasks", verbose_name=_("course")
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["course", "order"]
        verbose_name = _("deep-dive task")
        verbose_name_plural = _("deep-dive tasks")

    def __str__(self):
        return self.title
