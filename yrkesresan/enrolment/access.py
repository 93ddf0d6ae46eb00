"""Who may register, cancel, mark attendance and completion: enrolment's rules, over the
scope of accounts.access and the round rules of rounds.access."""

from yrkesresan.accounts.access import scope_for
from yrkesresan.rounds.access import can_manage_round, viewer_of


def can_register(user, person, round):
    """A manager registers their unit's staff, a municipal contact their municipality's, the
    coordinator anyone employed in the structure's counties; administrators anyone."""
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if person.unit_id is not None and person.unit_id in scope.managed_unit_ids:
        return True
    if person.municipality_id is not None and (
        person.municipality_id in scope.contact_municipality_ids
    ):
        return True
    if person.municipality_id is None:
        return False
    county_id = person.municipality.county_id
    return (round.structure_id, county_id) in scope.coordinated_structure_counties


def can_import_registrations(user, round):
    """The round's coordinator (or an administrator) imports anyone the round may take; a
    municipal contact who sees the round imports staff of their own municipality."""
    return viewer_of(user, round).may_import_registrations


def can_cancel(user, registration):
    """Whoever may register the person may cancel; so may the participant themself."""
    return registration.person_id == user.pk or can_register(
        user, registration.person, registration.round
    )


def can_mark_attendance(user, round):
    """The round's course leader, the trainers and course leaders of its structure, its
    coordinator and administrators mark attendance and review deep-dive answers."""
    return viewer_of(user, round).may_run_round


def can_mark_complete(user, round):
    """Completion (klarmarkering) is the course leader's, or the coordinator's in their stead."""
    return viewer_of(user, round).may_mark_complete


def can_book_make_up(user, round):
    """Make-up days are booked by the coordinator of the round that takes the person in."""
    return can_manage_round(user, round)


def is_in_round(user, round):
    """An active (registered) participant of the round."""
    return round.registrations.filter(person=user, status="registered").exists()


def sees_fellow_participants(user, round):
    """Participants and the people who run the round see who else is in it: name and
    municipality; contact details only of those who opted in."""
    return viewer_of(user, round).sees_everyone or is_in_round(user, round)
