"""The evaluation's e-mail, from Swedish text templates like yrkesresan/notifications/emails.py.

The reminder says only that the evaluation is open: an invitation that has been answered gets
none, so the message tells nobody anything about answers.
"""

import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

TEMPLATES = "evaluations/email"


def render_text(template, context):
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"{TEMPLATES}/{template}", context)
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def reminder_message(invitation):
    person = invitation.completion.person
    round = invitation.round
    context = {
        "recipient": person,
        "round": round,
        "course": round.course,
        "answer_url": settings.SITE_URL + reverse("evaluations:answer", args=[round.pk]),
    }
    return EmailMessage(
        subject=render_text("reminder_subject.txt", context).strip(),
        body=render_text("reminder.txt", context),
        to=[person.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
