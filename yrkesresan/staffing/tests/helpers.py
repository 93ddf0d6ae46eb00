"""Trainers for staffing tests, made the way the seed makes them: a person with the role."""

from yrkesresan.accounts.models import RoleAssignment
from yrkesresan.core.testing import make_person


def make_trainer(email, structure, municipality=None, *, course_leader=False):
    person = make_person(email, municipality=municipality)
    RoleAssignment.objects.create(
        user=person, role=RoleAssignment.Role.TRAINER, structure=structure
    )
    if course_leader:
        RoleAssignment.objects.create(
            user=person, role=RoleAssignment.Role.COURSE_LEADER, structure=structure
        )
    return person
