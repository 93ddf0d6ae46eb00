"""Telling trainers about a new version of a course they have days ahead in.

A receiver of catalog.signals.version_published (sent inside the publish's transaction): the
trainers with a course day ahead in a round of the course that teaches an older version, and
those rounds' course leaders, each get one e-mail with the change note and a link to the
trainer material, where they read what changed and acknowledge it.
"""

import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from yrkesresan.catalog.models import CourseVersion
from yrkesresan.core.mail import send, task_key
from yrkesresan.core.queue import enqueue_on_commit
from yrkesresan.staffing.queries import trainers_ahead_on_older_versions

from .emails import _message

logger = logging.getLogger(__name__)


def new_version_messages(version, today):
    """The unsent e-mails about `version`, one per trainer to tell."""
    course = version.course
    url = settings.SITE_URL + reverse("materials:trainer", args=[course.slug])
    context = {"course": course, "version": version, "material_url": url}
    return [
        _message("new_version", person, {**context, "rounds": rounds})
        for person, rounds in trainers_ahead_on_older_versions(course, version, today).items()
        if person.email and person.is_active
    ]


@task(takes_context=True)
def send_new_version(context, version_id):
    version = (
        CourseVersion.objects.select_related("course", "legal_reference")
        .filter(pk=version_id, status=CourseVersion.Status.PUBLISHED)
        .first()
    )
    if version is None:
        logger.info("Course version %s is gone; no message sent", version_id)
        return 0
    return send(new_version_messages(version, timezone.localdate()), key=task_key(context))


def on_version_published(sender, version, **kwargs):
    enqueue_on_commit(send_new_version, version.pk)
