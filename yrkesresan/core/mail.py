"""Sending e-mail from the background worker."""

from django.core.mail import get_connection


def send(messages):
    """Send `messages` over one connection; returns how many went out."""
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
