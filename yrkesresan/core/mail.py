"""E-mail that is never lost and never sent twice: an outbox row per message, delivered by a task.

`send(messages, key=...)` stores each message as an `OutboundEmail` row and queues a `deliver`
task for it, in one transaction (the database task queue writes its task row in the same
transaction). Nothing talks to the mail server inside a request.

`deliver` locks the message's row, sends it over SMTP and marks it sent in the same transaction:

- **Never lost.** A message is stored before anything is sent. A mail server that is down or
  refuses the message leaves the row unsent: the attempt is counted and the task queues itself
  again with exponential back-off (EMAIL_RETRY_BASE_SECONDS doubling, at most
  EMAIL_RETRY_MAX_SECONDS), up to EMAIL_MAX_ATTEMPTS; then the row is marked as given up and
  its round's coordinator sees it among the undelivered messages and can send it again. A
  worker killed mid-send rolls its transaction back; its task is taken up again by another
  worker once its heartbeat has stopped (core.worker).
- **Never twice, with one window.** The row lock serialises deliveries of the same message, and
  a row already marked sent is skipped, so two tasks for one message (a resend, a recovered
  task) send it once. The one window that no database can close: the mail server has accepted
  the message (it answered 250 to DATA) but the worker dies, or loses the database, before its
  transaction commits. The row stays unsent and the message is sent again. The window is the
  time between the server's reply and the commit (milliseconds); every copy carries the same
  Message-ID, so a receiving system that deduplicates by Message-ID shows it once.
- **Written once.** `key` is an idempotency key: a caller that writes the same messages again
  with the same key (a task run again after its worker died, see `task_key`) adds nothing.

Subjects are built from user data (a round's name, a course's title): `send` collapses every
run of whitespace, line breaks included, into one space, the one place every subject passes.
"""

import base64
import datetime
import email
import hashlib
import logging
from collections import Counter
from email.mime.base import MIMEBase
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .models import OutboundEmail

logger = logging.getLogger(__name__)


def one_line(text):
    """`text` with every run of whitespace (line breaks too) as one space: safe in a header."""
    return " ".join(str(text).split())


def task_key(context, name="task"):
    """An idempotency key for the messages a task writes: the same when the task runs again."""
    return f"{name}:{context.task_result.id}"


def serialize(message):
    """The parts of an EmailMessage, as JSON, to rebuild it in the worker."""
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            attachments.append({"mime": attachment.as_string()})
        else:
            filename, content, mimetype = attachment
            if isinstance(content, bytes):
                attachments.append(
                    {
                        "filename": filename,
                        "base64": base64.b64encode(content).decode(),
                        "mimetype": mimetype,
                    }
                )
            else:
                attachments.append({"filename": filename, "text": content, "mimetype": mimetype})
    return {
        "subject": one_line(message.subject),
        "body": message.body,
        "content_subtype": message.content_subtype,
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {name: one_line(value) for name, value in message.extra_headers.items()},
        "alternatives": [list(a) for a in getattr(message, "alternatives", [])],
        "attachments": attachments,
    }


def _mime_part(text):
    parsed = email.message_from_string(text)
    part = MIMEBase(parsed.get_content_maintype(), parsed.get_content_subtype())
    for name in list(part.keys()):
        del part[name]
    for name, value in parsed.items():
        part[name] = value
    part.set_payload(parsed.get_payload())
    return part


def deserialize(content):
    """The EmailMessage that `serialize` stored."""
    cls = EmailMultiAlternatives if content["alternatives"] else EmailMessage
    message = cls(
        subject=content["subject"],
        body=content["body"],
        from_email=content["from_email"],
        to=content["to"],
        cc=content["cc"],
        bcc=content["bcc"],
        reply_to=content["reply_to"],
        headers=content["headers"],
    )
    message.content_subtype = content["content_subtype"]
    for body, mimetype in content["alternatives"]:
        message.attach_alternative(body, mimetype)
    for attachment in content["attachments"]:
        if "mime" in attachment:
            message.attach(_mime_part(attachment["mime"]))
        elif "base64" in attachment:
            data = base64.b64decode(attachment["base64"])
            message.attach(attachment["filename"], data, attachment["mimetype"])
        else:
            message.attach(attachment["filename"], attachment["text"], attachment["mimetype"])
    return message


def _message_id():
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "yrkesresan"
    return make_msgid(domain=domain)


def send(messages, *, key, round_id=None):
    """Store `messages` in the outbox and queue their delivery; returns how many were stored.

    `key` names this batch of messages for good (see `task_key`): calling again with the same
    key stores nothing new for the same recipients (at most 140 characters). `round_id`: the
    course round the messages are about, if any.
    """
    stored = 0
    seen = Counter()
    with transaction.atomic():
        for message in messages:
            # Each message's key names its recipients, not its place in the list: a task run
            # again that finds one more or one fewer recipient still matches the others.
            recipients = ",".join(sorted(message.recipients()))
            digest = hashlib.sha256(recipients.encode()).hexdigest()[:24]
            seen[digest] += 1
            content = serialize(message)
            content["headers"].setdefault("Message-ID", _message_id())
            if content["from_email"] is None:
                content["from_email"] = settings.DEFAULT_FROM_EMAIL
            row, created = OutboundEmail.objects.get_or_create(
                key=f"{key}:{digest}:{seen[digest]}",
                defaults={
                    "round_id": round_id,
                    "recipients": ", ".join(message.recipients()),
                    "subject": content["subject"][:998],
                    "content": content,
                },
            )
            if created:
                stored += 1
                deliver.enqueue(row.pk)
    return stored


def backoff(attempts):
    """Seconds to wait after the `attempts`-th failed attempt."""
    base = settings.EMAIL_RETRY_BASE_SECONDS
    return min(base * 2 ** (attempts - 1), settings.EMAIL_RETRY_MAX_SECONDS)


@task()
def deliver(email_id):
    """Send one outbox message, unless it was sent already; on failure, try again later."""
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if row is None or row.sent_at is not None or row.gave_up_at is not None:
            return "skipped"
        row.attempts += 1
        try:
            with get_connection() as connection:
                connection.send_messages([deserialize(row.content)])
        except Exception as error:
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            logger.warning("E-mail %s not delivered (attempt %s): %s", row.pk, row.attempts, error)
            if row.attempts >= settings.EMAIL_MAX_ATTEMPTS:
                row.gave_up_at = timezone.now()
                row.next_attempt_at = None
            else:
                delay = datetime.timedelta(seconds=backoff(row.attempts))
                row.next_attempt_at = timezone.now() + delay
            row.save(update_fields=["attempts", "last_error", "next_attempt_at", "gave_up_at"])
            # A backend that cannot defer (the tests' immediate one) would retry at once, for
            # ever: there the message waits for a resend.
            if row.next_attempt_at is not None and deliver.get_backend().supports_defer:
                deliver.using(run_after=row.next_attempt_at).enqueue(row.pk)
            return "failed"
        row.sent_at = timezone.now()
        row.next_attempt_at = None
        row.save(update_fields=["attempts", "sent_at", "next_attempt_at"])
    return "sent"


def resend(rows):
    """Queue undelivered outbox `rows` again, their attempts counted from zero. Returns a count."""
    count = 0
    with transaction.atomic():
        for row in OutboundEmail.objects.select_for_update().filter(
            pk__in=[r.pk for r in rows], sent_at__isnull=True
        ):
            row.attempts = 0
            row.gave_up_at = None
            row.next_attempt_at = None
            row.save(update_fields=["attempts", "gave_up_at", "next_attempt_at"])
            deliver.enqueue(row.pk)
            count += 1
    return count
