from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Placement(models.Model):
    """Where a person stands on a journey: the step they take courses on.

    Without a placement row a person is on the step their years in the profession suggest.
    A row records a choice: the person entering directly at a higher step, or a manager's
    override with a reason.
    """

    class Source(models.TextChoices):
        DIRECT_ENTRY = "direct_entry", _("Entered directly")
        MANAGER = "manager", _("Set by manager")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("person"),
    )
    journey = models.ForeignKey(
        "catalog.Journey", on_delete=models.CASCADE, related_name="+", verbose_name=_("journey")
    )
    step = models.ForeignKey(
        "catalog.Step", on_delete=models.PROTECT, related_name="placements", verbose_name=_("step")
    )
    source = models.CharField(_("how it was decided"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(fields=["person", "journey"], name="one_placement_per_journey"),
            models.CheckConstraint(
                condition=~models.Q(source="manager", reason=""),
                name="manager_placement_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.step}"
