"""What staffing tells people (receivers of staffing/signals.py, connected in
NotificationsConfig.ready): planned trainers get their days with calendar events, and the
coordinators hear when a manager withdraws a trainer's date."""

from collections import defaultdict

from django.conf import settings
from django.urls import reverse

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.core.mail import send
from yrkesresan.core.queue import enqueue_on_commit
from yrkesresan.staffing.models import Availability, PlanAssignment

from . import tasks
from .emails import _common_context, _message, calendar_part, day_lines


def plan_messages(assignment_ids):
    """One message per person and round, with one calendar event per planned day."""
    assignments = (
        PlanAssignment.objects.filter(pk__in=assignment_ids)
        .select_related("person", "day__round__course", "day__venue")
        .order_by("person_id", "day__round_id", "day__number")
    )
    grouped = defaultdict(list)
    for a in assignments:
        grouped[a.person, a.day.round].append(a)
    messages = []
    for (person, round), planned in grouped.items():
        days = sorted({a.day for a in planned}, key=lambda d: d.number)
        context = {
            **_common_context(round),
            "days": day_lines(days),
            "as_course_leader": all(a.is_course_leader for a in planned),
            "my_days_url": settings.SITE_URL + reverse("staffing:my_days"),
            "for_manager": False,
        }
        parts = [calendar_part(day, sequence=day.sequence, attendee=person) for day in days]
        messages.append(_message("trainer_planned", person, context, parts))
    return messages


def withdrawn_messages(availability_id):
    availability = (
        Availability.objects.select_related("person", "withdrawn_by").filter(pk=availability_id)
    ).first()
    if availability is None:
        return []
    structures = availability.person.pool_memberships.values("structure")
    coordinators = User.objects.filter(
        roles__role=RoleAssignment.Role.COORDINATOR, roles__structure__in=structures
    ).distinct()
    context = {
        "availability": availability,
        "person": availability.person,
        "manager": availability.withdrawn_by,
        "plan_url": settings.SITE_URL + reverse("staffing:plans"),
    }
    return [_message("date_withdrawn", c, context) for c in coordinators]


def on_plan_accepted(sender, plan, new, **kwargs):
    ids = [a.pk for a in new]
    if ids:
        enqueue_on_commit(tasks.send_plan_messages, ids)


def on_availability_withdrawn(sender, availability, **kwargs):
    enqueue_on_commit(tasks.send_date_withdrawn, availability.pk)


def send_plan(assignment_ids, key):
    return send(plan_messages(assignment_ids), key=key)


def send_withdrawn(availability_id, key):
    return send(withdrawn_messages(availability_id), key=key)
