"""The reports' answers to other apps' signals: keeping ModeTally in step with the answers."""

from .services import tally_rounds


def answers_moved(sender, round_id, **kwargs):
    tally_rounds([round_id])


def course_day_deleted(sender, instance, **kwargs):
    """A deleted course day took its evaluation answers with it."""
    tally_rounds([instance.round_id])
