"""Materials' part of the personal-data rights (accounts.privacy): which version of a course's
trainer material a trainer has read and acknowledged."""

from django.utils.translation import gettext as _

from yrkesresan.accounts.privacy import Section

from .models import VersionReading


def sections(sender, person, **kwargs):
    readings = Section(
        "version_readings",
        _("Trainer material read"),
        _("To show a trainer what changed since they last read, and the coordinator who has not."),
        _("As long as the account."),
        VersionReading,
        ["course", "opened", "acknowledged"],
    )
    if person is not None:
        for row in VersionReading.objects.filter(person=person).select_related(
            "course", "opened", "acknowledged"
        ):
            readings.add(row)
    return readings
