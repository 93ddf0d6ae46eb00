"""Who may see and do what. Every view and API goes through this module.

A person's scope is read once per request from their role assignments. Views fetch scoped
objects with the `get_*_for_user` helpers: an object outside the caller's scope is a 404 (its
existence is not revealed); a visible object the caller may not change is a 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import router
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from yrkesresan.core.compiled import CompiledQuery

from .models import RoleAssignment, User

Role = RoleAssignment.Role


@dataclass(frozen=True)
class Scope:
    """The organisations and journeys a person's roles cover, and the person-level viewer.

    The `may_…` properties answer, for the pages that depend on a person's roles alone, "may
    this person open it?". Each is the one rule: the page's own access check calls it (through
    its app's access.py, or directly) and so do the menu and the templates, so a link is shown
    exactly when its page answers. They live here, on the data they read, because this is the
    lowest layer every app can import: an app above may add object rules (a round, a person)
    in its access.py, never restate these. Rules about one round are Viewer's.
    """

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
    def teaching_structure_ids(self):
        """The support structures the person trains or leads courses in."""
        return self.trainer_structure_ids | self.course_leader_structure_ids

    @property
    def work_structure_ids(self):
        """The support structures the person works in: coordinates, trains or leads courses."""
        return self.coordinated_structure_ids | self.teaching_structure_ids

    @property
    def works_in_structures(self):
        """Coordinator, trainer or course leader of some support structure."""
        return bool(self.work_structure_ids)

    @property
    def needs_second_factor(self):
        """Administrators and regional coordinators confirm a password login with a one-time
        code (sso.two_factor enforces it; a federated login is the provider's to secure)."""
        return self.is_admin or bool(self.coordinated_structure_ids)

    @property
    def may_see_staff_list(self):
        """The staff list: managers, municipal contacts, coordinators of counties, admins."""
        return bool(
            self.is_admin
            or self.managed_unit_ids
            or self.contact_municipality_ids
            or self.coordinated_county_ids
        )

    @property
    def may_register_staff(self):
        """Managers and municipal contacts register their own staff (and see my staff)."""
        return bool(self.managed_unit_ids or self.contact_municipality_ids)

    @property
    def may_plan_rounds(self):
        """New rounds, capacity planning and venues: coordinators and administrators."""
        return bool(self.is_admin or self.coordinated_structure_ids)

    @property
    def may_see_term_overview(self):
        """The term's rounds: those who run rounds or register staff in them, and admins."""
        return self.is_admin or self.works_in_structures or self.may_register_staff

    @property
    def may_see_own_course_days(self):
        """The trainer's course days: trainers and course leaders. The page opens for anyone,
        to explain itself; it is offered to those it lists days for."""
        return bool(self.teaching_structure_ids)

    @property
    def may_see_course_evaluations(self):
        """Comparisons over all rounds of a course: editors, coordinators, course leaders,
        administrators."""
        return bool(
            self.is_admin
            or self.edited_journey_ids
            or self.coordinated_structure_ids
            or self.course_leader_structure_ids
        )

    @property
    def may_see_national_dashboard(self):
        """The nation's dashboard (municipalities, journeys, regions compared): administrators
        and the journeys' editors."""
        return bool(self.is_admin or self.edited_journey_ids)

    @property
    def may_edit_catalog(self):
        """The editors' workspace: editors of a journey, and administrators."""
        return bool(self.is_admin or self.edited_journey_ids)

    @property
    def may_read_trainer_material(self):
        """Trainer material: editors, administrators and the people of support structures."""
        return bool(self.is_admin or self.edited_journey_ids or self.works_in_structures)

    @property
    def may_see_staff_trail(self):
        """Who has seen or changed the staff's data: municipal contacts (the municipality is the
        controller of its staff's data) and administrators."""
        return bool(self.is_admin or self.contact_municipality_ids)

    def may_see_county_figures(self, county):
        """The county's dashboard (its municipalities' staff in figures): the coordinators of
        the county, administrators."""
        return self.is_admin or county.pk in self.coordinated_county_ids

    def may_see_municipality_staff(self, municipality):
        """The staff list filtered to one municipality: its contact, the coordinators of its
        county, administrators."""
        return (
            self.is_admin
            or municipality.pk in self.contact_municipality_ids
            or municipality.county_id in self.coordinated_county_ids
        )


NO_SCOPE = Scope()


# What scope_from_rows reads from a role assignment, in this order: any query that reaches the
# assignments (RoleAssignment itself, or the API's token through "user__roles__")
# can read them with these paths.
SCOPE_PATHS = ("role", "unit_id", "municipality_id", "structure_id", "journey_id",
               "structure__counties")  # fmt: skip


SCOPE_QUERY = CompiledQuery(
    lambda user_id: (
        RoleAssignment.objects.filter(user_id=user_id).order_by().values_list(*SCOPE_PATHS)
    ),
    user_id=987_654_321,
)


def scope_for(user):
    """The user's scope, computed once per user object (so once per request)."""
    if not user.is_authenticated:
        return NO_SCOPE
    cached = getattr(user, "_access_scope", None)
    if cached is not None:
        return cached
    # One query: a row per assignment, and per county of a structure's assignment. (A user
    # signed in through a session comes with the scope already: accounts/backends.py.)
    rows = SCOPE_QUERY.rows(using=router.db_for_read(RoleAssignment), user_id=user.pk)
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
    if not scope.may_see_staff_list:
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
    if not scope_for(user).may_see_staff_list:
        raise PermissionDenied


# Catalog


def editable_journey_ids(user):
    """None means every journey (administrators)."""
    scope = scope_for(user)
    return None if scope.is_admin else scope.edited_journey_ids


# Course rounds


# Round pages: what a viewer is to a round


def is_registrar(user):
    """Managers and municipal contacts register their staff."""
    return scope_for(user).may_register_staff


def own_staff(user):
    """The staff of the user's units (managers) and municipalities (municipal contacts)."""
    scope = scope_for(user)
    return staff_visible_to(user).filter(
        Q(unit_id__in=scope.managed_unit_ids)
        | Q(municipality_id__in=scope.contact_municipality_ids)
    )


@dataclass(frozen=True)
class Viewer:
    """What the user is to one round, which decides what its pages show them.

    rounds.access.viewer_of builds it from the person's scope and the round. Its `may_…`
    properties are the round pages' rules, each defined once here: the pages' access checks
    (rounds, enrolment, staffing, learning's leader pages) call them, and the round page's
    links ask the same names, so a link is shown exactly when its page opens.
    """

    manages: bool  # coordinator of the round's structure, or administrator
    leads: bool  # the round's course leader
    trains: bool  # trainer or course leader in the round's structure
    registrar: bool  # manager or municipal contact (sees only their own staff)
    sees_needs: bool  # diet and accessibility needs
    contact: bool = False  # municipal contact (imports their municipality's staff)
    # The round takes registrations from this viewer now: open, or closed for its coordinator.
    registration_open: bool = False

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

    @property
    def may_open_round_page(self):
        """The round page: those who run the round and those who register staff in it."""
        return self.may_view

    @property
    def may_manage_round(self):
        """Change the round, its days, status and trainers; copy it; its fees and make-up days."""
        return self.manages

    @property
    def may_run_round(self):
        """Attendance per day, preparation, deep-dive review, the trainers and the results:
        the round's course leader, its structure's trainers and course leaders, its
        coordinator and administrators."""
        return self.sees_everyone

    @property
    def may_see_attendance_list(self):
        return self.sees_attendance_list

    @property
    def may_see_needs(self):
        return self.sees_needs

    @property
    def may_see_round_mail(self):
        """The round's undelivered e-mail and scheduled reminders, and sending them again or
        now: the coordinator and administrators."""
        return self.manages

    @property
    def may_mark_complete(self):
        """Completion is the course leader's, or the coordinator's in their stead."""
        return self.leads or self.manages

    @property
    def may_register_staff(self):
        """The registration page: the coordinator, and managers and municipal contacts for
        their own staff."""
        return self.manages or self.registrar

    @property
    def may_import_registrations(self):
        """The coordinator imports anyone the round may take; a municipal contact the staff of
        their own municipality."""
        return self.manages or self.contact

    @property
    def offers_registration(self):
        """The round page links to registration: the viewer may register and the round takes
        registrations from them now."""
        return self.registration_open and self.may_register_staff

    @property
    def offers_import(self):
        return self.registration_open and self.may_import_registrations


# The participant's journey: course days, attendance, completion, the record


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
