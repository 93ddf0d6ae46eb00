"""Writing course material: adding material (files checked by content), and trainers'
readings of a new course version."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from yrkesresan.catalog.services import current_version
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action

from .models import Material, VersionReading
from .uploads import check_upload


class MaterialError(DomainError):
    pass


@transaction.atomic
def add_material(course, *, by, audience, title, day_number=None, description="", body="",
                 url="", upload=None):  # fmt: skip
    """New material for `course` in its current version: a text, a link or a file. A file is
    checked by its content (materials.uploads.check_upload: UploadError) and stored through
    Django's storage API under a name of ours, never the uploader's."""
    title = title.strip()
    if not title:
        raise MaterialError(_("Give the material a title."))
    if upload is None and not body.strip() and not url:
        raise MaterialError(_("Add a file, a text or a link."))
    if day_number is not None and not 1 <= day_number <= course.course_days:
        raise MaterialError(_("The course has days 1 to %(days)s.") % {"days": course.course_days})
    material = Material(
        course=course,
        audience=audience,
        title=title,
        description=description.strip(),
        body=body.strip(),
        url=url,
        day_number=day_number,
        version=course.version,
        course_version=current_version(course),
        published_on=timezone.localdate(),
    )
    if upload is not None:
        checked = check_upload(upload)
        material.file_kind = checked.kind
        material.file.save(f"{slugify(title)[:60] or 'fil'}.{checked.extension}", upload,
                           save=False)  # fmt: skip
    material.save()
    log_action(by, "material.added", material, course=course.pk, kind=material.file_kind)
    return material


def record_opened(person, course, version, previous=None):
    """The trainer opened the trainer material of `course` in `version` (or None). A trainer
    opening it for the first time counts as having read up to `previous` (the version before,
    or `version` when there is none), so that the latest change is theirs to read too."""
    if version is None:
        return None
    reading, _created = VersionReading.objects.get_or_create(
        person=person, course=course, defaults={"opened": previous or version}
    )
    return reading


@transaction.atomic
def acknowledge(person, course, version):
    """The trainer has read what changed up to `version` (published) before their next day."""
    reading, _created = VersionReading.objects.select_for_update().get_or_create(
        person=person, course=course, defaults={"opened": version}
    )
    reading.acknowledged = version
    reading.acknowledged_at = timezone.now()
    reading.save(update_fields=["acknowledged", "acknowledged_at"])
    log_action(person, "material.version_acknowledged", reading, version=version.number)
    return reading
