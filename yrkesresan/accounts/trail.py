"""The audit trail as people read it: who has seen or changed a person's data.

A person reads the trail about themself; a municipality's contact reads it for the municipality's
staff, and an administrator for everyone (`Scope.may_see_staff_trail`). The trail itself is
`core.models.AuditEvent`, written by the services and by the views that show a person's data.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yrkesresan.core.models import VIEWED, AuditEvent

from .access import scope_for
from .models import User

# What each recorded action means, in words. An action not listed here shows its key.
ACTIONS = {
    "person.move": _("Recorded a move to another employer"),
    "person.work_role": _("Changed the role at work"),
    "placement.enter_directly": _("Chose a step"),
    "placement.override": _("Placed on a step"),
    "registration.registered": _("Registered for a course round"),
    "registration.waitlisted": _("Put on a waiting list"),
    "registration.cancelled": _("Cancelled a registration"),
    "registration.promoted": _("Given a seat from the waiting list"),
    "attendance.marked": _("Marked attendance"),
    "make_up.booked": _("Booked a make-up day"),
    "make_up.cancelled": _("Cancelled a make-up day"),
    "deep_dive.approved": _("Approved a deep-dive answer"),
    "deep_dive.needs_more": _("Asked for more in a deep-dive answer"),
    "course.completed": _("Marked a course as completed"),
    "api_token.created": _("Made an API token"),
    "api_token.revoked": _("Revoked an API token"),
    "api_token.used": _("Used an API token"),
    "role.added": _("Gave a role"),
    "role.removed": _("Took away a role"),
}

# Where personal data was seen (the `what` of core.models.log_view).
SEEN_ON = {
    "person_detail": _("Saw the person's page"),
    "record_pdf": _("Downloaded the record as PDF"),
    "record_json": _("Downloaded the record as JSON"),
    "attendance_list": _("Saw the attendance list of a course round"),
    "attendance_xlsx": _("Downloaded the attendance list of a course round"),
}


def describe(event):
    """The event in words, for the person whose data it concerns."""
    if event.action == VIEWED:
        what = event.data.get("what", "")
        return SEEN_ON.get(what, what)
    return ACTIONS.get(event.action, event.action)


def about(person):
    """What others did with or saw of `person`'s data, newest first."""
    return (
        AuditEvent.objects.filter(subject_id=person.pk)
        .exclude(actor_id=person.pk)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def staff_of(user):
    """The people whose trail `user` may read as a contact or administrator (none otherwise)."""
    scope = scope_for(user)
    if scope.is_admin:
        return User.objects.all()
    return User.objects.filter(municipality_id__in=scope.contact_municipality_ids)


def about_staff(user, query=""):
    """The trail about the people whose trail `user` may read, newest first; `query` narrows it
    to people whose name or e-mail address contains it."""
    people = staff_of(user)
    query = query.strip()
    if query:
        people = people.filter(
            Q(email__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return (
        AuditEvent.objects.filter(subject_id__in=people.values("pk"))
        .select_related("actor", "subject")
        .order_by("-created_at", "-pk")
    )
