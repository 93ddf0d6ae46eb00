"""Who may see and act on a round's e-mail, over rounds.access and accounts.access.Viewer."""

from yrkesresan.rounds.access import get_round_with_viewer


def get_round_for_mail(user, pk):
    """(round, viewer) for the round's e-mail page: 404 if the round is unseen, 403 if seen by
    someone who is not its coordinator or an administrator (Viewer.may_see_round_mail)."""
    return get_round_with_viewer(user, pk, lambda viewer: viewer.may_see_round_mail)
