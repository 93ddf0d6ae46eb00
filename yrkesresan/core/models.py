from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who changed or looked at what, and when: the audit trail.

    Append-only. Service functions write changes (`log_action`) and the views that show one
    person's data, or export it, write that it was seen (`log_view`); nothing updates or deletes
    a row, and on PostgreSQL a trigger (migration 0002) refuses UPDATE and DELETE to every
    database user, the application's included. So the links to people are plain ids without a
    database constraint: erasing a person leaves the trail as it was, with an id that no longer
    names anyone.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    # The person whose personal data was seen or changed, when there is one.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whose data"),
    )
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["subject", "-created_at"], name="audit_subject_recent"),
        ]

    def __str__(self):
        return f"{self.action} {self.object_type}:{self.object_id}"


VIEWED = "viewed"


def _user_or_none(user):
    return user if user is not None and user.is_authenticated else None


def log_action(actor, action, obj, subject=None, **data):
    """Record that `actor` did `action` to `obj` (about `subject`, the person whose data it
    is, if any: a user or their id); call inside the changing transaction."""
    return AuditEvent.objects.create(
        actor=_user_or_none(actor),
        subject_id=getattr(subject, "pk", subject),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )


def log_view(viewer, subjects, what, obj=None):
    """Record that `viewer` saw the personal data of each person in `subjects` (people or their
    ids) on the page or
    export `what` (a short English key such as "person_detail" or "attendance_list").

    A person looking at their own data is not recorded: the trail answers "who else has seen
    my data?". One INSERT for any number of people.
    """
    viewer = _user_or_none(viewer)
    seen = {getattr(person, "pk", person) for person in subjects}
    seen.discard(viewer.pk if viewer is not None else None)
    if not seen:
        return []
    object_type = obj._meta.label_lower if obj is not None else "accounts.user"
    return AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=viewer,
            subject_id=pk,
            action=VIEWED,
            object_type=object_type,
            object_id=str(obj.pk if obj is not None else pk),
            data={"what": what},
        )
        for pk in sorted(seen)
    )


class OutboundEmail(models.Model):
    """One e-mail to one message's recipients: the outbox row its delivery task works from.

    Written by `core.mail.send` in the caller's transaction, together with the queued task that
    delivers it, so that a message is either both stored and queued or neither. `key` is the
    idempotency key: whoever writes the same message twice (a task run again after its worker
    died) writes it once. See `core.mail` for the delivery guarantee.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    # The course round the message is about, if any: an id and not a foreign key, because core
    # sits below rounds. It lets a round's coordinator see the round's undelivered messages.
    round_id = models.PositiveIntegerField(_("round"), null=True, blank=True, db_index=True)
    recipients = models.TextField(_("recipients"))
    subject = models.CharField(_("subject"), max_length=998)
    # The message's parts (see core.mail.serialize): rebuilt into an EmailMessage when sent.
    content = models.JSONField(_("content"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Set when the retries ran out; a resend clears it.
    gave_up_at = models.DateTimeField(_("gave up"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        indexes = [
            models.Index(
                fields=["round_id", "created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="core_outbound_undelivered",
            )
        ]

    def __str__(self):
        return f"{self.recipients}: {self.subject}"


class WorkerHeartbeat(models.Model):
    """A background worker's sign of life (see core.worker): a task it holds is not stale."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    seen_at = models.DateTimeField(_("seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return self.worker_id
