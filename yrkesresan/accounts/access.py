"""Who may see and do what. Every view and API goes through this module.

A person's scope is read once per request from their role assignments. Views fetch scoped
objects with the `get_*_for_user` helpers: an object outside the caller's scope is a 404 (its
existence is not revealed); a visible object the caller may not change is a 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from yrkesresan.organisations.models import Municipality, SupportStructure
from yrkesresan.rounds.models import Registration, Round

from .models import RoleAssignment, User

Role = RoleAssignment.Role


@dataclass(frozen=True)
class Scope:
    """The organisations and journeys a person's roles cover."""

    is_admin: bool = False
    managed_unit_ids: frozenset = frozenset()
    contact_municipality_ids: frozenset = frozenset()
    coordinated_structure_ids: frozenset = frozenset()
    coordinated_county_ids: frozenset = frozenset()
    # (structure id, county id) pairs of the coordinated structures.
    coordinated_structure_counties: frozenset = frozenset()
    trainer_structure_ids: frozenset = frozenset()
    course_leader_structure_ids: frozenset = frozenset()
    edited_journey_ids: frozenset = frozenset()

    @property
    def roles(self):
        """The roles held, in display order, for navigation and the start page."""
        held = []
        if self.is_admin:
            held.append(Role.ADMINISTRATOR)
        if self.edited_journey_ids:
            held.append(Role.NATIONAL_EDITOR)
        if self.coordinated_structure_ids:
            held.append(Role.COORDINATOR)
        if self.contact_municipality_ids:
            held.append(Role.MUNICIPAL_CONTACT)
        if self.managed_unit_ids:
            held.append(Role.MANAGER)
        if self.course_leader_structure_ids:
            held.append(Role.COURSE_LEADER)
        if self.trainer_structure_ids:
            held.append(Role.TRAINER)
        return held

    @property
    def sees_staff(self):
        return bool(
            self.is_admin
            or self.managed_unit_ids
            or self.contact_municipality_ids
            or self.coordinated_county_ids
        )


NO_SCOPE = Scope()


# What scope_from_rows reads from a role assignment, in this order: any query that reaches the
# assignments (RoleAssignment itself, or the API's token through "user__roles__")
# can read them with these paths.
SCOPE_PATHS = ("role", "unit_id", "municipality_id", "structure_id", "journey_id",
               "structure__counties")  # fmt: skip


def scope_for(user):
    """The user's scope, computed once per user object (so once per request)."""
    if not user.is_authenticated:
        return NO_SCOPE
    cached = getattr(user, "_access_scope", None)
    if cached is not None:
        return cached
    # One query: a row per assignment, and per county of a structure's assignment.
    rows = RoleAssignment.objects.filter(user=user).order_by().values_list(*SCOPE_PATHS)
    return scope_from_rows(user, rows)


def scope_from_rows(user, rows):
    """Compute the user's scope from their role assignments as rows of SCOPE_PATHS (rows whose
    role is None are skipped: a left join to a person without roles) and remember it for
    scope_for. For callers that read the assignments together with the user in one query."""
    by_role = {}
    counties = set()
    structure_counties = set()
    for role, unit_id, municipality_id, structure_id, journey_id, county_id in rows:
        if role is None:
            continue
        scope_id = unit_id or municipality_id or structure_id or journey_id
        by_role.setdefault(role, set()).add(scope_id)
        if role == Role.COORDINATOR and county_id is not None:
            counties.add(county_id)
            structure_counties.add((structure_id, county_id))
    scope = Scope(
        is_admin=Role.ADMINISTRATOR in by_role or user.is_superuser,
        managed_unit_ids=frozenset(by_role.get(Role.MANAGER, ())),
        contact_municipality_ids=frozenset(by_role.get(Role.MUNICIPAL_CONTACT, ())),
        coordinated_structure_ids=frozenset(by_role.get(Role.COORDINATOR, ())),
        coordinated_county_ids=frozenset(counties),
        coordinated_structure_counties=frozenset(structure_counties),
        trainer_structure_ids=frozenset(by_role.get(Role.TRAINER, ())),
        course_leader_structure_ids=frozenset(by_role.get(Role.COURSE_LEADER, ())),
        edited_journey_ids=frozenset(by_role.get(Role.NATIONAL_EDITOR, ())),
    )
    user._access_scope = scope
    return scope


# People


def staff_visible_to(user):
    """People whose records the user may see in staff lists: never people elsewhere.

    A manager sees their units, a municipal contact their municipality, a coordinator the
    counties their support structure covers, an administrator everyone.
    """
    scope = scope_for(user)
    if scope.is_admin:
        return User.objects.all()
    condition = Q(unit_id__in=scope.managed_unit_ids)
    condition |= Q(municipality_id__in=scope.contact_municipality_ids)
    condition |= Q(municipality__county_id__in=scope.coordinated_county_ids)
    if not scope.sees_staff:
        return User.objects.none()
    return User.objects.filter(condition)


def can_see_person(user, person):
    if person.pk == user.pk:
        return True
    scope = scope_for(user)
    return (
        scope.is_admin
        or (person.unit_id is not None and person.unit_id in scope.managed_unit_ids)
        or (person.municipality_id in scope.contact_municipality_ids)
        or (
            person.municipality_id is not None
            and person.municipality.county_id in scope.coordinated_county_ids
        )
    )


def get_person_for_user(user, pk):
    """The person with this id if the user may see them; 404 otherwise."""
    person = get_object_or_404(User.objects.select_related("municipality", "unit"), pk=pk)
    if not can_see_person(user, person):
        raise Http404
    return person


def can_set_placement(user, person):
    """A person's manager (of their unit) or an administrator may override a placement."""
    scope = scope_for(user)
    return scope.is_admin or (
        person.unit_id is not None and person.unit_id in scope.managed_unit_ids
    )


def get_person_for_placement(user, pk):
    """The person if the user may change their placement: 404 if unseen, 403 if only seen."""
    person = get_person_for_user(user, pk)
    if not can_set_placement(user, person):
        raise PermissionDenied
    return person


def get_person_for_move(user, pk):
    """The person if the user may record their move: 404 if unseen, 403 if only seen."""
    person = get_person_for_user(user, pk)
    if not can_move_person(user, person):
        raise PermissionDenied
    return person


def get_person_for_work_role(user, pk):
    """The person if the user may set their role at work: 404 if unseen, 403 if only seen.

    The role at work is part of the employment, like the employer: the same people record
    it as record a move (can_move_person).
    """
    person = get_person_for_user(user, pk)
    if not can_move_person(user, person):
        raise PermissionDenied
    return person


def require_staff_viewer(user):
    """403 for users whose roles give them no staff list."""
    if not scope_for(user).sees_staff:
        raise PermissionDenied


# Catalog


def can_edit_journey(user, journey):
    scope = scope_for(user)
    return scope.is_admin or journey.pk in scope.edited_journey_ids


def editable_journey_ids(user):
    """None means every journey (administrators)."""
    scope = scope_for(user)
    return None if scope.is_admin else scope.edited_journey_ids


# Course rounds


def structure_ids_covering(municipality):
    """The support structures whose counties include the municipality (usually one)."""
    if municipality is None:
        return set()
    return {s.pk for s in municipality.county.support_structures.all()}


def rounds_visible_to(user):
    """Rounds the user may see: their structures' rounds, their region's rounds for managers
    and municipal contacts (to register staff), and rounds they are registered in."""
    scope = scope_for(user)
    if scope.is_admin:
        return Round.objects.all()
    structure_ids = (
        scope.coordinated_structure_ids
        | scope.trainer_structure_ids
        | scope.course_leader_structure_ids
    )
    # Subqueries rather than joins: no duplicates to remove, and each uses its own index
    # (a join to the registrations made PostgreSQL read all of them).
    own_rounds = Registration.objects.filter(person=user).values("round_id")
    condition = Q(structure_id__in=structure_ids) | Q(pk__in=own_rounds)
    registrar_counties = set()
    if scope.managed_unit_ids:
        registrar_counties.update(
            User.objects.filter(unit_id__in=scope.managed_unit_ids)
            .order_by()
            .values_list("municipality__county_id", flat=True)
            .distinct()
        )
    if scope.contact_municipality_ids:
        registrar_counties.update(
            Municipality.objects.filter(pk__in=scope.contact_municipality_ids).values_list(
                "county_id", flat=True
            )
        )
    if registrar_counties:
        covering = SupportStructure.objects.filter(counties__in=registrar_counties)
        condition |= Q(structure_id__in=covering.values("pk"))
    return Round.objects.filter(condition)


def can_manage_round(user, round):
    """The coordinator of the round's structure, or an administrator."""
    scope = scope_for(user)
    return scope.is_admin or round.structure_id in scope.coordinated_structure_ids


def can_see_needs(user, round):
    """Diet and accessibility needs: only the coordinator and the round's course leader."""
    scope = scope_for(user)
    return round.course_leader_id == user.pk or round.structure_id in (
        scope.coordinated_structure_ids
    )


def get_round_for_user(user, pk):
    """The round if the user may see it; 404 otherwise."""
    round = get_object_or_404(
        Round.objects.select_related("course__step__journey", "structure", "course_leader"), pk=pk
    )
    if not may_see_round(user, round):
        raise Http404
    return round


def may_see_round(user, round):
    """Whether the round is among rounds_visible_to(user). The first terms are decided without
    a query: administrators, and the people of the round's own structure."""
    scope = scope_for(user)
    own_structures = (
        scope.coordinated_structure_ids
        | scope.trainer_structure_ids
        | scope.course_leader_structure_ids
    )
    if scope.is_admin or round.structure_id in own_structures:
        return True
    return rounds_visible_to(user).filter(pk=round.pk).exists()


def get_round_requiring(user, pk, may):
    """The round if `may(user, round)`: 404 if the round is unseen, 403 if only seen."""
    round = get_round_for_user(user, pk)
    if not may(user, round):
        raise PermissionDenied
    return round


def get_round_for_manager(user, pk):
    """The round if the user manages it: 404 if unseen, 403 if only seen."""
    return get_round_requiring(user, pk, can_manage_round)


def get_round_for_staffing_viewer(user, pk):
    """(round, may_manage): 404 if the round is unseen, 403 if seen by someone not on it.

    The coordinator and administrators manage; the round's course leader and the trainers and
    course leaders of its structure read. Others who see the round (managers and municipal
    contacts who register staff, participants) get a 403.
    """
    round = get_round_for_user(user, pk)
    viewer = viewer_of(user, round)
    if viewer.sees_everyone:
        return round, viewer.manages
    raise PermissionDenied


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
    return can_manage_round(user, round) or bool(scope_for(user).contact_municipality_ids)


def can_cancel(user, registration):
    """Whoever may register the person may cancel; so may the participant themself."""
    return registration.person_id == user.pk or can_register(
        user, registration.person, registration.round
    )


# Round pages: what a viewer is to a round


def planned_structures(user):
    """The support structures the user plans rounds for: coordinators theirs, admins all."""
    scope = scope_for(user)
    if scope.is_admin:
        return SupportStructure.objects.order_by("name")
    return SupportStructure.objects.filter(pk__in=scope.coordinated_structure_ids).order_by("name")


def is_registrar(user):
    """Managers and municipal contacts register their staff."""
    scope = scope_for(user)
    return bool(scope.managed_unit_ids or scope.contact_municipality_ids)


def own_staff(user):
    """The staff of the user's units (managers) and municipalities (municipal contacts)."""
    scope = scope_for(user)
    return staff_visible_to(user).filter(
        Q(unit_id__in=scope.managed_unit_ids)
        | Q(municipality_id__in=scope.contact_municipality_ids)
    )


@dataclass(frozen=True)
class Viewer:
    """What the user is to one round, which decides what its pages show them."""

    manages: bool  # coordinator of the round's structure, or administrator
    leads: bool  # the round's course leader
    trains: bool  # trainer or course leader in the round's structure
    registrar: bool  # manager or municipal contact (sees only their own staff)
    sees_needs: bool  # diet and accessibility needs

    @property
    def sees_everyone(self):
        return self.manages or self.leads or self.trains

    @property
    def may_view(self):
        return self.sees_everyone or self.registrar

    @property
    def sees_emails(self):
        # Trainers see names and municipalities; e-mail addresses stay with the organisers.
        return self.manages or self.leads or self.registrar

    @property
    def sees_attendance_list(self):
        return self.sees_everyone


def viewer_of(user, round):
    scope = scope_for(user)
    return Viewer(
        manages=can_manage_round(user, round),
        leads=round.course_leader_id == user.pk,
        trains=round.structure_id
        in (scope.trainer_structure_ids | scope.course_leader_structure_ids),
        registrar=is_registrar(user),
        sees_needs=can_see_needs(user, round),
    )


def get_round_for_page(user, pk):
    """The round and the viewer: 404 if unseen, 403 for those the round pages are not for."""
    round = get_round_for_user(user, pk)
    viewer = viewer_of(user, round)
    if not viewer.may_view:
        raise PermissionDenied
    return round, viewer


# The participant's journey: course days, attendance, completion, the record


def can_mark_attendance(user, round):
    """The round's course leader, the trainers and course leaders of its structure, its
    coordinator and administrators mark attendance and review deep-dive answers."""
    return viewer_of(user, round).sees_everyone


def can_mark_complete(user, round):
    """Completion (klarmarkering) is the course leader's, or the coordinator's in their stead."""
    viewer = viewer_of(user, round)
    return viewer.leads or viewer.manages


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


def can_move_person(user, person):
    """The person's employment (a move to another employer, their role at work) is recorded by
    their manager, their municipality's contact, or an administrator."""
    scope = scope_for(user)
    return (
        scope.is_admin
        or (person.unit_id is not None and person.unit_id in scope.managed_unit_ids)
        or (
            person.municipality_id is not None
            and person.municipality_id in (scope.contact_municipality_ids)
        )
    )


def findable_colleagues():
    """Only people who opted in are ever listed outside their own round."""
    return User.objects.filter(findable_by_colleagues=True, is_active=True)


def can_see_evaluation_results(user, round):
    """Anonymous results of a round: those who run it, the journey's editors, administrators."""
    scope = scope_for(user)
    return (
        viewer_of(user, round).sees_everyone
        or round.course.step.journey_id in scope.edited_journey_ids
    )


def sees_course_evaluations(user):
    """Comparisons over all rounds of a course: editors, coordinators, course leaders, admins."""
    scope = scope_for(user)
    return bool(
        scope.is_admin
        or scope.edited_journey_ids
        or scope.coordinated_structure_ids
        or scope.course_leader_structure_ids
    )


def sees_trainer_material(user):
    scope = scope_for(user)
    return bool(
        scope.is_admin
        or scope.edited_journey_ids
        or scope.coordinated_structure_ids
        or scope.trainer_structure_ids
        or scope.course_leader_structure_ids
    )


def can_read_participant_material(user, course):
    """Participant material: those registered in a round of the course (and, after completion,
    for good), and everyone who may read trainer material."""
    if sees_trainer_material(user):
        return True
    return user.is_authenticated and (
        user.registrations.filter(round__course=course, status="registered").exists()
        or user.completions.filter(course=course).exists()
    )


def rounds_with_results_for(user):
    """Rounds whose evaluation results the user may open: can_see_evaluation_results as a
    query. A journey's editors see the results of every round of their journey, though not
    the rounds themselves (participants, days): the answers are anonymous, the rounds are not."""
    scope = scope_for(user)
    if scope.is_admin:
        return Round.objects.all()
    structures = (
        scope.coordinated_structure_ids
        | scope.trainer_structure_ids
        | scope.course_leader_structure_ids
    )
    return Round.objects.filter(
        Q(structure_id__in=structures)
        | Q(course_leader=user)
        | Q(course__step__journey_id__in=scope.edited_journey_ids)
    )


def get_round_for_results(user, pk):
    """The round whose evaluation results the user may open: 404 for a round they neither see
    nor edit the journey of, 403 for a round they see but whose results are not theirs."""
    round = get_object_or_404(
        Round.objects.select_related("course__step__journey", "structure", "course_leader"), pk=pk
    )
    if can_see_evaluation_results(user, round):
        return round
    if may_see_round(user, round):
        raise PermissionDenied
    raise Http404


def require_course_evaluations(user):
    """403 for users whose roles give them no comparisons over a course's rounds."""
    if not sees_course_evaluations(user):
        raise PermissionDenied
