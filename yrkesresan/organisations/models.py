from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
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


# Membership in force on a date, the programme's one rule for "is a member": a membership is
# in force from its joined_on (the first day in) up to its left_on (the first day out; NULL while
# it lasts). A municipality is a member on a date when one of its memberships is in force then,
# however often it left and joined again. MembershipQuerySet.in_force is the rule in SQL,
# Membership.is_active the same boundaries for one row in Python; everything else goes through
# the two (member_on, members(), Municipality.membership_on).


def member_on(municipality, on):
    """Exists: the municipality has a membership in force on `on`.

    `municipality` is a path to it from the model queried (e.g. "pk" on Municipality,
    "municipality" on User, "person__municipality" on Registration), or an id or expression.
    As an EXISTS, it neither repeats nor drops rows, in filter(), exclude() or annotate().
    """
    if isinstance(municipality, str):
        municipality = OuterRef(municipality)
    return Exists(Membership.objects.in_force(on).filter(municipality=municipality))


class MunicipalityQuerySet(models.QuerySet):
    def members(self, on=None):
        """Municipalities taking part in the programme on the given date (default today)."""
        return self.filter(member_on("pk", on or timezone.localdate()))


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
        """The membership in force on a date (default today), or None. Uses prefetched
        memberships if present."""
        on = on or timezone.localdate()
        for membership in self.memberships.all():
            if membership.is_active(on):
                return membership
        return None

    def not_a_member_message(self):
        """The sentence that refuses this municipality's staff because it is not a member:
        the same from the registration form, the API and the import."""
        return gettext("%(municipality)s is not a member of the programme.") % {
            "municipality": self.name
        }


class MembershipQuerySet(models.QuerySet):
    def in_force(self, on):
        """The memberships in force on `on`: joined on or before it, not yet left."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=on), joined_on__lte=on)


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

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["joined_on"]
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
        """In force on `on`, as MembershipQuerySet.in_force decides in SQL."""
        return self.joined_on <= on and (self.left_on is None or self.left_on > on)


class Unit(models.Model):
    """A unit inside a municipality's social services, e.g. utredningsenheten barn och familj."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="units", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
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
