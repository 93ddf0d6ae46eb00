"""E-mail about the account itself."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from yrkesresan.core.mail import send


def send_erasure_notice(person, erase_on):
    """Tell a person their account will be erased for inactivity on `erase_on` unless they sign
    in: stored in the outbox in the caller's transaction, once per person and date."""
    context = {
        "person": person,
        "erase_on": erase_on,
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
    return send([message], key=f"erasure-notice:{person.pk}:{erase_on.isoformat()}")
