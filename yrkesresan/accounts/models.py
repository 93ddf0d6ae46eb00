import calendar
import datetime
import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.models import AuditEvent


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class WorkRole(models.TextChoices):
    """A leading role in the person's job, which places them on the journey's step for it.

    A fact about the work, told by the employer: not a permission on the platform (a unit
    manager at work need not hold the platform's manager role, nor the other way round).
    An empty value is no leading role.
    """

    UNIT_MANAGER = "unit_manager", _("Unit manager")
    TEAM_LEADER = "team_leader", _("Team leader")


class User(AbstractBaseUser, PermissionsMixin):
    """A person: every staff member is a participant; roles add duties with a scope."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("employer"),
    )
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("unit"),
    )
    title = models.CharField(_("title"), max_length=120, blank=True)
    profession_started_on = models.DateField(
        _("started in the profession"),
        null=True,
        blank=True,
        help_text=_("The date you started working in social services."),
    )
    work_role = models.CharField(
        _("role at work"),
        max_length=20,
        choices=WorkRole.choices,
        blank=True,
        help_text=_(
            "Unit managers and team leaders are placed on the journey's step for their role, "
            "where it has one."
        ),
    )
    findable_by_colleagues = models.BooleanField(
        _("findable by colleagues in other municipalities"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Set when the person's data is erased (accounts.privacy.erase_person): the row stays,
    # anonymised, for the statistics and the certificates' verification.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    # When the owner was told the account will be erased for inactivity (30 days before).
    erasure_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # A unit always belongs to the person's own employer.
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) | models.Q(municipality__isnull=False),
                name="user_unit_needs_municipality",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    def years_in_profession(self, on=None):
        """Whole years since the person started in the profession, or None if unknown."""
        if self.profession_started_on is None:
            return None
        on = on or timezone.localdate()
        start = self.profession_started_on
        years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
        return max(years, 0)


def started_by(on, years):
    """The latest `profession_started_on` that gives at least `years` whole years in the
    profession on `on` (as User.years_in_profession counts them), or None if no date does.

    years_in_profession(on) >= n exactly when (start.year, start.month, start.day) <=
    (on.year - n, on.month, on.day); a 29 February that the year lacks becomes the 28th.
    """
    year = on.year - years
    if year < datetime.MINYEAR:
        return None
    day = min(on.day, calendar.monthrange(year, on.month)[1])
    return datetime.date(year, on.month, day)


class RoleAssignment(models.Model):
    """A role a person holds, with the one organisation or journey it applies to."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        MUNICIPAL_CONTACT = "municipal_contact", _("Municipal contact")
        TRAINER = "trainer", _("Trainer")
        COURSE_LEADER = "course_leader", _("Course leader")
        COORDINATOR = "coordinator", _("Regional coordinator")
        NATIONAL_EDITOR = "national_editor", _("National editor")
        ADMINISTRATOR = "administrator", _("Administrator")

    # Which scope field each role needs; the others stay empty (enforced below).
    SCOPE_FIELD = {
        Role.MANAGER: "unit",
        Role.MUNICIPAL_CONTACT: "municipality",
        Role.TRAINER: "structure",
        Role.COURSE_LEADER: "structure",
        Role.COORDINATOR: "structure",
        Role.NATIONAL_EDITOR: "journey",
        Role.ADMINISTRATOR: None,
    }

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("unit"),
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("municipality"),
    )
    structure = models.ForeignKey(
        "organisations.SupportStructure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("regional support structure"),
    )
    journey = models.ForeignKey(
        "catalog.Journey",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("journey"),
    )

    class Meta:
        ordering = ["user_id", "role"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role="manager",
                        unit__isnull=False,
                        municipality__isnull=True,
                        structure__isnull=True,
                        journey__isnull=True,
                    )
                    | models.Q(
                        role="municipal_contact",
                        unit__isnull=True,
                        municipality__isnull=False,
                        structure__isnull=True,
                        journey__isnull=True,
                    )
                    | models.Q(
                        role__in=["trainer", "course_leader", "coordinator"],
                        unit__isnull=True,
                        municipality__isnull=True,
                        structure__isnull=False,
                        journey__isnull=True,
                    )
                    | models.Q(
                        role="national_editor",
                        unit__isnull=True,
                        municipality__isnull=True,
                        structure__isnull=True,
                        journey__isnull=False,
                    )
                    | models.Q(
                        role="administrator",
                        unit__isnull=True,
                        municipality__isnull=True,
                        structure__isnull=True,
                        journey__isnull=True,
                    )
                ),
                name="role_has_exactly_its_scope",
            ),
            # One assignment per person, role and scope.
            *[
                models.UniqueConstraint(
                    fields=["user", "role", field] if field else ["user", "role"],
                    condition=models.Q(role__in=roles),
                    name=f"role_unique_per_{field or 'person'}",
                )
                for field, roles in [
                    ("unit", ["manager"]),
                    ("municipality", ["municipal_contact"]),
                    ("structure", ["trainer", "course_leader", "coordinator"]),
                    ("journey", ["national_editor"]),
                    (None, ["administrator"]),
                ]
            ],
        ]

    def __str__(self):
        scope = self.unit or self.municipality or self.structure or self.journey
        label = self.get_role_display()
        return f"{label}: {scope}" if scope else str(label)

    @property
    def scope(self):
        field = self.SCOPE_FIELD[self.role]
        return getattr(self, field) if field else None


class ApiToken(models.Model):
    """A bearer token for the HR-system API; it acts with its owner's rights.

    Only a SHA-256 digest of the token is stored; the token itself is shown once.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("person")
    )
    # How long a new token may live, in days: the same limit on the page and the command line.
    MAX_VALID_DAYS = 365
    VALID_DAYS_CHOICES = (30, 90, 180, 365)

    name = models.CharField(_("name"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # Tokens made before expiry was introduced have none; every new token has one.
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.user} ({self.name or self.pk})"

    @staticmethod
    def digest_of(token):
        """The SHA-256 hex digest stored for a token; the token itself is never stored."""
        return hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def usable(expires_at, revoked_at, now):
        """Whether a token with these dates authenticates at `now`: not revoked, not expired.
        (Static, for the API's one-query authentication, which reads the dates as columns.)"""
        return revoked_at is None and (expires_at is None or now < expires_at)

    @staticmethod
    @transaction.atomic
    def record_use(token_pk, user, now):
        """Note a token's use on the token and in the audit trail. The API calls it at most
        once a minute per token (its LAST_USED_RESOLUTION), so the trail keeps every minute in
        which a token was used without a write per request."""
        ApiToken.objects.filter(pk=token_pk).update(last_used_at=now)
        AuditEvent.objects.create(
            actor=user,
            subject=user,
            action="api_token.used",
            object_type=ApiToken._meta.label_lower,
            object_id=str(token_pk),
        )

    @property
    def is_usable(self):
        return self.usable(self.expires_at, self.revoked_at, timezone.now())

    @classmethod
    def issue(cls, user, *, name="", valid_days=MAX_VALID_DAYS):
        """Create a token acting with `user`'s rights for `valid_days` and return it; it cannot
        be shown again. Callers check `valid_days` against MAX_VALID_DAYS (the page's form and
        the command line do)."""
        token = secrets.token_urlsafe(32)
        cls.objects.create(
            user=user,
            name=name,
            digest=cls.digest_of(token),
            expires_at=timezone.now() + datetime.timedelta(days=valid_days),
        )
        return token


class EmployerChange(models.Model):
    """A person's move to another employer, recorded by a manager, contact or administrator.

    The person's record (placements, registrations, completions, certificates) is theirs and
    does not move: only who may see it changes, with the employer.
    """

    person = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="employer_changes", verbose_name=_("person")
    )
    from_municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from municipality"),
    )
    from_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from unit"),
    )
    to_municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to municipality"),
    )
    to_unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("to unit"),
    )
    moved_on = models.DateField(_("moved on"))
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["person_id", "-moved_on", "-recorded_at"]
        verbose_name = _("change of employer")
        verbose_name_plural = _("changes of employer")

    def __str__(self):
        return f"{self.person}: {self.from_municipality or '–'} → {self.to_municipality}"
