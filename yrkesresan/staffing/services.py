"""Putting trainers and the course leader on a round's days, and what is wrong with it.

The coordinator names the course leader (present on every day of the round), makes teams of
trainers and gives each course day to one team. The mutations here assume the caller has
already been authorised to manage the round (`round_access.get_round_for_manager`); they enforce the
domain rules and raise StaffingError with a complete, translated sentence when refused.
`warnings(round)` lists what still needs the coordinator's attention, and `days_for_trainer`
is a person's coming days, for their page and their calendar feed.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from yrkesresan.accounts.models import RoleAssignment, User
from yrkesresan.core.errors import DomainError
from yrkesresan.core.models import log_action
from yrkesresan.rounds.models import CourseDay, Round

from .models import HandoverNote, Team, TeamDay

Role = RoleAssignment.Role
BY_NAME = ("last_name", "first_name", "pk")


class StaffingError(DomainError):
    """A refused staffing change; the message is a complete, translated sentence."""


def people_with_role(structure_id, role):
    """The people who hold `role` in the support structure, by name."""
    return (
        User.objects.filter(roles__role=role, roles__structure_id=structure_id, is_active=True)
        .select_related("municipality")
        .order_by(*BY_NAME)
    )


def trainers_of(round):
    return people_with_role(round.structure_id, Role.TRAINER)


def course_leaders_of(round):
    return people_with_role(round.structure_id, Role.COURSE_LEADER)


def _holders(structure_id, role, people):
    return set(
        RoleAssignment.objects.filter(
            role=role, structure_id=structure_id, user__in=[p.pk for p in people]
        )
        .order_by()
        .values_list("user_id", flat=True)
    )


def check_trainers(round, members):
    """Raise StaffingError unless every member is a trainer of the round's structure."""
    trainer_ids = _holders(round.structure_id, Role.TRAINER, members)
    outsiders = [person for person in members if person.pk not in trainer_ids]
    if outsiders:
        raise StaffingError(
            ngettext(
                "%(people)s is not a trainer of %(structure)s.",
                "%(people)s are not trainers of %(structure)s.",
                len(outsiders),
            )
            % {
                "people": ", ".join(str(p) for p in outsiders),
                "structure": round.structure,
            }
        )


@transaction.atomic
def set_course_leader(round, person, *, by):
    """Make `person` the course leader of `round`, or remove the course leader with None.

    The person must hold the course leader role in the round's structure. Writes
    `Round.course_leader` and logs the change; setting the same person again changes nothing.
    """
    if person is not None and not _holders(round.structure_id, Role.COURSE_LEADER, [person]):
        raise StaffingError(
            _("%(person)s is not a course leader of %(structure)s.")
            % {"person": person, "structure": round.structure}
        )
    new_id = person.pk if person else None
    if round.course_leader_id == new_id:
        return round
    previous = round.course_leader_id
    Round.objects.filter(pk=round.pk).update(course_leader=person)
    round.course_leader = person
    log_action(by, "round.course_leader_set", round, previous=previous, course_leader=new_id)
    return round


@transaction.atomic
def create_team(round, name, members, *, by):
    """A new team of `members` (trainers of the round's structure) in `round`.

    The name is unique in the round. Raises StaffingError when refused.
    """
    name = name.strip()
    if not name:
        raise StaffingError(_("Give the team a name."))
    if Team.objects.filter(round=round, name__iexact=name).exists():
        raise StaffingError(_("The round already has a team called %(name)s.") % {"name": name})
    members = list(members)
    check_trainers(round, members)
    team = Team.objects.create(round=round, name=name)
    team.members.set(members)
    log_action(by, "team.created", team, round=round.pk, name=name, members=_ids(members))
    return team


@transaction.atomic
def change_team_members(team, members, *, by):
    """Replace the members of `team` with `members` (trainers of the round's structure)."""
    members = list(members)
    check_trainers(team.round, members)
    before = set(team.members.values_list("pk", flat=True))
    if before == {p.pk for p in members}:
        return team
    team.members.set(members)
    log_action(by, "team.members_changed", team, previous=sorted(before), members=_ids(members))
    return team


@transaction.atomic
def remove_team(team, *, by):
    """Delete `team`; the days it had are left without a team (and show as warnings)."""
    days = list(team.day_assignments.values_list("day__number", flat=True))
    log_action(by, "team.removed", team, round=team.round_id, name=team.name, days=days)
    team.delete()


@transaction.atomic
def assign_team_to_day(day, team, *, by):
    """Give `day` to `team` (a team of the day's round), or take it from its team with None.

    A day has at most one team: a new team replaces the old one. Logs the change.
    """
    if team is not None and team.round_id != day.round_id:
        raise StaffingError(_("The team belongs to another round."))
    current = TeamDay.objects.select_for_update().filter(day=day).first()
    previous = current.team_id if current else None
    new = team.pk if team else None
    if previous == new:
        return current
    if team is None:
        current.delete()
        assignment = None
    elif current is None:
        assignment = TeamDay.objects.create(day=day, team=team)
    else:
        current.team = team
        current.save(update_fields=["team"])
        assignment = current
    log_action(by, "course_day.team_assigned", day, round=day.round_id, previous=previous, team=new)
    return assignment


def _ids(people):
    return sorted(p.pk for p in people)


# Warnings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffingWarning:
    """Something about a round's staffing that needs attention; `message` is translated."""

    DAY_WITHOUT_TEAM = "day_without_team"
    TEAM_WITHOUT_MEMBERS = "team_without_members"
    DOUBLE_BOOKED = "double_booked"
    NOT_A_TRAINER = "not_a_trainer"
    NO_COURSE_LEADER = "no_course_leader"
    NOT_A_COURSE_LEADER = "not_a_course_leader"
    PARTICIPANT_ON_STAFF = "participant_on_staff"
    IN_SEVERAL_TEAMS = "in_several_teams"

    kind: str
    message: str
    day: CourseDay | None = None
    team: Team | None = None
    person: User | None = None


def _date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _booked_on(day, course_leader):
    """The people who work on the day (its `team` set): the course leader and the team."""
    people = [course_leader] if course_leader is not None else []
    if day.team is not None:
        people.extend(m for m in day.team.members.all() if m != course_leader)
    return people


def members_in_name_order(lookup="members"):
    return Prefetch(lookup, queryset=User.objects.order_by(*BY_NAME))


def _days_with_teams(queryset):
    """The days with `team` set to their Team (members loaded) or None: two queries."""
    days = list(
        queryset.select_related("team_assignment__team").prefetch_related(
            members_in_name_order("team_assignment__team__members")
        )
    )
    for day in days:
        assignment = getattr(day, "team_assignment", None)
        day.team = assignment.team if assignment else None
    return days


@dataclass
class RoundStaffing:
    """A round's staffing as the staffing page shows it.

    `days` in order, each with `team` set (a Team or None); `teams` by name, each with its
    members loaded and `days` set (the days it takes); `warnings` as `warnings(round)` gives.
    """

    round: Round
    days: list
    teams: list
    warnings: list


def staffing_of(round):
    """The round's days, teams and warnings, in a fixed number of queries."""
    teams = list(round.teams.prefetch_related(members_in_name_order()))
    by_id = {team.pk: team for team in teams}
    days = list(round.days.select_related("venue", "team_assignment").order_by("number", "pk"))
    for team in teams:
        team.days = []
    for day in days:
        assignment = getattr(day, "team_assignment", None)
        day.team = by_id.get(assignment.team_id) if assignment else None
        if day.team is not None:
            day.team.days.append(day)
    return RoundStaffing(round, days, teams, _warnings(round, days, teams))


def warnings(round):
    """What is wrong with the round's staffing, in the order the coordinator should fix it.

    - the round has no course leader, or one without the course leader role;
    - a day without a team;
    - a team without members;
    - a team member who is not (or no longer) a trainer of the round's structure;
    - a trainer or course leader booked on the same date in another round of the structure
      (the course leader counts on every day of their round; cancelled rounds do not count);
    - a trainer or the course leader who is also registered or waiting in the round;
    - a trainer in more than one of the round's teams.

    Returns a list of StaffingWarning. A fixed number of queries, however many days, teams and
    rounds there are.
    """
    return staffing_of(round).warnings


def _warnings(round, days, teams):
    found = []
    course_leader = round.course_leader
    people = {m for team in teams for m in team.members.all()}
    if course_leader is not None:
        people.add(course_leader)
    roles = set(
        RoleAssignment.objects.filter(
            structure_id=round.structure_id,
            role__in=[Role.TRAINER, Role.COURSE_LEADER],
            user__in=[p.pk for p in people],
        )
        .order_by()
        .values_list("user_id", "role")
    )

    if course_leader is None:
        found.append(
            StaffingWarning(StaffingWarning.NO_COURSE_LEADER, _("The round has no course leader."))
        )
    elif (course_leader.pk, Role.COURSE_LEADER) not in roles:
        found.append(
            StaffingWarning(
                StaffingWarning.NOT_A_COURSE_LEADER,
                _("%(person)s is not a course leader of %(structure)s.")
                % {"person": course_leader, "structure": round.structure},
                person=course_leader,
            )
        )
    for day in days:
        if day.team is None:
            found.append(
                StaffingWarning(
                    StaffingWarning.DAY_WITHOUT_TEAM,
                    _("Day %(number)s (%(date)s) has no team.")
                    % {"number": day.number, "date": _date(day.date)},
                    day=day,
                )
            )
    for team in teams:
        members = list(team.members.all())
        if not members:
            found.append(
                StaffingWarning(
                    StaffingWarning.TEAM_WITHOUT_MEMBERS,
                    _("%(team)s has no trainers.") % {"team": team.name},
                    team=team,
                )
            )
        for member in members:
            if (member.pk, Role.TRAINER) not in roles:
                found.append(
                    StaffingWarning(
                        StaffingWarning.NOT_A_TRAINER,
                        _("%(person)s in %(team)s is not a trainer of %(structure)s.")
                        % {"person": member, "team": team.name, "structure": round.structure},
                        team=team,
                        person=member,
                    )
                )
    found.extend(_participants_on_staff(round, teams, course_leader, people))
    found.extend(_in_several_teams(teams))
    found.extend(_double_bookings(round, days, course_leader))
    return found


def _participants_on_staff(round, teams, course_leader, people):
    """Registered or waiting in the round while leading it or in one of its teams: one query.

    The registration rules refuse such a registration; this finds the ones made before the
    person joined the staff."""
    # The registrations are enrolment's, a layer above staffing: reached through the round.
    registrations = round.registrations
    participants = set(
        registrations.filter(
            person__in=[p.pk for p in people],
            status__in=registrations.model.LIVE_STATUSES,
        )
        .order_by()
        .values_list("person_id", flat=True)
    )
    found = []
    if course_leader is not None and course_leader.pk in participants:
        participants.discard(course_leader.pk)
        found.append(
            StaffingWarning(
                StaffingWarning.PARTICIPANT_ON_STAFF,
                _("%(person)s is the course leader and also a participant of the round.")
                % {"person": course_leader},
                person=course_leader,
            )
        )
    for team in teams:
        for member in team.members.all():
            if member.pk in participants:
                participants.discard(member.pk)  # once, in their first team
                found.append(
                    StaffingWarning(
                        StaffingWarning.PARTICIPANT_ON_STAFF,
                        _("%(person)s in %(team)s is also a participant of the round.")
                        % {"person": member, "team": team.name},
                        team=team,
                        person=member,
                    )
                )
    return found


def _in_several_teams(teams):
    teams_of = {}  # person -> [team, ...], in the teams' order
    for team in teams:
        for member in team.members.all():
            teams_of.setdefault(member, []).append(team)
    return [
        StaffingWarning(
            StaffingWarning.IN_SEVERAL_TEAMS,
            _("%(person)s is in more than one team: %(teams)s.")
            % {"person": person, "teams": ", ".join(team.name for team in in_teams)},
            team=in_teams[1],
            person=person,
        )
        for person, in_teams in teams_of.items()
        if len(in_teams) > 1
    ]


def _double_bookings(round, days, course_leader):
    if round.status == Round.Status.CANCELLED or not days:
        return []
    others = _days_with_teams(
        CourseDay.objects.filter(
            date__in={day.date for day in days}, round__structure_id=round.structure_id
        )
        .exclude(round=round)
        .exclude(round__status=Round.Status.CANCELLED)
        .select_related("round__course", "round__course_leader")
        .order_by("date", "round__name", "number")
    )
    booked_elsewhere = {}  # (person pk, date) -> [round, ...]
    for other in others:
        for person in _booked_on(other, other.round.course_leader):
            rounds = booked_elsewhere.setdefault((person.pk, other.date), [])
            if other.round not in rounds:
                rounds.append(other.round)
    found = []
    seen = set()
    for day in days:
        for person in _booked_on(day, course_leader):
            for other_round in booked_elsewhere.get((person.pk, day.date), []):
                if (person.pk, day.date, other_round.pk) in seen:
                    continue
                seen.add((person.pk, day.date, other_round.pk))
                found.append(
                    StaffingWarning(
                        StaffingWarning.DOUBLE_BOOKED,
                        _(
                            "%(person)s is booked on %(date)s both on day %(number)s here and in "
                            "%(round)s."
                        )
                        % {
                            "person": person,
                            "date": _date(day.date),
                            "number": day.number,
                            "round": other_round,
                        },
                        day=day,
                        person=person,
                    )
                )
    return found


# A trainer's days -------------------------------------------------------------------------


def trained_days_q(person):
    """A filter on CourseDay for the days `person` trains on (in the day's team) or leads.

    The team join can repeat a day: use it with `.distinct()` or inside `pk__in`.
    """
    return Q(team_assignment__team__members=person) | Q(round__course_leader=person)


def trainers_of_day(day):
    """The active people who work on `day`: the round's course leader, then the day's team."""
    people = [day.round.course_leader] if day.round.course_leader_id else []
    members = User.objects.filter(trainer_teams__day_assignments__day=day).order_by(*BY_NAME)
    people.extend(member for member in members if member not in people)
    return [person for person in people if person.is_active]


def days_for_trainer(user, *, since=None):
    """The person's course days from `since` (default today) as a team member or course leader.

    Days of cancelled rounds are left out. Returns a list of CourseDay in date and time order,
    each with its round, course, structure and venue loaded and these attributes set:
    `team` (the day's Team or None), `teammates` (the team's other members, by name),
    `in_team` (the person is a member of the day's team) and `as_course_leader` (the person
    leads the round, and so is on every one of its days). Two queries, however many days.
    """
    if not user.is_authenticated:
        return []
    since = since or timezone.localdate()
    days = _days_with_teams(
        CourseDay.objects.filter(trained_days_q(user), date__gte=since)
        .exclude(round__status=Round.Status.CANCELLED)
        .select_related("round__course", "round__structure", "venue")
        .distinct()
        .order_by("date", "starts_at", "round__name", "number")
    )
    for day in days:
        members = list(day.team.members.all()) if day.team else []
        day.teammates = [m for m in members if m != user]
        day.in_team = user in members
        day.as_course_leader = day.round.course_leader_id == user.pk
    return days


# Handover notes -----------------------------------------------------------------------------


def save_handover_note(day, *, by, covered, questions="", follow_up=""):
    """Write (or rewrite) the handover note of `day` for the next day's team. The caller has
    checked that `by` runs the round (Viewer.may_run_round). Raises StaffingError for an empty
    "what was covered" or a text over the limit."""
    fields = {
        "covered": covered.strip(),
        "questions": questions.strip(),
        "follow_up": follow_up.strip(),
    }
    if not fields["covered"]:
        raise StaffingError(_("Write what the day covered."))
    if any(len(text) > HandoverNote.LIMIT for text in fields.values()):
        raise StaffingError(
            _("Keep each part of the note under %(limit)s characters.")
            % {"limit": HandoverNote.LIMIT}
        )
    with transaction.atomic():
        note, created = HandoverNote.objects.update_or_create(
            day=day, defaults={**fields, "written_by": by}
        )
        log_action(by, "handover_note.saved", note, round=day.round_id, day=day.number)
    return note
