from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """A Swedish county (län), identified by its two-digit länskod."""

    code = models.CharField(_("county code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def members(self, on=None):
        """Municipalities taking part in the programme on the given date (default today)."""
        on = on or timezone.localdate()
        return (
            self.filter(
                memberships__joined_on__lte=on,
            )
            .exclude(memberships__left_on__isnull=False, memberships__left_on__lte=on)
            .distinct()
        )


class Municipality(models.Model):
    """A Swedish municipality (kommun), identified by its four-digit kommunkod."""

    code = models.CharField(_("municipality code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name

    def membership_on(self, on=None):
        """The membership in force on a date, or None. Uses prefetched memberships if present."""
        on = on or timezone.localdate()
        for membership in self.memberships.all():
            if membership.is_active(on):
                return membership
        return None


class Membership(models.Model):
    """A municipality's participation in the programme, from its agreement to its exit."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["municipality__name", "joined_on"]
        verbose_name = _("programme membership")
        verbose_name_plural = _("programme memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(left_on__gt=models.F("joined_on")),
                name="membership_leaves_after_joining",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} ({self.joined_on}–{self.left_on or ''})"

    def is_active(self, on):
        return self.joined_on <= on and (self.left_on is None or self.left_on > on)


class Unit(models.Model):
    """A unit inside a municipality's social services, e.g. utredningsenheten barn och familj."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="units", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unit_name_unique"),
        ]

    def __str__(self):
        return f"{self.name}, {self.municipality.name}"


class SupportStructure(models.Model):
    """A regional support structure (RSS) that runs the programme in one or more counties."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    counties = models.ManyToManyField(
        County, related_name="support_structures", verbose_name=_("counties")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("regional support structure")
        verbose_name_plural = _("regional support structures")

    def __str__(self):
        return self.short_name or self.name
