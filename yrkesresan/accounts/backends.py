"""The signed-in user, read with their roles in one query on each request.

Django's ModelBackend reads the user by primary key (one query, built and compiled by the ORM
on every request) and the menu then reads their roles (a second). `user_with_scope` reads the
user and their role assignments together, compiled once per connection (core/compiled.py),
and leaves the scope on the user for `access.scope_for`. Every backend that keeps a session
(passwords, SAML, OpenID Connect) reads its user this way (bench/README.md has the figures).
"""

from django.contrib.auth.backends import ModelBackend
from django.db import router

from yrkesresan.core.compiled import CompiledQuery

from .access import SCOPE_PATHS, scope_from_rows
from .models import User

USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)
# A row per role assignment (and per county of a structure's), the user on each; one row
# with empty role columns for a user without roles.
USER_WITH_ROLES = CompiledQuery(
    lambda user_id: (
        User.objects.filter(pk=user_id)
        .order_by()
        .values_list(*USER_FIELDS, *(f"roles__{path}" for path in SCOPE_PATHS))
    ),
    user_id=987_654_321,
)


def user_with_scope(user_id):
    """The user with this primary key, their access scope computed; None if there is none."""
    using = router.db_for_read(User)  # a report's request reads the replica, as the ORM does
    rows = USER_WITH_ROLES.rows(using=using, user_id=user_id)
    if not rows:
        return None
    end = len(USER_FIELDS)
    user = User.from_db(using, USER_FIELDS, rows[0][:end])
    scope_from_rows(user, (row[end:] for row in rows))
    return user


class UserWithScopeMixin:
    """A backend's get_user (Django's rule: an inactive user is no one) in one query."""

    def get_user(self, user_id):
        user = user_with_scope(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PasswordBackend(UserWithScopeMixin, ModelBackend):
    """Django's ModelBackend (passwords, permissions), reading its user with their roles."""
