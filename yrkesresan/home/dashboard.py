"""What the start page shows a logged-in person, section by section, by their roles: each
role's panel of work first, most urgent first, then the person's own journey."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from yrkesresan.accounts.access import scope_for, staff_visible_to
from yrkesresan.catalog.models import Journey
from yrkesresan.enrolment.forms import NewHireForm
from yrkesresan.enrolment.models import Registration
from yrkesresan.enrolment.queries import attention_for, courses_of_journeys, teaching_work
from yrkesresan.learning.journey_map import journey_map_for, note_first_sight
from yrkesresan.organisations.models import SupportStructure, Unit, member_on
from yrkesresan.reports.planning import municipality_steps, rounds_for_list, staff_places
from yrkesresan.reports.queries import municipality_work
from yrkesresan.rounds.access import rounds_visible_to
from yrkesresan.rounds.models import Round
from yrkesresan.staffing.queries import attach_handover_notes
from yrkesresan.staffing.services import days_for_trainer

# The coming course days the teaching panel lists.
COMING_DAYS = 5


def start_page_for(user):
    scope = scope_for(user)
    today = timezone.localdate()
    context = {"scope": scope, "roles": [role.label for role in scope.roles]}
    context["my_journey"] = my_journey(user)
    context["my_registrations"] = my_registrations(context["my_journey"])
    if scope.coordinated_structure_ids:
        context["attention"] = attention_for(scope.coordinated_structure_ids, today)
    if scope.teaching_structure_ids:
        context["teaching"] = teaching_panel(user, today)
    if scope.managed_unit_ids:
        context["team"] = team_panel(user, scope)
    if scope.contact_municipality_ids:
        works = municipality_work(scope.contact_municipality_ids)
        steps = municipality_steps(scope.contact_municipality_ids, today)
        for work in works:
            work.by_step = steps.get(work.municipality.pk, [])
        context["contact_municipalities"] = works
    structure_ids = scope.work_structure_ids
    if structure_ids:
        members = member_on("counties__municipalities", today)
        context["structures"] = (
            SupportStructure.objects.filter(pk__in=structure_ids)
            .annotate(
                municipality_count=Count("counties__municipalities", distinct=True),
                member_count=Count("counties__municipalities", filter=members, distinct=True),
            )
            .prefetch_related("counties")
        )
    if scope.edited_journey_ids or scope.is_admin:
        journeys = Journey.objects.all()
        if not scope.is_admin:
            journeys = journeys.filter(pk__in=scope.edited_journey_ids)
        context["edited_courses"] = courses_of_journeys(journeys)
    return context


def teaching_panel(user, today):
    """The course leader's and trainer's panel: today's and the next course days (each with its
    attendance list one tap away, the handover note the round's previous day left and a link
    to leave one for the next team) and the rounds they lead with the answers waiting for
    review and the participants to mark complete."""
    days = attach_handover_notes(days_for_trainer(user, since=today)[:COMING_DAYS])
    return {"today": today, "days": days, "rounds": teaching_work(user, today)}


@dataclass
class TeamSummary:
    """The manager's team at a glance, for one step (or all): how many need a seat, wait, are
    in a round, are done with their step."""

    step: str = ""
    needs_seat: int = 0
    waiting: int = 0
    in_round: int = 0
    done: int = 0

    def add(self, row):
        self.needs_seat += row.needs_seat
        self.waiting += row.waiting
        self.in_round += row.in_round
        self.done += row.done


def team_panel(user, scope):
    """The manager's panel: the staff of their units with their step and places (one row each,
    reports.planning.staff_places), the counts by status for each step and in all, and the
    open rounds to register them in with the seats left."""
    staff = staff_visible_to(user).filter(unit_id__in=scope.managed_unit_ids, is_active=True)
    open_rounds = rounds_visible_to(user).filter(status=Round.Status.OPEN)
    rows = staff_places(staff, open_rounds)
    summary, by_step = TeamSummary(), {}
    for row in rows:
        statuses = {
            place.status for place in row.places if place.round.status in Round.LIVE_STATUSES
        }
        row.waiting = Registration.Status.WAITLISTED in statuses
        row.in_round = Registration.Status.REGISTERED in statuses
        row.needs_seat = any(gap.waiting_in is None for gap in row.gaps)
        row.done = (
            not row.gaps
            and not row.in_round
            and not row.waiting
            and any(step is not None for step in row.steps)
        )
        summary.add(row)
        steps = ", ".join(step.name for step in row.steps if step is not None) or "–"
        by_step.setdefault(steps, TeamSummary(steps)).add(row)
    rounds = list(rounds_for_list(open_rounds))
    for round in rounds:
        round.seats_left = max(round.seats - round.registered_count, 0)
    units = Unit.objects.filter(pk__in=scope.managed_unit_ids).order_by("name")
    return {
        "rows": rows,
        "summary": summary,
        "by_step": sorted(by_step.values(), key=lambda item: item.step),
        "rounds": rounds,
        "new_hire_form": NewHireForm(units=units),
    }


def my_journey(user):
    """The person's journey map (learning.journey_map), or None when nothing is published.

    The first visit records the step silently; moving up a step is announced on the map
    until the person dismisses it.
    """
    journey_map = journey_map_for(user)
    if journey_map is None:
        return None
    return note_first_sight(user, journey_map)


def my_registrations(journey_map):
    """The person's non-cancelled registrations, latest round first, each round's
    `days_in_order` (read from the journey map, so no further queries)."""
    return journey_map.registrations if journey_map else []
