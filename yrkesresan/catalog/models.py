"""The national catalog: journeys, their steps, courses and course content."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesresan.accounts.models import WorkRole, started_by
from yrkesresan.core.errors import DomainError


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

    def suggested_step(self, person, on=None, steps=None):
        """The step the person belongs on, by the facts about them, or None.

        The one rule: the journey's step for the person's role at work (a unit manager on
        Chef, a team leader on Arbetsledare) when it has one; else the experience step whose
        year range holds their whole years in the profession on `on` (today). A placement
        (enrolment.placement.current_placement) may put the person elsewhere. Its database
        twins are suggested_step_expression and suggested_step_id. `steps`: the journey's
        steps in order, when the caller has read them; else prefetched steps are used when
        present.
        """
        if steps is None:
            steps = self.steps.all()
        if person.work_role:
            for step in steps:
                if step.work_role == person.work_role:
                    return step
        years = person.years_in_profession(on)
        if years is None:
            return None
        for step in steps:
            if step.covers_years(years):
                return step
        return None

    def suggested_step_expression(self, on, person=""):
        """suggested_step as a database expression on rows of people: the id of the step, or
        NULL. `person` is the path to the User from the queried model ("" on User itself);
        the years are counted to `on`. Built from `self.steps.all()` (prefetch them).
        """
        steps = self.steps.all()
        cases = [
            When(Q(**{f"{person}work_role": step.work_role}), then=Value(step.pk))
            for step in steps
            if step.work_role
        ]
        cases += [
            When(q, then=Value(step.pk))
            for step in steps
            if (q := step.covers_years_q(on, person)) is not None
        ]
        return Case(*cases, default=Value(None), output_field=models.BigIntegerField())


def suggested_step_id(journey_id, years, work_role):
    """Journey.suggested_step as a subquery over the steps of the journey `journey_id` (an id
    or an OuterRef), for one person's facts passed as values: their whole `years` in the
    profession (a negative number when unknown, which no step covers) and their `work_role`.
    """
    steps = Step.objects.filter(
        (Q(work_role=work_role) & ~Q(work_role=""))
        | Q(Q(max_years__isnull=True) | Q(max_years__gt=years), min_years__lte=years),
        journey_id=journey_id,
    )
    # The step for the role first: a step by years has no role, and "" sorts before any role.
    return Subquery(steps.order_by("-work_role", "order", "pk").values("pk")[:1])


class Step(models.Model):
    """A step on a journey: Ny, Van, Erfaren by years in the profession; Chef, Arbetsledare
    for a role at work; or a level (Bas, Fördjupning, Spets) by neither."""

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
    work_role = models.CharField(
        _("for the role at work"),
        max_length=20,
        choices=WorkRole.choices,
        blank=True,
        help_text=_(
            "People with this role at work are placed on this step. Leave empty for steps "
            "by years in the profession."
        ),
    )

    class Meta:
        ordering = ["journey_id", "order"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["journey", "slug"], name="step_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(max_years__isnull=True)
                | models.Q(min_years__isnull=False, max_years__gt=models.F("min_years")),
                name="step_year_range_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(work_role="")
                | models.Q(min_years__isnull=True, max_years__isnull=True),
                name="step_by_years_or_work_role",
                violation_error_message=_(
                    "A step follows either the years in the profession or a role at work, not both."
                ),
            ),
            models.UniqueConstraint(
                fields=["journey", "work_role"],
                condition=~models.Q(work_role=""),
                name="step_work_role_unique",
                violation_error_message=_("The journey already has a step for this role at work."),
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

    def covers_years_q(self, on, person=""):
        """covers_years(years_in_profession(on)) of a person as a Q on their start date, or
        None when it holds for nobody (a step without a year range, or a range beyond any
        date). `person` is the path to the User from the queried model ("" on User itself).

        A start in the future counts as 0 years, so a range from 0 only needs a known start.
        """
        if self.min_years is None:
            return None
        started = f"{person}profession_started_on"
        q = Q(**{f"{started}__isnull": False})
        if self.min_years > 0:
            latest = started_by(on, self.min_years)
            if latest is None:
                return None
            q &= Q(**{f"{started}__lte": latest})
        if self.max_years is not None:
            # max_years > min_years >= 0 (a constraint), so the floor at 0 years plays no part.
            too_early = started_by(on, self.max_years)
            if too_early is not None:
                q &= Q(**{f"{started}__gt": too_early})
        return q

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


# The catalog as people read it: journeys in order, their steps, the courses on each step.
# Meta.ordering keeps to each model's own columns (an ordering naming a foreign key would join
# the related tables on every query); lists across steps or journeys order by these.
STEP_ORDER = ("journey__order", "journey__name", "order")
COURSE_ORDER = ("step__journey__order", "step__journey__name", "step__order", "order", "title")


def course_order(path):
    """COURSE_ORDER for the course at `path` ("round__course")."""
    return [f"{path}__{name}" for name in COURSE_ORDER]


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
        ordering = ["step_id", "order", "title"]
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
        ordering = ["course_id", "order"]
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
        ordering = ["course_id", "order"]
        verbose_name = _("preparation task")
        verbose_name_plural = _("preparation tasks")

    def __str__(self):
        return self.title

    def questions(self):
        return [line.strip() for line in self.body.splitlines() if line.strip()]


class CourseDayPlan(models.Model):
    """The plan of one course day: its number and themes, and how it is staffed: the trainers
    it needs and the team that takes it. A team takes all the days with its number, as a block
    (in the seed, team 1 days 1–2 and team 2 days 3–4); the planner (staffing.planner) reads
    both from the round's course version."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="day_plans", verbose_name=_("course")
    )
    number = models.PositiveSmallIntegerField(_("day"))
    title = models.CharField(_("title"), max_length=200)
    themes = models.TextField(_("themes"), help_text=_("One theme per line."))
    trainers = models.PositiveSmallIntegerField(
        _("trainers"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("How many trainers the day needs."),
    )
    team = models.PositiveSmallIntegerField(
        _("team"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Days with the same team number are taken by one team, as a block."),
    )

    class Meta:
        ordering = ["course_id", "number"]
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
        ordering = ["course_id", "order"]
        verbose_name = _("deep-dive task")
        verbose_name_plural = _("deep-dive tasks")

    def __str__(self):
        return self.title


class CourseVersion(models.Model):
    """A version of a course's content: the one draft editors work on, or a published version.

    `content` holds the whole course as catalog.versions.snapshot writes it (texts, goals,
    preparation, day plans, deep-dive tasks, laws). Publishing (catalog.services.publish_draft)
    copies the draft to the course's own rows, which the pages read, and freezes it here.
    A published version is never changed or deleted: rounds and certificates keep it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="versions", verbose_name=_("course")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The published number; a draft's is "" until it is published.
    number = models.CharField(_("version"), max_length=20, blank=True)
    # The version the draft was started from: publishing refuses when another has come since.
    based_on = models.CharField(_("based on version"), max_length=20, blank=True)
    content = models.JSONField(_("content"), default=dict)
    # Bumped by every save of a draft, so that an editor's save over another's is refused.
    revision = models.PositiveIntegerField(_("revision"), default=0)
    change_note = models.TextField(_("what changed and why"), blank=True)
    legal_reference = models.ForeignKey(
        LegalReference,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="course_versions",
        verbose_name=_("caused by the law or regulation"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    class Meta:
        ordering = ["course_id", "-published_at"]
        verbose_name = _("course version")
        verbose_name_plural = _("course versions")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "number"],
                condition=Q(status="published"),
                name="course_version_number_unique",
            ),
            models.UniqueConstraint(
                fields=["course"], condition=Q(status="draft"), name="course_one_draft"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (~Q(number="") & Q(published_at__isnull=False)),
                name="course_version_published_has_number",
            ),
        ]

    def __str__(self):
        if self.is_published:
            return f"{self.course} {self.number}"
        return f"{self.course} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        # Immutability is checked against the stored row, not this instance: an instance loaded
        # as a draft may have been published by another editor since.
        if self.pk and CourseVersion.objects.filter(pk=self.pk, status="published").exists():
            raise PublishedVersionError(
                _("Version %(number)s is published and cannot be changed.")
                % {"number": self.number}
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if CourseVersion.objects.filter(pk=self.pk, status="published").exists():
            raise PublishedVersionError(
                _("Version %(number)s is published and cannot be deleted.")
                % {"number": self.number}
            )
        return super().delete(*args, **kwargs)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class PublishedVersionError(DomainError):
    status = 409
    code = "version_published"
