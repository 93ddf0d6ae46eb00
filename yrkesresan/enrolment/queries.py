"""Reads for enrolment's pages and the API: counts and lists built in the database."""

from django.db.models import Count, Q

from .models import Registration


def with_counts(rounds):
    """Annotate `registered_count` and `waitlisted_count` in one query."""
    return rounds.annotate(
        registered_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED)
        ),
        waitlisted_count=Count(
            "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
        ),
    )
