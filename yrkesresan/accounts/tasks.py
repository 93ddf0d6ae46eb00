"""E-mail about the account, sent by the background worker (like enrolment/tasks.py)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from yrkesresan.core.mail import send

from .models import User

logger = logging.getLogger(__name__)


@task()
def send_erasure_notice(person_id, erase_on):
    """Tell a person their account will be erased for inactivity unless they sign in."""
    person = User.objects.filter(pk=person_id, erased_at__isnull=True).first()
    if person is None:
        logger.info("Person %s is gone or erased; no notice sent", person_id)
        return 0
    context = {
        "person": person,
        "erase_on": datetime.date.fromisoformat(erase_on),
        "login_url": settings.SITE_URL + reverse("accounts:login"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/erasure_notice_subject.txt", context)
        body = render_to_string("accounts/email/erasure_notice.txt", context)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[person.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    return send([message])
