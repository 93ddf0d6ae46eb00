"""Who reads course material, over the scope of accounts.access."""

from yrkesresan.accounts.access import scope_for


def sees_trainer_material(user):
    """Trainer material (Scope.may_read_trainer_material)."""
    return scope_for(user).may_read_trainer_material


def can_read_participant_material(user, course):
    """Participant material: those registered in a round of the course (and, after completion,
    for good), and everyone who may read trainer material."""
    if sees_trainer_material(user):
        return True
    return user.is_authenticated and (
        user.registrations.filter(round__course=course, status="registered").exists()
        or user.completions.filter(course=course).exists()
    )
