"""Row locks, on PostgreSQL with real transactions.

Answers sent at the same moment for one invitation make one response; answers for different
invitations of one round all get through, with batch moves running between them. What waits
to be moved shows nothing of the answers.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from ..models import Answer, Invitation, Response, SealedAnswers
from ..services import AlreadyAnswered, move_sealed_answers, submit_evaluation
from . import helpers
from .helpers import answers_for

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks and xmin are PostgreSQL's"
    ),
    # No serialized_rollback: earlier transactional tests flush the database and post_migrate
    # makes the content types again, which a serialized reload would then duplicate; the
    # fixture below brings back the national questions instead.
    pytest.mark.django_db(transaction=True),
]

PEOPLE = 8
TRIES_EACH = 3
WORKERS = 12


@pytest.fixture
def round_with_people():
    return helpers.round_with_people(PEOPLE)


def submit_together(round, invitations):
    """Submit each invitation (given as many times as it is listed) at the same moment."""
    go = threading.Event()

    def submit(invitation_pk):
        go.wait(timeout=30)
        try:
            submit_evaluation(Invitation.objects.get(pk=invitation_pk), answers_for(round))
            return "saved"
        except AlreadyAnswered:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(submit, invitation.pk) for invitation in invitations]
        go.set()
        return [future.result() for future in futures]


def test_the_same_invitation_sent_at_once_many_times_is_answered_once(round_with_people):
    round, invitations = round_with_people
    outcomes = submit_together(round, [invitations[0]] * WORKERS)
    assert outcomes.count("saved") == 1
    assert outcomes.count("refused") == WORKERS - 1
    assert SealedAnswers.objects.filter(round=round).count() == 1
    assert move_sealed_answers(round.pk, force=True) == 1
    assert Response.objects.filter(round=round).count() == 1
    answers_per_response = len([v for v in answers_for(round).values() if v != ""])
    assert Answer.objects.count() == answers_per_response


def test_everyone_in_a_round_answering_at_once_gets_through_once_each(round_with_people):
    round, invitations = round_with_people
    outcomes = submit_together(round, invitations * TRIES_EACH)
    assert outcomes.count("saved") == PEOPLE
    assert outcomes.count("refused") == PEOPLE * (TRIES_EACH - 1)
    # Batches moved as answers came (one waits while another holds the rows); the rest now.
    move_sealed_answers(round.pk, force=True)
    assert Response.objects.filter(round=round).count() == PEOPLE
    assert not SealedAnswers.objects.exists()
    assert not Invitation.objects.filter(round=round, answered=False).exists()


def test_what_waits_to_be_moved_is_sealed_and_of_one_size(round_with_people):
    round, invitations = round_with_people
    submit_evaluation(invitations[0], answers_for(round, words="Kort."))
    submit_evaluation(invitations[1], answers_for(round, words="Mycket längre svar. " * 100))
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM evaluations_sealedanswers")
        sealed = [bytes(row[0]) for row in cursor.fetchall()]
    assert len(sealed) == 2
    assert len(sealed[0]) == len(sealed[1])
    for blob in sealed:
        assert b"Kort" not in blob and b"svar" not in blob
    assert Response.objects.count() == 0
